// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg | FileCheck %s

// If: the condition is read from its tensor; the branches move into scf.if
// and are lowered in place.
// CHECK-LABEL: @test_if
// CHECK: %[[C:.*]] = tensor.extract %arg0[]
// CHECK: scf.if %[[C]] -> (tensor<3xf32>)
// CHECK: linalg.generic
// CHECK: scf.yield
// CHECK: } else {
// CHECK: scf.yield %arg1
func.func @test_if(%c: tensor<i1>, %x: tensor<3xf32>) -> tensor<3xf32> {
  %0 = "onnx.If"(%c) ({
    "onnx.Yield"(%x) : (tensor<3xf32>) -> ()
  }, {
    %r = "onnx.Relu"(%x) : (tensor<3xf32>) -> tensor<3xf32>
    "onnx.Yield"(%r) : (tensor<3xf32>) -> ()
  }) : (tensor<i1>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// Scan over the 4 rows of x: the row is sliced per step, the new state is
// copied into the carried tensor, and the scan output inserted at the step.
// CHECK-LABEL: @test_scan
// CHECK: %[[R:.*]]:2 = scf.for %[[T:.*]] = {{.*}} iter_args(%[[S:.*]] = %arg0, %[[O:.*]] = %{{.*}}) -> (tensor<2xf32>, tensor<4x2xf32>)
// CHECK: tensor.extract_slice %arg1[%[[T]], 0] [1, 2] [1, 1] : tensor<4x2xf32> to tensor<2xf32>
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: linalg.copy ins(%{{.*}} : tensor<2xf32>) outs(%[[S]] : tensor<2xf32>)
// CHECK: tensor.insert_slice %{{.*}} into %[[O]][%[[T]], 0] [1, 2] [1, 1]
// CHECK: scf.yield
func.func @test_scan(%init: tensor<2xf32>, %x: tensor<4x2xf32>) -> (tensor<2xf32>, tensor<4x2xf32>) {
  %s, %o = "onnx.Scan"(%init, %x) <{num_scan_inputs = 1 : i64}> ({
  ^bb0(%acc: tensor<2xf32>, %row: tensor<2xf32>):
    %n = "onnx.Add"(%acc, %row) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    "onnx.Yield"(%n, %n) : (tensor<2xf32>, tensor<2xf32>) -> ()
  }) : (tensor<2xf32>, tensor<4x2xf32>) -> (tensor<2xf32>, tensor<4x2xf32>)
  return %s, %o : tensor<2xf32>, tensor<4x2xf32>
}
