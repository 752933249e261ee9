// RUN: onnxc-opt %s -split-input-file -onnxc-fold-batchnorm | FileCheck %s

// s = scale / sqrt(var + eps) = [4/2, 1/1] = [2, 1]; W' = W * s per output
// channel = [[2, 4], [3, 4]]; B' = (0 - mean) * s + bias = [-1.5, -1].
// CHECK-LABEL: @test_fold
// CHECK: %[[W:.*]] = "onnx.Constant"() <{value = dense_resource<bn_folded_weights> : tensor<2x2x1x1xf32>}>
// CHECK: %[[B:.*]] = "onnx.Constant"() <{value = dense<[-1.500000e+00, -1.000000e+00]> : tensor<2xf32>}>
// CHECK: %[[Y:.*]] = "onnx.Conv"(%arg0, %[[W]], %[[B]])
// CHECK-NOT: onnx.BatchNormalization
// CHECK: return %[[Y]]
// CHECK: bn_folded_weights: "0x04000000000000400000804000004040
func.func @test_fold(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = "onnx.Constant"() <{value = dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>}> : () -> tensor<2x2x1x1xf32>
  %none = "onnx.NoValue"() : () -> none
  %c = "onnx.Conv"(%x, %w, %none) : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x4x4xf32>
  %scale = "onnx.Constant"() <{value = dense<[4.0, 1.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %bias = "onnx.Constant"() <{value = dense<[0.5, 0.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %mean = "onnx.Constant"() <{value = dense<[1.0, 1.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %var = "onnx.Constant"() <{value = dense<[3.0, 0.0]> : tensor<2xf32>}> : () -> tensor<2xf32>
  %y, %rm, %rv = "onnx.BatchNormalization"(%c, %scale, %bias, %mean, %var) {epsilon = 1.0 : f32}
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x4x4xf32>, none, none)
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Not folded: the Conv result has another use, or the statistics are inputs.
// CHECK-LABEL: @test_keep
// CHECK-COUNT-2: onnx.BatchNormalization
func.func @test_keep(%x: tensor<1x2x4x4xf32>, %mean: tensor<2xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = "onnx.Constant"() <{value = dense<1.0> : tensor<2x2x1x1xf32>}> : () -> tensor<2x2x1x1xf32>
  %none = "onnx.NoValue"() : () -> none
  %c = "onnx.Conv"(%x, %w, %none) : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x4x4xf32>
  %one = "onnx.Constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %y, %rm, %rv = "onnx.BatchNormalization"(%c, %one, %one, %one, %one)
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x4x4xf32>, none, none)
  %c2 = "onnx.Conv"(%x, %w, %none) : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, none) -> tensor<1x2x4x4xf32>
  %y2, %rm2, %rv2 = "onnx.BatchNormalization"(%c2, %one, %one, %mean, %one)
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x4x4xf32>, none, none)
  return %y, %c, %y2 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
