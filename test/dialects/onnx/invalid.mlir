// RUN: onnxc-opt %s -split-input-file -verify-diagnostics

func.func @test_gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<*xf32> {
  %none = "onnx.NoValue"() : () -> none
  // expected-error @+1 {{A and B must be 2-D}}
  %0 = "onnx.Gemm"(%a, %b, %none) : (tensor<2x3x4xf32>, tensor<4x5xf32>, none) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @test_transpose_perm(%a: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'perm' is not a permutation}}
  %0 = "onnx.Transpose"(%a) <{perm = array<i64: 0, 0>}> : (tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @test_conv_channels(%x: tensor<1x3x8x8xf32>, %w: tensor<4x2x3x3xf32>) -> tensor<*xf32> {
  %none = "onnx.NoValue"() : () -> none
  // expected-error @+1 {{input channels 3 != W channels 2 x group 1}}
  %0 = "onnx.Conv"(%x, %w, %none) : (tensor<1x3x8x8xf32>, tensor<4x2x3x3xf32>, none) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @test_softmax_axis(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'axis' 2 out of range [-2, 1]}}
  %0 = "onnx.Softmax"(%x) <{axis = 2 : i64}> : (tensor<2x3xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @test_gather_axis(%x: tensor<2x3xf32>, %i: tensor<2xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{'axis' 4 out of range for rank 2}}
  %0 = "onnx.Gather"(%x, %i) <{axis = 4 : i64}> : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @test_add_type(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2x!onnx.string> {
  // expected-error @+1 {{result #0 must be tensor of}}
  %0 = "onnx.Add"(%a, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2x!onnx.string>
  return %0 : tensor<2x!onnx.string>
}
