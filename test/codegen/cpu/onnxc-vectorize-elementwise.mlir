// RUN: onnxc-opt %s -split-input-file -onnxc-vectorize-elementwise="vector-bits=256" | FileCheck %s

// Bias + ReLU6 over NCHW: the per-channel bias (a zero-padded map) is loaded
// and broadcast; 10 columns = one vector of 8 + a masked tail
// of 2, whose dead lanes load 1. (LLVM hoists the bias load.)
// CHECK-LABEL: func.func @test_bias_clip
// CHECK-DAG: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : vector<8xf32>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: vector.load %{{.*}} : memref<1x4x3x10xf32>, vector<8xf32>
// CHECK: %[[B:.*]] = memref.load %{{.*}} : memref<4x1x1xf32>
// CHECK: vector.broadcast %[[B]] : f32 to vector<8xf32>
// CHECK: arith.addf %{{.*}} : vector<8xf32>
// CHECK: arith.maximumf %{{.*}} : vector<8xf32>
// CHECK: arith.minimumf %{{.*}} : vector<8xf32>
// CHECK: vector.store
// CHECK: vector.constant_mask [2] : vector<8xi1>
// CHECK: vector.maskedload %{{.*}}, %{{.*}}, %[[ONE]]
// CHECK: vector.maskedstore
// CHECK-NOT: linalg.generic
func.func @test_bias_clip(%x: memref<1x4x3x10xf32>, %b: memref<4x1x1xf32>, %y: memref<1x4x3x10xf32>) {
  %lo = arith.constant 0.0 : f32
  %hi = arith.constant 6.0 : f32
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c, 0, 0)>,
                                   affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %b : memref<1x4x3x10xf32>, memref<4x1x1xf32>) outs(%y : memref<1x4x3x10xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    %r = arith.maximumf %s, %lo : f32
    %c = arith.minimumf %r, %hi : f32
    linalg.yield %c : f32
  }
  return
}

// -----

// A reduction along the innermost dim: a vector accumulator (identity 0)
// carried through the loop, a masked tail merged by select, then one
// vector.reduction folded into the output element.
// CHECK-LABEL: func.func @test_row_sum
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK: %[[ACC:.*]] = scf.for {{.*}} iter_args(%[[A:.*]] = %[[ZERO]]) -> (vector<8xf32>)
// CHECK: vector.load
// CHECK: arith.addf %{{.*}}, %[[A]] : vector<8xf32>
// CHECK: vector.maskedload
// CHECK: %[[SEL:.*]] = arith.select
// CHECK: %[[OLD:.*]] = memref.load %arg1
// CHECK: vector.reduction <add>, %[[SEL]], %[[OLD]] : vector<8xf32> into f32
// CHECK-NOT: linalg.reduce
func.func @test_row_sum(%x: memref<4x20xf32>, %r: memref<4xf32>) {
  linalg.reduce ins(%x : memref<4x20xf32>) outs(%r : memref<4xf32>) dimensions = [1]
    (%a: f32, %acc: f32) {
      %s = arith.addf %a, %acc : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// Left alone: a transposing read, and a reduction over an outer dim.
// CHECK-LABEL: func.func @test_left_alone
// CHECK: linalg.transpose
// CHECK: linalg.reduce
func.func @test_left_alone(%x: memref<8x8xf32>, %y: memref<8x8xf32>, %r: memref<8xf32>) {
  linalg.transpose ins(%x : memref<8x8xf32>) outs(%y : memref<8x8xf32>) permutation = [1, 0]
  linalg.reduce ins(%x : memref<8x8xf32>) outs(%r : memref<8xf32>) dimensions = [0]
    (%a: f32, %acc: f32) {
      %s = arith.addf %a, %acc : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// exp becomes a polynomial on the vector (no per-lane libm call).
// CHECK-LABEL: func.func @test_exp
// CHECK-NOT: math.exp
// CHECK: math.fma {{.*}} : vector<8xf32>
func.func @test_exp(%x: memref<16xf32>, %y: memref<16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]}
      ins(%x : memref<16xf32>) outs(%y : memref<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %e = math.exp %a : f32
    linalg.yield %e : f32
  }
  return
}

// -----

// A bool operand read per lane stays scalar: vector<8xi1> is bit-packed in
// memory, memref<...xi1> one byte per element.
// CHECK-LABEL: @select_by_bool_mask
// CHECK-NOT: vector.
// CHECK: linalg.generic
func.func @select_by_bool_mask(%m: memref<2x8xi1>, %x: memref<2x8xf32>, %y: memref<2x8xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%m, %x : memref<2x8xi1>, memref<2x8xf32>) outs(%y : memref<2x8xf32>) {
  ^bb0(%b: i1, %a: f32, %o: f32):
    %s = arith.select %b, %a, %ninf : f32
    linalg.yield %s : f32
  }
  return
}
