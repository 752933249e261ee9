// RUN: onnxc-opt %s -onnxc-plan-arena -verify-diagnostics

func.func @test_dynamic(%n: index) {
  // expected-error @+1 {{has a dynamic shape: give symbolic dims a size (--dim NAME=N)}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}

func.func @test_alloc_in_loop(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    // expected-error @+1 {{temporary buffer allocated inside a loop}}
    %a = memref.alloc() : memref<4xf32>
  }
  return
}
