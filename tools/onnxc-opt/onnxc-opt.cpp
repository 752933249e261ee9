//===- onnxc-opt.cpp - mlir-opt with every onnxc dialect and pass ---------===//
#include "compiler/driver/Registration.h"

#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  onnxc::registerAllOnnxcDialects(registry);
  onnxc::registerAllOnnxcPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "onnxc optimizer driver\n", registry));
}
