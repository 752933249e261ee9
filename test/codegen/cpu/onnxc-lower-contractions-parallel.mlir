// RUN: onnxc-opt %s -onnxc-lower-contractions="vector-bits=256 parallel=true" | FileCheck %s
// RUN: onnxc-opt %s -onnxc-lower-contractions="vector-bits=256 parallel=false" | FileCheck %s --check-prefix=SERIAL

// 64x64x64 (524 kFLOP): the GEMM becomes a task over its 4 column panels,
// called through a dispatch declaration; B and A (in row tiles: 4 panels
// read it; 4 kFLOP of copying, below the threshold, so inline) are packed
// before, by the caller.
// CHECK-LABEL: func.func @test_parallel
// CHECK: %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x64x16xf32>
// CHECK: %[[AP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<11x64x6xf32>
// CHECK: call @test_parallel_panels__dispatch(%{{.*}}, %[[AP]], %[[BP]], %arg2) : (index, memref<11x64x6xf32>, memref<4x64x16xf32>, memref<64x64xf32>) -> ()
// CHECK: func.func private @test_parallel_panels(%[[BEGIN:.*]]: index, %[[END:.*]]: index, %{{.*}}: memref<11x64x6xf32>, %{{.*}}: memref<4x64x16xf32>, %{{.*}}: memref<64x64xf32>)
// CHECK: scf.for %{{.*}} = %[[BEGIN]] to %{{.*}}
// CHECK: vector.fma
// CHECK: func.func private @test_parallel_panels__dispatch(index, memref<11x64x6xf32>, memref<4x64x16xf32>, memref<64x64xf32>)
// SERIAL-LABEL: func.func @test_parallel
// SERIAL-NOT: call
// SERIAL-NOT: func.func private
func.func @test_parallel(%a: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  linalg.matmul ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%c : memref<64x64xf32>)
  return
}
