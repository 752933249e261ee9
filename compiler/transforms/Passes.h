//===- Passes.h - passes on the onnx dialect -------------------*- C++ -*-===//
#ifndef ONNXC_COMPILER_TRANSFORMS_PASSES_H
#define ONNXC_COMPILER_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace onnxc {

#define GEN_PASS_DECL
#include "compiler/transforms/Passes.h.inc"

/// Retypes every value of `func` (arguments, op results, block arguments
/// of nested regions) and its signature through `convert`; for passes that
/// change element types the onnx ops do not care about.
void retypeFunction(mlir::func::FuncOp func,
                    llvm::function_ref<mlir::Type(mlir::Type)> convert);

#define GEN_PASS_REGISTRATION
#include "compiler/transforms/Passes.h.inc"

} // namespace onnxc

#endif
