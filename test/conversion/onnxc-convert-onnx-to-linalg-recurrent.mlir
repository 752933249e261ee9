// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg | FileCheck %s

// A forward RNN: the input projection X W^T for all steps is one matmul
// before the loop; the loop over the 4 steps carries h and Y, multiplies
// h R^T, and writes the new state into the carried h (its generic's
// destination) before storing the row of Y per batch entry.
// CHECK-LABEL: @test_rnn_forward
// CHECK: linalg.transpose
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<8x3xf32>)
// CHECK: %[[LOOP:[0-9]+]]:2 = scf.for %[[T:[a-z0-9]+]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[H:[a-z0-9]+]] = %{{.*}}, %[[Y:[a-z0-9]+]] = %{{.*}}) -> (tensor<2x3xf32>, tensor<4x1x2x3xf32>)
// CHECK: arith.cmpi slt, %[[T]]
// CHECK: tensor.extract
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[H]],
// CHECK: math.tanh
// CHECK: arith.select
// CHECK: } -> tensor<2x3xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[Y]])
// CHECK: tensor.insert_slice {{.*}} into tensor<4x1x2x3xf32>
// CHECK: scf.yield
// CHECK: tensor.insert_slice %[[LOOP]]#0 {{.*}} into tensor<1x2x3xf32>
func.func @test_rnn_forward(%x: tensor<4x2x5xf32>, %w: tensor<1x3x5xf32>, %r: tensor<1x3x3xf32>)
    -> (tensor<4x1x2x3xf32>, tensor<1x2x3xf32>) {
  %none = "onnx.NoValue"() : () -> none
  %y, %yh = "onnx.RNN"(%x, %w, %r, %none, %none, %none) <{hidden_size = 3 : i64}>
      : (tensor<4x2x5xf32>, tensor<1x3x5xf32>, tensor<1x3x3xf32>, none, none, none) -> (tensor<4x1x2x3xf32>, tensor<1x2x3xf32>)
  return %y, %yh : tensor<4x1x2x3xf32>, tensor<1x2x3xf32>
}
