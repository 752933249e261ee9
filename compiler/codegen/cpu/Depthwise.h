//===- Depthwise.h - SIMD depthwise convolution emitter --------*- C++ -*-===//
//
// A depthwise convolution (one input and one output channel per group) has
// no reduction over channels to turn into a GEMM: each output row is KH*KW
// broadcast-weight FMAs over input rows. The emitter vectorises along the
// output width, keeps the KH*KW weights of a channel in registers, and
// loads input lanes with one vector load (unit stride), two loads and a
// shuffle (stride 2) or a gather. Max and sum pooling are the same loops
// without weights.
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

/// What a window op does with the inputs under its window.
enum class WindowKind {
  Conv, // acc += w[g, kh, kw] * x (depthwise convolution)
  Max,  // acc = max(acc, x), NaN-propagating (max pooling)
  Sum,  // acc += x (sum pooling: average pooling before its division)
};

/// Emits out[img, g] = y[img, g] (op) window(x[img, g]) for channels
/// [gBegin, gEnd): depthwise, x is N x G x 1 x H x W, w G x 1 x 1 x KH x KW
/// and y, out N x G x 1 x OH x OW; pooling (w null), x is N x G x H x W, y
/// and out N x G x OH x OW and `kernel` gives KH, KW. x is read as if padded
/// by `padLow` rows and columns before (and enough after) with zeros (-inf
/// for max pooling): windows that reach outside check their rows and lanes.
/// All f32 with unit inner strides; out may be y. With `fill`, y holds that
/// value everywhere and is not read. `epilogue` (optional) transforms each
/// vector before it is stored.
void emitDepthwise(mlir::OpBuilder &b, mlir::Location loc, int64_t vl, bool fma, WindowKind kind,
                   mlir::Value x, mlir::Value w, mlir::Value y, mlir::Value out, mlir::Value img,
                   llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
                   llvm::ArrayRef<int64_t> dilations, llvm::ArrayRef<int64_t> padLow,
                   mlir::Value gBegin, mlir::Value gEnd, std::optional<double> fill,
                   const DepthwiseEpilogue &epilogue = nullptr);

} // namespace onnxc::cpu

#endif
