// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg | FileCheck %s

// ReduceMean over axis 1 with keepdims: sum generic, divide, expand_shape.
// CHECK-LABEL: @test_reduce_mean_keepdims
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK: tensor.expand_shape {{.*}} {{\[\[}}0], [1, 2]] {{.*}} into tensor<3x1x2xf32>
func.func @test_reduce_mean_keepdims(%x: tensor<3x2x2xf32>) -> tensor<3x1x2xf32> {
  %0 = "onnx.ReduceMean"(%x) <{axes = array<i64: 1>, keepdims = 1 : i64}> : (tensor<3x2x2xf32>) -> tensor<3x1x2xf32>
  return %0 : tensor<3x1x2xf32>
}

// -----

// ReduceSum-13 reads constant axes from its input; no keepdims, no reshape.
// CHECK-LABEL: @test_reduce_sum_do_not_keepdims
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "parallel"]
// CHECK-NOT: tensor.expand_shape
func.func @test_reduce_sum_do_not_keepdims(%x: tensor<3x2xf32>) -> tensor<2xf32> {
  %axes = "onnx.Constant"() <{value = dense<0> : tensor<1xi64>}> : () -> tensor<1xi64>
  %0 = "onnx.ReduceSum"(%x, %axes) <{keepdims = 0 : i64}> : (tensor<3x2xf32>, tensor<1xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// ArgMax: two accumulators (value, index); the index comes from linalg.index.
// CHECK-LABEL: @test_argmax_no_keepdims
// CHECK: linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xi64>)
// CHECK: linalg.index 1
// CHECK: arith.cmpf ogt
func.func @test_argmax_no_keepdims(%x: tensor<2x3xf32>) -> tensor<2xi64> {
  %0 = "onnx.ArgMax"(%x) <{axis = 1 : i64, keepdims = 0 : i64}> : (tensor<2x3xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}
