// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg | FileCheck %s

// Bilinear GridSample with border padding: one output-driven generic reads
// the grid, unnormalizes (align_corners=0), clamps to the border, and
// blends four taps read at clamped indices (zero outside).
// CHECK-LABEL: @test_gridsample_bilinear_border
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x3x4xf32>)
// CHECK: tensor.extract %arg1
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: math.floor
// CHECK-COUNT-4: tensor.extract %arg0
func.func @test_gridsample_bilinear_border(%x: tensor<1x2x5x6xf32>, %g: tensor<1x3x4x2xf32>) -> tensor<1x2x3x4xf32> {
  %0 = "onnx.GridSample"(%x, %g) <{padding_mode = "border"}> : (tensor<1x2x5x6xf32>, tensor<1x3x4x2xf32>) -> tensor<1x2x3x4xf32>
  return %0 : tensor<1x2x3x4xf32>
}

// -----

// Bicubic reads 16 taps.
// CHECK-LABEL: @test_gridsample_bicubic
// CHECK-COUNT-16: tensor.extract %arg0
func.func @test_gridsample_bicubic(%x: tensor<1x1x5x6xf32>, %g: tensor<1x3x4x2xf32>) -> tensor<1x1x3x4xf32> {
  %0 = "onnx.GridSample"(%x, %g) <{mode = "bicubic"}> : (tensor<1x1x5x6xf32>, tensor<1x3x4x2xf32>) -> tensor<1x1x3x4xf32>
  return %0 : tensor<1x1x3x4xf32>
}
