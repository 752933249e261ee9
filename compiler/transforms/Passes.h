//===- Passes.h - passes on the onnx dialect -------------------*- C++ -*-===//
#ifndef ONNXC_COMPILER_TRANSFORMS_PASSES_H
#define ONNXC_COMPILER_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace onnxc {

#define GEN_PASS_DECL
#include "compiler/transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/transforms/Passes.h.inc"

} // namespace onnxc

#endif
