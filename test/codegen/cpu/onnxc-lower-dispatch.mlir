// RUN: onnxc-opt %s -onnxc-lower-dispatch | FileCheck %s

// The captures go through a stack frame allocated in the caller's entry
// block; the wrapper reloads them and calls the task with its range.
// CHECK: llvm.func internal @task__wrapper(%{{.*}}: !llvm.ptr, %[[B:.*]]: i64, %[[E:.*]]: i64)
// CHECK: %[[P0:.*]] = llvm.getelementptr %arg0[0, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, f32)>
// CHECK: %[[V0:.*]] = llvm.load %[[P0]] : !llvm.ptr -> !llvm.ptr
// CHECK: %[[P1:.*]] = llvm.getelementptr %arg0[0, 1]
// CHECK: %[[V1:.*]] = llvm.load %[[P1]] : !llvm.ptr -> f32
// CHECK: llvm.call @task(%[[B]], %[[E]], %[[V0]], %[[V1]])
// CHECK-NOT: task__dispatch
// CHECK-LABEL: llvm.func @caller
// CHECK: %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK: %[[FRAME:.*]] = llvm.alloca %[[ONE]] x !llvm.struct<(ptr, f32)>
// CHECK: llvm.store %{{.*}}, %{{.*}} : !llvm.ptr, !llvm.ptr
// CHECK: llvm.store %{{.*}}, %{{.*}} : f32, !llvm.ptr
// CHECK: %[[FN:.*]] = llvm.mlir.addressof @task__wrapper
// CHECK: llvm.call @onnxc_parallel_for(%{{.*}}, %[[FN]], %[[FRAME]]) : (i64, !llvm.ptr, !llvm.ptr) -> ()
// CHECK: llvm.func @onnxc_parallel_for(i64, !llvm.ptr, !llvm.ptr)
llvm.func @task(%begin: i64, %end: i64, %p: !llvm.ptr, %x: f32) {
  llvm.return
}
llvm.func @task__dispatch(i64, !llvm.ptr, f32)
llvm.func @caller(%p: !llvm.ptr, %x: f32) {
  %n = llvm.mlir.constant(8 : i64) : i64
  llvm.br ^bb1
^bb1:
  llvm.call @task__dispatch(%n, %p, %x) : (i64, !llvm.ptr, f32) -> ()
  llvm.return
}
