//===- Depthwise.h - SIMD depthwise convolution emitter --------*- C++ -*-===//
//
// A depthwise convolution (one input and one output channel per group) has
// no reduction over channels to turn into a GEMM: each output row is KH*KW
// broadcast-weight FMAs over input rows. The emitter vectorises along the
// output width, keeps the KH*KW weights of a channel in registers, and
// loads input lanes with one vector load (unit stride), two loads and a
// shuffle (stride 2) or a gather.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_COMPILER_CODEGEN_CPU_DEPTHWISE_H
#define ONNXC_COMPILER_CODEGEN_CPU_DEPTHWISE_H

#include "mlir/IR/Builders.h"

namespace onnxc::cpu {

/// Emits y[img, g, 0] += conv(x[img, g, 0], w[g, 0, 0]) for channels
/// [gBegin, gEnd), where x is N x G x 1 x Hp x Wp (padded), w G x 1 x 1 x KH x
/// KW and y N x G x 1 x OH x OW, all f32 with identity layouts.
void emitDepthwise(mlir::OpBuilder &b, mlir::Location loc, int64_t vl, bool fma,
                   mlir::Value x, mlir::Value w, mlir::Value y, mlir::Value img,
                   llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> dilations,
                   mlir::Value gBegin, mlir::Value gEnd);

} // namespace onnxc::cpu

#endif
