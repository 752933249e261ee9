// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg -verify-diagnostics

// DeformConv: offsets hold one (dy, dx) pair per offset group and tap.
func.func @deform_conv_bad_offsets(%x: tensor<1x4x4x3xf32>, %w: tensor<6x2x3x3xf32>, %off: tensor<1x18x2x3xf32>) -> tensor<1x6x2x3xf32> {
  %none = "onnx.NoValue"() : () -> none
  // expected-error @+2 {{offset must have shape [1, 36, 2, 3], not 'tensor<1x18x2x3xf32>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.DeformConv'}}
  %y = "onnx.DeformConv"(%x, %w, %off, %none, %none) <{group = 2 : i64, offset_group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 1>}> : (tensor<1x4x4x3xf32>, tensor<6x2x3x3xf32>, tensor<1x18x2x3xf32>, none, none) -> tensor<1x6x2x3xf32>
  return %y : tensor<1x6x2x3xf32>
}

// -----

// DFT: a declared result that does not match the transform's length.
func.func @dft_bad_result(%x: tensor<1x8x2xf32>) -> tensor<1x10x2xf32> {
  %none = "onnx.NoValue"() : () -> none
  // expected-error @+2 {{declared result dim 1 is 10, the DFT gives 8}}
  // expected-error @+1 {{failed to legalize}}
  %y = "onnx.DFT"(%x, %none, %none) : (tensor<1x8x2xf32>, none, none) -> tensor<1x10x2xf32>
  return %y : tensor<1x10x2xf32>
}
