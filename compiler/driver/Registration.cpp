//===- Registration.cpp - every dialect, extension and pass onnxc uses ----===//
#include "compiler/driver/Registration.h"
#include "compiler/codegen/cpu/Passes.h"
#include "compiler/conversion/Passes.h"
#include "compiler/transforms/Passes.h"
#include "dialects/onnx/OnnxDialect.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void onnxc::registerAllOnnxcDialects(mlir::DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<onnx::OnnxDialect>();
}

void onnxc::registerAllOnnxcPasses() {
  mlir::registerAllPasses();
  registerOnnxcConversionPasses();
  registerOnnxcCpuPasses();
  registerOnnxcTransformsPasses();
}
