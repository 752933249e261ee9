// RUN: onnxc-opt %s -onnxc-convert-onnx-to-linalg -verify-diagnostics

// An unknown activation is reported on the node.
func.func @test_bad_activation(%x: tensor<4x2x5xf32>, %w: tensor<1x9x5xf32>, %r: tensor<1x9x3xf32>) -> tensor<1x2x3xf32> {
  %none = "onnx.NoValue"() : () -> none
  // expected-error @+2 {{unsupported activation 'Swish'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.GRU'}}
  %y, %yh = "onnx.GRU"(%x, %w, %r, %none, %none, %none) <{hidden_size = 3 : i64, activations = ["Swish", "Tanh"]}>
      : (tensor<4x2x5xf32>, tensor<1x9x5xf32>, tensor<1x9x3xf32>, none, none, none) -> (none, tensor<1x2x3xf32>)
  return %yh : tensor<1x2x3xf32>
}
