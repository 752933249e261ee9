// RUN: onnxc-opt %s -split-input-file -onnxc-plan-arena -verify-diagnostics

func.func @test_dynamic(%n: index) {
  // expected-error @+1 {{has a dynamic shape: give symbolic dims a size (--dim NAME=N)}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}

// -----

func.func @test_alloc_carried_by_loop(%n: index, %init: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %init) -> (memref<4xf32>) {
    // expected-error @+1 {{temporary buffer carried across loop iterations}}
    %a = memref.alloc() : memref<4xf32>
    linalg.copy ins(%acc : memref<4xf32>) outs(%a : memref<4xf32>)
    scf.yield %a : memref<4xf32>
  }
  return
}
