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

#include <functional>

namespace onnxc::cpu {

/// Maps the finished vector `acc` of channel `g` at (row, col) (lanes past
/// `mask` dead; mask null when all live) to the vector to store.
using DepthwiseEpilogue =
    std::function<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::Value g, mlir::Value row,
                              mlir::Value col, mlir::Value acc, mlir::Value mask)>;

/// Emits out[img, g, 0] = y[img, g, 0] + conv(x[img, g, 0], w[g, 0, 0]) for
/// channels [gBegin, gEnd), where x is N x G x 1 x Hp x Wp (padded), w
/// G x 1 x 1 x KH x KW and y, out N x G x 1 x OH x OW (out may be y), all f32
/// with unit inner strides. `zeroInit`: y is all zeros and is not read.
/// `epilogue` (optional) transforms each vector before it is stored.
void emitDepthwise(mlir::OpBuilder &b, mlir::Location loc, int64_t vl, bool fma,
                   mlir::Value x, mlir::Value w, mlir::Value y, mlir::Value out, mlir::Value img,
                   llvm::ArrayRef<int64_t> strides, llvm::ArrayRef<int64_t> dilations,
                   mlir::Value gBegin, mlir::Value gEnd, bool zeroInit,
                   const DepthwiseEpilogue &epilogue = nullptr);

} // namespace onnxc::cpu

#endif
