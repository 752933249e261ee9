//===- Passes.td - onnx conversion passes --------------------*- tablegen -*-===//
#ifndef ONNXC_CONVERSION_PASSES_TD
#define ONNXC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def CheckOnnxLegality : Pass<"onnxc-check-legality", "mlir::ModuleOp"> {
  let summary = "Report every onnx op the compiler cannot lower, in one error";
  let description = [{
    Lists each unsupported op type with the nodes (name and index) that use
    it, so that a user sees the whole gap at once instead of the first op.
  }];
}

def ConvertOnnxToLinalg : Pass<"onnxc-convert-onnx-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower onnx ops to linalg/tensor/arith/math";
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::tensor::TensorDialect",
    "mlir::scf::SCFDialect", "mlir::func::FuncDialect",
    "mlir::vector::VectorDialect", "mlir::bufferization::BufferizationDialect",
    "mlir::memref::MemRefDialect", "mlir::LLVM::LLVMDialect"
  ];
}

#endif
