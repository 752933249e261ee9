// RUN: onnxc-opt %s -split-input-file -onnxc-refine-from-uses | FileCheck %s

// A static result fixes the dynamic extents of what feeds it: through
// broadcasting (trailing dims aligned) and through unary ops.
// CHECK-LABEL: @elementwise_chain
// CHECK: "onnx.Range"{{.*}} -> tensor<10xf32>
// CHECK: "onnx.Cos"{{.*}} : (tensor<10xf32>) -> tensor<10xf32>
// CHECK: "onnx.Mul"{{.*}} : (tensor<f32>, tensor<10xf32>) -> tensor<10xf32>
func.func @elementwise_chain(%start: tensor<f32>, %limit: tensor<f32>, %delta: tensor<f32>) -> tensor<10xf32> {
  %r = "onnx.Range"(%start, %limit, %delta) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  %c = "onnx.Cos"(%r) : (tensor<?xf32>) -> tensor<?xf32>
  %y = "onnx.Mul"(%delta, %c) : (tensor<f32>, tensor<?xf32>) -> tensor<10xf32>
  return %y : tensor<10xf32>
}

// -----

// A Loop state keeps its type: the body's yielded value takes it, and the
// Add that made it passes it on to the Slice it reads.
// CHECK-LABEL: @loop_state
// CHECK: "onnx.Slice"{{.*}} -> tensor<1xf32>
// CHECK: "onnx.Add"{{.*}} : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
func.func @loop_state(%m: tensor<i64>, %x: tensor<5xf32>, %y: tensor<1xf32>) -> tensor<1xf32> {
  %none = "onnx.NoValue"() : () -> none
  %r = "onnx.Loop"(%m, %none, %y) ({
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %acc: tensor<1xf32>):
    %ax = "onnx.Constant"() <{value = dense<0> : tensor<1xi64>}> : () -> tensor<1xi64>
    %one = "onnx.Constant"() <{value = dense<1> : tensor<1xi64>}> : () -> tensor<1xi64>
    %i1 = "onnx.Unsqueeze"(%i, %ax) : (tensor<i64>, tensor<1xi64>) -> tensor<1xi64>
    %e = "onnx.Add"(%i1, %one) : (tensor<1xi64>, tensor<1xi64>) -> tensor<1xi64>
    %s = "onnx.Slice"(%x, %i1, %e, %none, %none) : (tensor<5xf32>, tensor<1xi64>, tensor<1xi64>, none, none) -> tensor<?xf32>
    %next = "onnx.Add"(%acc, %s) : (tensor<1xf32>, tensor<?xf32>) -> tensor<?xf32>
    "onnx.Yield"(%c, %next) : (tensor<i1>, tensor<?xf32>) -> ()
  }) : (tensor<i64>, none, tensor<1xf32>) -> tensor<1xf32>
  return %r : tensor<1xf32>
}

// -----

// Function arguments keep their declared types.
// CHECK-LABEL: @arguments_stay
// CHECK-SAME: (%arg0: tensor<?xf32>)
func.func @arguments_stay(%a: tensor<?xf32>) -> tensor<4xf32> {
  %y = "onnx.Relu"(%a) : (tensor<?xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}
