//===- Registration.h - every dialect, extension and pass onnxc uses -*- C++ -*-===//
#ifndef ONNXC_COMPILER_DRIVER_REGISTRATION_H
#define ONNXC_COMPILER_DRIVER_REGISTRATION_H

#include "mlir/IR/DialectRegistry.h"

namespace onnxc {
/// Upstream dialects + extensions (bufferization, LLVM translation
/// interfaces) and the onnx dialect. Kept in one translation unit because
/// including every upstream registration is slow to compile.
void registerAllOnnxcDialects(mlir::DialectRegistry &registry);
/// Upstream passes and every onnxc pass, for pipelines given as text.
void registerAllOnnxcPasses();
} // namespace onnxc

#endif
