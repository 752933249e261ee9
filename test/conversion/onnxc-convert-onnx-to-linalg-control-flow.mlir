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

// -----

// Loop: scf.while over (iteration, condition, state, scan buffer); the scan
// output has its declared length, checked per step and at the end.
// CHECK-LABEL: @loop_trip_count
// CHECK: %[[M:.*]] = arith.index_cast
// CHECK: %[[W:.*]]:4 = scf.while (%[[I:.*]] = %c0, %[[C:.*]] = %true, %[[S:.*]] = %arg1, %[[ACC:.*]] = %{{.*}}) : (index, i1, tensor<2xf32>, tensor<3x2xf32>)
// CHECK:   %[[LT:.*]] = arith.cmpi slt, %[[I]], %[[M]]
// CHECK:   %[[GO:.*]] = arith.andi %[[C]], %[[LT]]
// CHECK:   scf.condition(%[[GO]])
// CHECK: } do {
// CHECK:   call @__onnxc_check
// CHECK:   tensor.insert_slice {{.*}} into {{.*}}[%{{.*}}, 0] [1, 2] [1, 1]
// CHECK:   linalg.copy
// CHECK:   scf.yield
// CHECK: %[[FILLED:.*]] = arith.cmpi eq, %[[W]]#0, %c3
// CHECK: call @__onnxc_check(%[[FILLED]])
// CHECK: return %[[W]]#2, %[[W]]#3
func.func @loop_trip_count(%m: tensor<i64>, %x: tensor<2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>) {
  %none = "onnx.NoValue"() : () -> none
  %s, %y = "onnx.Loop"(%m, %none, %x) ({
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %acc: tensor<2xf32>):
    %next = "onnx.Add"(%acc, %x) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    "onnx.Yield"(%c, %next, %acc) : (tensor<i1>, tensor<2xf32>, tensor<2xf32>) -> ()
  }) : (tensor<i64>, none, tensor<2xf32>) -> (tensor<2xf32>, tensor<3x2xf32>)
  return %s, %y : tensor<2xf32>, tensor<3x2xf32>
}
