//===- Passes.td - passes on the onnx dialect ----------------*- tablegen -*-===//
#ifndef ONNXC_TRANSFORMS_PASSES_TD
#define ONNXC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def InferShapes : Pass<"onnxc-infer-shapes", "mlir::func::FuncOp"> {
  let summary = "Refine onnx result types from operand types, in program order";
  let description = [{
    Calls each op's shape function (ShapeInferenceOpInterface) in block
    order, so that refined types flow forward; then updates the function's
    result types. Symbolic dims stay dynamic. The importer runs the same
    functions while importing; this pass re-runs them after rewrites.
  }];
}

#endif
