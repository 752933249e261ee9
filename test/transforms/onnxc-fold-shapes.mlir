// RUN: onnxc-opt %s -split-input-file -onnxc-fold-shapes -canonicalize | FileCheck %s

// The exporter's Shape -> Gather -> Unsqueeze -> Concat -> Reshape chain
// folds to a constant target, and the Reshape gets a static type.
// CHECK-LABEL: @test_reshape_from_shape
// CHECK-NOT: onnx.Shape
// CHECK: %[[T:.*]] = "onnx.Constant"() <{value = dense<[2, -1]> : tensor<2xi64>}>
// CHECK: "onnx.Reshape"(%arg0, %[[T]]) {{.*}} -> tensor<2x12xf32>
func.func @test_reshape_from_shape(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  %s = "onnx.Shape"(%x) <{start = 0 : i64}> : (tensor<2x3x4xf32>) -> tensor<3xi64>
  %i = "onnx.Constant"() <{value = dense<0> : tensor<i64>}> : () -> tensor<i64>
  %g = "onnx.Gather"(%s, %i) <{axis = 0 : i64}> : (tensor<3xi64>, tensor<i64>) -> tensor<*xi64>
  %a = "onnx.Constant"() <{value = dense<0> : tensor<1xi64>}> : () -> tensor<1xi64>
  %u = "onnx.Unsqueeze"(%g, %a) : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %m = "onnx.Constant"() <{value = dense<-1> : tensor<1xi64>}> : () -> tensor<1xi64>
  %c = "onnx.Concat"(%u, %m) <{axis = 0 : i64}> : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %r = "onnx.Reshape"(%x, %c) : (tensor<2x3x4xf32>, tensor<*xi64>) -> tensor<*xf32>
  return %r : tensor<*xf32>
}

// -----

// Gather of a static dim of a partly dynamic shape still folds.
// CHECK-LABEL: @test_gather_static_dim_of_dynamic_shape
// CHECK: "onnx.Constant"() <{value = dense<16> : tensor<i64>}>
func.func @test_gather_static_dim_of_dynamic_shape(%x: tensor<?x16xf32>) -> tensor<*xi64> {
  %s = "onnx.Shape"(%x) <{start = 0 : i64}> : (tensor<?x16xf32>) -> tensor<2xi64>
  %i = "onnx.Constant"() <{value = dense<1> : tensor<i64>}> : () -> tensor<i64>
  %g = "onnx.Gather"(%s, %i) <{axis = 0 : i64}> : (tensor<2xi64>, tensor<i64>) -> tensor<*xi64>
  return %g : tensor<*xi64>
}
