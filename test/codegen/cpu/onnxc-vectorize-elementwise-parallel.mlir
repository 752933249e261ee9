// RUN: onnxc-opt %s -onnxc-vectorize-elementwise="vector-bits=256 parallel=true" | FileCheck %s

// 1x64x32x32 (64K elements): the channel dim (the first of size > 1) is split
// over threads; the task gets the buffers and the scalar the body reads
// from outside (%lo) as captures.
// CHECK-LABEL: func.func @test_relu
// CHECK: call @test_relu_rows__dispatch(%{{.*}}, %arg0, %arg1, %arg2) : (index, memref<1x64x32x32xf32>, memref<1x64x32x32xf32>, f32) -> ()
// CHECK: func.func private @test_relu_rows(%[[B:.*]]: index, %[[E:.*]]: index, %{{.*}}: memref<1x64x32x32xf32>, %{{.*}}: memref<1x64x32x32xf32>, %[[LO:.*]]: f32)
// CHECK: scf.for %{{.*}} = %[[B]] to %[[E]]
// CHECK: vector.broadcast %[[LO]]
// CHECK: arith.maximumf {{.*}} : vector<8xf32>
// CHECK: func.func private @test_relu_rows__dispatch(index, memref<1x64x32x32xf32>, memref<1x64x32x32xf32>, f32)
func.func @test_relu(%x: memref<1x64x32x32xf32>, %y: memref<1x64x32x32xf32>, %lo: f32) {
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : memref<1x64x32x32xf32>) outs(%y : memref<1x64x32x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %lo : f32
    linalg.yield %r : f32
  }
  return
}
