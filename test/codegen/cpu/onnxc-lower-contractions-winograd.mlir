// RUN: onnxc-opt %s -split-input-file -onnxc-lower-contractions="vector-bits=256 fma=true" | FileCheck %s
// RUN: onnxc-opt %s -split-input-file -onnxc-lower-contractions="vector-bits=256 fma=true winograd=false" | FileCheck %s --check-prefix=DIRECT

// 16 -> 16 channels, 8x16 output: F(2x2, 3x3): 4 tile rows of 8 tiles, one
// 8-lane group each (32 GEMM columns x 16 products beat 128 positions x 9
// taps; F(4x4) would give 2 groups of 4 tiles, 16 columns x 36 products).
// U = G w G^T is a compile-time constant that replaces the weights, each
// U[xi] (F x C) in the GEMM's row tiles: [alpha^2, ceil(F/6), C, 6]; with
// all-ones weights U[0][0][0] = 1 (G's first row is 1 0 0).
// Per image: input transform (each row of a lane group: masked loads of 16 + 2
// elements and shuffles, into the packed panels), one GEMM per
// (xi, panel), output transform (interleaved row vectors) with bias + ReLU fused.
// CHECK: memref.global "private" constant @w_winograd2 : memref<16x3x16x6xf32> = dense_resource<w_winograd2>
// CHECK-NOT: memref.global "private" constant @w :
// CHECK-LABEL: func.func @test_winograd
// CHECK: memref.get_global @w_winograd2 : memref<16x3x16x6xf32>
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<16x2x16x16xf32>
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<16x16x32xf32>
// CHECK: vector.maskedload %{{.*}} : memref<2880xf32>, vector<16xi1>, vector<16xf32>
// CHECK: vector.shuffle
// CHECK: vector.store
// CHECK: vector.fma
// CHECK: vector.load
// CHECK: arith.addf {{.*}} : vector<8xf32>
// CHECK: arith.maximumf {{.*}} : vector<8xf32>
// CHECK: vector.shuffle
// CHECK: vector.store
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK-NOT: linalg.generic
// DIRECT-LABEL: func.func @test_winograd
// DIRECT-NOT: _winograd
// DIRECT-NOT: vector.shuffle
// DIRECT: return
memref.global "private" constant @w : memref<16x16x3x3xf32> = dense<1.0>
func.func @test_winograd(%x: memref<1x16x10x18xf32>, %y: memref<1x16x8x16xf32>, %bias: memref<16x1x1xf32>) {
  %w = memref.get_global @w : memref<16x16x3x3xf32>
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<1x16x8x16xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<1x16x10x18xf32>, memref<16x16x3x3xf32>) outs(%y : memref<1x16x8x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c, 0, 0)>,
                                   affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %bias : memref<1x16x8x16xf32>, memref<16x1x1xf32>) outs(%y : memref<1x16x8x16xf32>) {
  ^bb0(%in: f32, %b: f32, %out: f32):
    %s = arith.addf %in, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  return
}
// CHECK: w_winograd2: "0x04000000
// CHECK-SAME: 0000803F

// -----

// Too few channels (3 in), a stride, or too small an output (8x8: 4 groups
// of 4 tiles): the direct im2col GEMM.
// CHECK-LABEL: func.func @test_not_winograd
// CHECK-NOT: _winograd
// CHECK: return
memref.global "private" constant @w3 : memref<16x3x3x3xf32> = dense<1.0>
memref.global "private" constant @w16 : memref<16x16x3x3xf32> = dense<1.0>
func.func @test_not_winograd(%x: memref<1x3x10x10xf32>, %y: memref<1x16x8x8xf32>,
                             %x2: memref<1x16x17x17xf32>, %y2: memref<1x16x8x8xf32>) {
  %w3 = memref.get_global @w3 : memref<16x3x3x3xf32>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w3 : memref<1x3x10x10xf32>, memref<16x3x3x3xf32>) outs(%y : memref<1x16x8x8xf32>)
  %w16 = memref.get_global @w16 : memref<16x16x3x3xf32>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x2, %w16 : memref<1x16x17x17xf32>, memref<16x16x3x3xf32>) outs(%y2 : memref<1x16x8x8xf32>)
  return
}

// -----

// A zero-padded copy of the input (bufferized tensor.pad) that only the
// convolution reads: the input transform loads from the unpadded source,
// masking rows and columns outside it; the fill, copy and buffer go away.
// CHECK-LABEL: func.func @test_winograd_padded
// CHECK-NOT: memref.copy
// CHECK-NOT: linalg.map
// CHECK: memref.collapse_shape %arg0 {{\[\[}}0, 1, 2, 3]] : memref<1x16x8x16xf32> into memref<2048xf32>
// CHECK: vector.maskedload %{{.*}} : memref<2048xf32>, vector<16xi1>, vector<16xf32>
// CHECK-NOT: memref.copy
memref.global "private" constant @wp : memref<16x16x3x3xf32> = dense<1.0>
func.func @test_winograd_padded(%src: memref<1x16x8x16xf32>, %y: memref<1x16x8x16xf32>) {
  %w = memref.get_global @wp : memref<16x16x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() : memref<1x16x10x18xf32>
  linalg.map outs(%p : memref<1x16x10x18xf32>)
    (%init: f32) {
      linalg.yield %zero : f32
    }
  %sub = memref.subview %p[0, 0, 1, 1] [1, 16, 8, 16] [1, 1, 1, 1]
      : memref<1x16x10x18xf32> to memref<1x16x8x16xf32, strided<[2880, 180, 18, 1], offset: 19>>
  memref.copy %src, %sub : memref<1x16x8x16xf32> to memref<1x16x8x16xf32, strided<[2880, 180, 18, 1], offset: 19>>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x16x8x16xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : memref<1x16x10x18xf32>, memref<16x16x3x3xf32>) outs(%y : memref<1x16x8x16xf32>)
  return
}

// -----

// Bufferization gave the epilogue (residual add, out of place) the padded
// copy's source bytes: from the epilogue on that buffer moves to a fresh
// allocation, so the input transform still reads the unpadded source and
// the output transform stores into the new buffer.
// CHECK-LABEL: func.func @test_winograd_padded_reused
// CHECK: %[[SRC:.*]] = memref.alloc() : memref<1x16x8x16xf32>
// CHECK: %[[NEW:.*]] = memref.alloc() : memref<1x16x8x16xf32>
// CHECK-NOT: memref.copy %[[SRC]]
// CHECK: memref.collapse_shape %[[SRC]] {{\[\[}}0, 1, 2, 3]] : memref<1x16x8x16xf32> into memref<2048xf32>
// CHECK: memref.subview %[[NEW]]
// CHECK: memref.copy %[[NEW]], %arg2
memref.global "private" constant @wr : memref<16x16x3x3xf32> = dense<1.0>
func.func @test_winograd_padded_reused(%in: memref<1x16x8x16xf32>, %res: memref<1x16x8x16xf32>,
                                       %out: memref<1x16x8x16xf32>) {
  %w = memref.get_global @wr : memref<16x16x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %src = memref.alloc() : memref<1x16x8x16xf32>
  linalg.copy ins(%in : memref<1x16x8x16xf32>) outs(%src : memref<1x16x8x16xf32>)
  %p = memref.alloc() : memref<1x16x10x18xf32>
  linalg.map outs(%p : memref<1x16x10x18xf32>)
    (%init: f32) {
      linalg.yield %zero : f32
    }
  %sub = memref.subview %p[0, 0, 1, 1] [1, 16, 8, 16] [1, 1, 1, 1]
      : memref<1x16x10x18xf32> to memref<1x16x8x16xf32, strided<[2880, 180, 18, 1], offset: 19>>
  memref.copy %src, %sub : memref<1x16x8x16xf32> to memref<1x16x8x16xf32, strided<[2880, 180, 18, 1], offset: 19>>
  %y = memref.alloc() : memref<1x16x8x16xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x16x8x16xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : memref<1x16x10x18xf32>, memref<16x16x3x3xf32>) outs(%y : memref<1x16x8x16xf32>)
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>,
                                   affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %res : memref<1x16x8x16xf32>, memref<1x16x8x16xf32>) outs(%src : memref<1x16x8x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  memref.copy %src, %out : memref<1x16x8x16xf32> to memref<1x16x8x16xf32>
  return
}
