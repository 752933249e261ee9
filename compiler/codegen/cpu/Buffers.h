//===- Buffers.h - buffer rewrites around the CPU kernels -------*- C++ -*-===//
//
// What the kernels of onnxc-lower-contractions need to know about the
// buffers around them after bufferization: which constant a fill leaves in
// C (so the kernel starts from it and the fill goes), which allocation a view
// belongs to, the zero-padded copies a window op can read through, and how to
// give a buffer a fresh allocation from some op on.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_COMPILER_CODEGEN_CPU_BUFFERS_H
#define ONNXC_COMPILER_CODEGEN_CPU_BUFFERS_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace onnxc::cpu {

/// The constant a linalg.fill, or a linalg.map with no inputs yielding a
/// constant (bufferized tensor.pad), writes into its output; else nullopt.
std::optional<double> fillConstant(mlir::Operation *op);

/// The constant that `c` holds everywhere when `op` runs because the closest
/// preceding op with memory effects fills it. Then the kernel can start from
/// that value instead of reading C, and the fill (a pass over memory) is
/// erased. `accept` says which values the caller can start from.
std::optional<double> takeFill(mlir::Operation *op, mlir::Value c,
                               llvm::function_ref<bool(double)> accept);

/// Whether `c` is all zeros when `op` runs (see takeFill): then the GEMM can
/// overwrite C.
bool takeZeroFill(mlir::Operation *op, mlir::Value c);

/// The allocation (or function argument) a buffer is a view of (subviews,
/// reshapes and casts are all ViewLikeOpInterface).
mlir::Value rootBuffer(mlir::Value v);

/// Moves the linalg.fill of `op`'s output `c` (a view of a local
/// allocation) down to just before `op` when nothing in between reads or
/// writes that allocation: bufferization places fills where the tensors
/// were created, often several layers earlier, and takeFill only sees an
/// adjacent one.
void sinkFill(mlir::Operation *op, mlir::Value c);

/// A padded copy that a window op (`consumer`) reads as `x`: x is (an
/// expand_shape of) a buffer that is filled with a constant and gets `src`
/// copied into its interior (offsets only in the last two dims), and
/// nothing else uses. The consumer can read
/// src directly with the pads virtual; the fill, copy and buffer go away.
struct PaddedCopy {
  mlir::Value src;
  llvm::SmallVector<int64_t> padLow; // rows, columns
  double value;
  llvm::SmallVector<mlir::Operation *> ops; // copy, subview, fill: erased with the consumer
  mlir::Value buffer;
};

std::optional<PaddedCopy> findPaddedCopy(mlir::Value x, mlir::Operation *consumer);

/// Erases a padded copy's ops once its consumer is gone, and the buffer
/// (and its expand_shape) when nothing else uses them.
void erasePaddedCopy(PaddedCopy &p, mlir::Value x);

/// Gives the buffer `root` (an allocation) a fresh allocation from op `from`
/// (a destination-style op writing it) on: every use by `from` and the ops
/// after it (views of root made before
/// `from` are cloned onto the new buffer) now refers to the new one. The
/// values root holds from `from` on live there instead, so `from` no longer
/// overwrites what earlier ops left in root. Returns false (and changes
/// nothing) unless root is an identity-layout allocation of from's block.
bool moveFutureUses(mlir::Value root, mlir::Operation *from);

} // namespace onnxc::cpu

#endif
