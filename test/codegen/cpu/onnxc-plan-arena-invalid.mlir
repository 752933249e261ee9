// RUN: onnxc-opt %s -onnxc-plan-arena -verify-diagnostics

func.func @test_dynamic(%n: index) {
  // expected-error @+1 {{has a dynamic shape: give symbolic dims a size (--dim NAME=N)}}
  %a = memref.alloc(%n) : memref<?xf32>
  return
}
