//===- OnnxInterfaces.td - onnx op interfaces ---------------*- tablegen -*-===//
#ifndef ONNXC_ONNX_INTERFACES_TD
#define ONNXC_ONNX_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Onnx_ShapeInferenceOpInterface : OpInterface<"ShapeInferenceOpInterface"> {
  let description = [{
    Refines the op's result types from its operand types (and constant
    operands). Dynamic dims stay dynamic; an op without a shape function
    leaves its results as imported.
  }];
  let cppNamespace = "::onnxc::onnx";
  let methods = [
    InterfaceMethod<"Refine result types in place.", "::llvm::LogicalResult",
      "inferShapes", (ins), [{}], [{ return ::mlir::failure(); }]>,
  ];
}

// Shape relations that passes read without knowing each op: the result has
// operand 0's shape (unary math, Cast), or every operand broadcasts to the
// result (numpy broadcasting: binary math, comparisons, Where).
def Onnx_ShapeOfOperand0 : NativeOpTrait<"ShapeOfOperand0"> {
  let cppNamespace = "::onnxc::onnx::OpTrait";
}
def Onnx_BroadcastsOperands : NativeOpTrait<"BroadcastsOperands"> {
  let cppNamespace = "::onnxc::onnx::OpTrait";
}

#endif // ONNXC_ONNX_INTERFACES_TD
