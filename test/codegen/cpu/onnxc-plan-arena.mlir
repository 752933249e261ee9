// RUN: onnxc-opt %s -split-input-file -onnxc-plan-arena | FileCheck %s

// %a dies before %c is allocated, so %c reuses its bytes; %b overlaps both.
// CHECK-LABEL: func.func @test_reuse
// CHECK-SAME: %[[ARENA:[a-z0-9]+]]: memref<?xi8> {onnx.name = "arena"}
// CHECK-SAME: onnxc.arena_align = 64 : i64, onnxc.arena_size = 8192 : i64
// CHECK-NOT: memref.alloc
// CHECK: %[[O1:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[ARENA]][%[[O1]]][] : memref<?xi8> to memref<1024xf32>
// CHECK: %[[O2:.*]] = arith.constant 4096 : index
// CHECK: memref.view %[[ARENA]][%[[O2]]][] : memref<?xi8> to memref<1024xf32>
// CHECK: %[[O3:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[ARENA]][%[[O3]]][] : memref<?xi8> to memref<1024xf32>
func.func @test_reuse(%in: memref<1024xf32>, %out: memref<1024xf32>) {
  %a = memref.alloc() : memref<1024xf32>
  linalg.copy ins(%in : memref<1024xf32>) outs(%a : memref<1024xf32>)
  %b = memref.alloc() : memref<1024xf32>
  linalg.copy ins(%a : memref<1024xf32>) outs(%b : memref<1024xf32>)
  %c = memref.alloc() : memref<1024xf32>
  linalg.copy ins(%b : memref<1024xf32>) outs(%c : memref<1024xf32>)
  linalg.copy ins(%c : memref<1024xf32>) outs(%out : memref<1024xf32>)
  return
}

// -----

// A view keeps its buffer alive until the view's last use: %a and %b
// cannot share bytes.
// CHECK-LABEL: func.func @test_view_extends_lifetime
// CHECK-SAME: onnxc.arena_size = 8192 : i64
func.func @test_view_extends_lifetime(%in: memref<1024xf32>, %out: memref<1024xf32>) {
  %a = memref.alloc() : memref<1024xf32>
  %v = memref.expand_shape %a [[0, 1]] output_shape [32, 32] : memref<1024xf32> into memref<32x32xf32>
  %b = memref.alloc() : memref<1024xf32>
  linalg.copy ins(%in : memref<1024xf32>) outs(%b : memref<1024xf32>)
  %vc = memref.collapse_shape %v [[0, 1]] : memref<32x32xf32> into memref<1024xf32>
  linalg.copy ins(%vc : memref<1024xf32>) outs(%out : memref<1024xf32>)
  return
}

// -----

// A buffer allocated in a case of scf.index_switch and yielded out lives as
// long as the switch's result, so %late (read together with it) gets other
// bytes; %c0 and %c1 (only one of which runs) share theirs.
// CHECK-LABEL: func.func @test_region_buffer_yielded
// CHECK-SAME: onnxc.arena_size = 8192 : i64
// CHECK: scf.index_switch
// CHECK: arith.constant 0 : index
// CHECK: memref.view
// CHECK: case 1
// CHECK: arith.constant 0 : index
// CHECK: memref.view
// CHECK: %[[OL:.*]] = arith.constant 4096 : index
// CHECK: memref.view %{{.*}}[%[[OL]]][] : memref<?xi8> to memref<1024xf32>
func.func @test_region_buffer_yielded(%sel: index, %in: memref<1024xf32>, %out: memref<1024xf32>) {
  %r = scf.index_switch %sel -> memref<1024xf32>
  case 0 {
    %c0 = memref.alloc() : memref<1024xf32>
    linalg.copy ins(%in : memref<1024xf32>) outs(%c0 : memref<1024xf32>)
    scf.yield %c0 : memref<1024xf32>
  }
  case 1 {
    %c1 = memref.alloc() : memref<1024xf32>
    linalg.copy ins(%in : memref<1024xf32>) outs(%c1 : memref<1024xf32>)
    scf.yield %c1 : memref<1024xf32>
  }
  default {
    scf.yield %in : memref<1024xf32>
  }
  %late = memref.alloc() : memref<1024xf32>
  linalg.copy ins(%r : memref<1024xf32>) outs(%late : memref<1024xf32>)
  linalg.copy ins(%late : memref<1024xf32>) outs(%out : memref<1024xf32>)
  return
}

// -----

// A loop body's temporary (not carried to the next iteration) gets one slot
// for the whole loop.
// CHECK-LABEL: func.func @test_loop_temporary
// CHECK-SAME: onnxc.arena_size = 4096 : i64
// CHECK: scf.for
// CHECK: memref.view
func.func @test_loop_temporary(%n: index, %in: memref<1024xf32>, %out: memref<1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %t = memref.alloc() : memref<1024xf32>
    linalg.copy ins(%in : memref<1024xf32>) outs(%t : memref<1024xf32>)
    linalg.copy ins(%t : memref<1024xf32>) outs(%out : memref<1024xf32>)
  }
  return
}

// -----

// A run-time check reserves the arena's first slot for the status word:
// buffers start after it, and a failed check stores ONNXC_ERR_DATA (7).
// CHECK-LABEL: func.func @test_runtime_check
// CHECK-SAME: %[[ARENA:[a-z0-9]+]]: memref<?xi8> {onnx.name = "arena"}
// CHECK-SAME: onnxc.arena_size = 4160 : i64
// CHECK-SAME: onnxc.status_word
// CHECK-NOT: call @__onnxc_check
// CHECK: %[[BAD:.*]] = arith.xori %arg0, %true
// CHECK: scf.if %[[BAD]] {
// CHECK: %[[W:.*]] = memref.view %[[ARENA]][%{{.*}}][] : memref<?xi8> to memref<i32>
// CHECK: %[[C:.*]] = arith.constant 7 : i32
// CHECK: memref.store %[[C]], %[[W]][]
// CHECK: %[[O:.*]] = arith.constant 64 : index
// CHECK: memref.view %[[ARENA]][%[[O]]][] : memref<?xi8> to memref<1024xf32>
func.func private @__onnxc_check(i1)
func.func @test_runtime_check(%ok: i1, %in: memref<1024xf32>, %out: memref<1024xf32>) {
  func.call @__onnxc_check(%ok) : (i1) -> ()
  %a = memref.alloc() : memref<1024xf32>
  linalg.copy ins(%in : memref<1024xf32>) outs(%a : memref<1024xf32>)
  linalg.copy ins(%a : memref<1024xf32>) outs(%out : memref<1024xf32>)
  return
}

// -----

// A buffer allocated in an outer loop's body and carried by an inner loop
// is a temporary of the outer body: allowed, one slot.
// CHECK-LABEL: func.func @test_carried_by_inner_loop
// CHECK-SAME: onnxc.arena_size = 4096 : i64
func.func @test_carried_by_inner_loop(%n: index, %in: memref<1024xf32>, %out: memref<1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    %t = memref.alloc() : memref<1024xf32>
    linalg.copy ins(%in : memref<1024xf32>) outs(%t : memref<1024xf32>)
    %r = scf.for %j = %c0 to %n step %c1 iter_args(%acc = %t) -> (memref<1024xf32>) {
      scf.yield %acc : memref<1024xf32>
    }
    linalg.copy ins(%r : memref<1024xf32>) outs(%out : memref<1024xf32>)
  }
  return
}
