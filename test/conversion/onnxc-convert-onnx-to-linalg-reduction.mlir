// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg | FileCheck %s

// ReduceMean over axis 1 with keepdims: sum generic, divide, expand_shape.
// CHECK-LABEL: @test_reduce_mean_keepdims
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction", "parallel"]
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK: tensor.expand_shape {{.*}} {{\[\[}}0], [1, 2]] {{.*}} into tensor<3x1x2xf32>
func.func @test_reduce_mean_keepdims(%x: tensor<3x2x2xf32>) -> tensor<3x1x2xf32> {
  %axes = "onnx.Constant"() <{value = dense<1> : tensor<1xi64>}> : () -> tensor<1xi64>
  %0 = "onnx.ReduceMean"(%x, %axes) <{keepdims = 1 : i64}> : (tensor<3x2x2xf32>, tensor<1xi64>) -> tensor<3x1x2xf32>
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

// -----

// LayerNormalization: mean and variance kept as size-1 dims, then one
// broadcasting scale-and-shift.
// CHECK-LABEL: @test_layer_normalization_2d
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: math.rsqrt
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @test_layer_normalization_2d(%x: tensor<3x4xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<3x4xf32> {
  %0, %1, %2 = "onnx.LayerNormalization"(%x, %s, %b) <{axis = -1 : i64}> : (tensor<3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<3x4xf32>, none, none)
  return %0 : tensor<3x4xf32>
}

// -----

// NLL with mean reduction: per-element loss gathered from the class dim,
// summed, divided by the number of targets.
// CHECK-LABEL: @test_nllloss_NC
// CHECK: tensor.extract %{{.*}} : tensor<3x5xf32>
// CHECK: arith.negf
// CHECK: arith.divf
func.func @test_nllloss_NC(%x: tensor<3x5xf32>, %t: tensor<3xi64>) -> tensor<f32> {
  %none = "onnx.NoValue"() : () -> none
  %0 = "onnx.NegativeLogLikelihoodLoss"(%x, %t, %none) <{reduction = "mean"}> : (tensor<3x5xf32>, tensor<3xi64>, none) -> tensor<f32>
  return %0 : tensor<f32>
}
