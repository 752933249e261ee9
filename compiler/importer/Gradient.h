//===- Gradient.h - expand the training domain's Gradient op ----*- C++ -*-===//
#ifndef ONNXC_COMPILER_IMPORTER_GRADIENT_H
#define ONNXC_COMPILER_IMPORTER_GRADIENT_H

#include "mlir/IR/Builders.h"

namespace onnxc {

/// dy/dx for each x, as onnx ops built at `b`'s insertion point by
/// reverse-mode differentiation of the ops y depends on. Errors are emitted
/// at the unsupported op.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
buildGradients(mlir::OpBuilder &b, mlir::Location loc, mlir::Value y, llvm::ArrayRef<mlir::Value> xs);

} // namespace onnxc

#endif
