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

// -----

// Linear Resize with constant scales [1, 1, 2, 2]: the unit dims are
// skipped, H and W each get a 1-D pass with two taps; no run-time check.
// CHECK-LABEL: @test_resize_linear_constant_scales
// CHECK-NOT: call @__onnxc_check
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x6x5xf32>)
// CHECK-COUNT-2: tensor.extract %arg0
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x6x10xf32>)
func.func @test_resize_linear_constant_scales(%x: tensor<1x2x3x5xf32>) -> tensor<1x2x6x10xf32> {
  %none = "onnx.NoValue"() : () -> none
  %s = "onnx.Constant"() <{value = dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>}> : () -> tensor<4xf32>
  %0 = "onnx.Resize"(%x, %none, %s, %none) <{mode = "linear"}> : (tensor<1x2x3x5xf32>, none, tensor<4xf32>, none) -> tensor<1x2x6x10xf32>
  return %0 : tensor<1x2x6x10xf32>
}

// -----

// Nearest Resize with sizes computed at run time: the sizes must be the
// compiled ones (a run-time check), then one gather.
// CHECK-LABEL: @test_resize_nearest_runtime_sizes
// CHECK: tensor.extract %arg1
// CHECK: arith.cmpi eq
// CHECK: call @__onnxc_check
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x1x4x6xf32>)
// CHECK: math.ceil
func.func @test_resize_nearest_runtime_sizes(%x: tensor<1x1x2x3xf32>, %sizes: tensor<4xi64>) -> tensor<1x1x4x6xf32> {
  %none = "onnx.NoValue"() : () -> none
  %0 = "onnx.Resize"(%x, %none, %none, %sizes) : (tensor<1x1x2x3xf32>, none, none, tensor<4xi64>) -> tensor<1x1x4x6xf32>
  return %0 : tensor<1x1x4x6xf32>
}

// -----

// RoiAlign: per output cell, two nested loops over the sampling grid (its
// size a run-time value when sampling_ratio is 0), four bilinear taps each.
// CHECK-LABEL: @roialign_adaptive
// CHECK: linalg.generic
// CHECK:   math.ceil
// CHECK:   scf.for
// CHECK:     scf.for
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK: arith.divf
func.func @roialign_adaptive(%x: tensor<1x2x8x8xf32>, %rois: tensor<3x4xf32>, %b: tensor<3xi64>) -> tensor<3x2x2x2xf32> {
  %y = "onnx.RoiAlign"(%x, %rois, %b) <{output_height = 2 : i64, output_width = 2 : i64, sampling_ratio = 0 : i64}> : (tensor<1x2x8x8xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x2x2x2xf32>
  return %y : tensor<3x2x2x2xf32>
}
