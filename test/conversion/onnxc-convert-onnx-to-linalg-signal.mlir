// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg | FileCheck %s

// STFT with a run-time frame length: frames and bins come from the declared
// result and are checked; the sum masks positions past the frame.
// CHECK-LABEL: @stft
// CHECK: arith.divsi
// CHECK: call @__onnxc_check
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
// CHECK:   arith.remui
// CHECK:   math.cos
// CHECK:   math.sin
// CHECK: -> tensor<1x15x9x2xf64>
func.func @stft(%x: tensor<1x128x1xf32>, %step: tensor<i64>, %len: tensor<i64>) -> tensor<1x15x9x2xf32> {
  %none = "onnx.NoValue"() : () -> none
  %y = "onnx.STFT"(%x, %step, %none, %len) : (tensor<1x128x1xf32>, tensor<i64>, none, tensor<i64>) -> tensor<1x15x9x2xf32>
  return %y : tensor<1x15x9x2xf32>
}

// -----

// MelWeightMatrix: the declared [dft/2 + 1, bins] is checked; triangles
// between mel points floored to FFT bins.
// CHECK-LABEL: @mel
// CHECK: call @__onnxc_check
// CHECK: linalg.generic
// CHECK:   math.powf
// CHECK:   math.floor
func.func @mel(%n: tensor<i32>, %d: tensor<i32>, %r: tensor<i32>, %lo: tensor<f32>, %hi: tensor<f32>) -> tensor<9x8xf32> {
  %y = "onnx.MelWeightMatrix"(%n, %d, %r, %lo, %hi) : (tensor<i32>, tensor<i32>, tensor<i32>, tensor<f32>, tensor<f32>) -> tensor<9x8xf32>
  return %y : tensor<9x8xf32>
}
