// RUN: onnxc-opt %s -split-input-file -onnxc-lower-contractions="vector-bits=256 fma=true" | FileCheck %s

// Run-time B: packed into 16-wide panels (2 x vector<8xf32>, 7 x 16 padded
// to 2 panels), then 6 x 16 register tiles: 1 full row tile (6 rows) plus a
// 4-row remainder; the last panel's 16 - 7 = 9 dead columns are masked.
// CHECK-LABEL: func.func @test_matmul_runtime_b
// CHECK: %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x5x16xf32>
// CHECK: vector.maskedload %{{.*}} : memref<5x7xf32>, vector<8xi1>, vector<8xf32> into vector<8xf32>
// CHECK: vector.store %{{.*}}, %[[BP]]
// CHECK: scf.for
// CHECK: vector.maskedload %{{.*}} : memref<10x7xf32>
// CHECK: scf.for {{.*}} iter_args
// CHECK: vector.load %[[BP]]
// CHECK: vector.fma
// CHECK: vector.maskedstore
// CHECK-NOT: linalg.generic
#mA = affine_map<(m, n, k) -> (m, k)>
#mB = affine_map<(m, n, k) -> (k, n)>
#mC = affine_map<(m, n, k) -> (m, n)>
func.func @test_matmul_runtime_b(%a: memref<10x5xf32>, %b: memref<5x7xf32>, %c: memref<10x7xf32>) {
  linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<10x5xf32>, memref<5x7xf32>) outs(%c : memref<10x7xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Constant B (transposed, as Gemm transB=1 has it) is packed at compile time
// into a new global; the original is dropped once nothing reads it.
// CHECK-NOT: memref.global "private" constant @w :
// CHECK: memref.global "private" constant @w_packed : memref<1x3x16xf32> = dense_resource<w_packed>
// CHECK-LABEL: func.func @test_gemm_constant_b
// CHECK-NOT: memref.alloc
// CHECK: memref.get_global @w_packed
// CHECK: vector.fma
memref.global "private" constant @w : memref<2x3xf32> = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
func.func @test_gemm_constant_b(%a: memref<1x3xf32>, %c: memref<1x2xf32>) {
  %w = memref.get_global @w : memref<2x3xf32>
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>,
                                   affine_map<(m, n, k) -> (m, n)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<1x3xf32>, memref<2x3xf32>) outs(%c : memref<1x2xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}
// CHECK: w_packed: "0x04000000
// The first packed row holds B[0][0..1] = 1.0, 4.0 (0x3F800000, 0x40800000).
// CHECK-SAME: 0000803F00008040

// -----

// Batch matmul with a 2-D A shared by all batches: one loop over the batch,
// per-batch views through rank-reducing subviews; B varies with the batch,
// so it is packed inside the loop (by the panel range that multiplies it).
// CHECK-LABEL: func.func @test_batch_broadcast
// CHECK: scf.for %[[I:.*]] = %c0 to %c3
// CHECK-DAG: memref.subview %{{.*}}[%[[I]], 0, 0] [1, 2, 8] [1, 1, 1] : memref<3x2x8xf32> to memref<2x8xf32, strided<[8, 1], offset: ?>>
// CHECK-DAG: memref.subview %{{.*}}[%[[I]], 0, 0] [1, 4, 8] [1, 1, 1] : memref<3x4x8xf32> to memref<4x8xf32, strided<[8, 1], offset: ?>>
// CHECK: vector.store
// CHECK: vector.fma
func.func @test_batch_broadcast(%a: memref<2x4xf32>, %b: memref<3x4x8xf32>, %c: memref<3x2x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(b, m, n, k) -> (m, k)>, affine_map<(b, m, n, k) -> (b, k, n)>,
                                   affine_map<(b, m, n, k) -> (b, m, n)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x4xf32>, memref<3x4x8xf32>) outs(%c : memref<3x2x8xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// 3x3 convolution: weights read in place as A[F, C*9], the im2col matrix
// packed by masked gathers from the flattened padded input.
// CHECK-LABEL: func.func @test_conv
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0], [1, 2, 3]] : memref<8x3x3x3xf32> into memref<8x27xf32>
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<7x27x16xf32>
// CHECK: vector.gather
// CHECK: vector.fma
// CHECK-NOT: linalg.conv_2d_nchw_fchw
func.func @test_conv(%x: memref<1x3x12x12xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x10x10xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<1x3x12x12xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x10x10xf32>)
  return
}

// -----

// Not lowered: integer matmuls and outputs stored column-major.
// CHECK-LABEL: func.func @test_left_alone
// CHECK: linalg.matmul
// CHECK: linalg.generic
func.func @test_left_alone(%a: memref<4x4xi32>, %b: memref<4x4xi32>, %c: memref<4x4xi32>,
                           %fa: memref<4x4xf32>, %fb: memref<4x4xf32>, %fc: memref<4x4xf32>) {
  linalg.matmul ins(%a, %b : memref<4x4xi32>, memref<4x4xi32>) outs(%c : memref<4x4xi32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>,
                                   affine_map<(m, n, k) -> (n, m)>],
                  iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%fa, %fb : memref<4x4xf32>, memref<4x4xf32>) outs(%fc : memref<4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Depthwise (one channel per group): rows of 8 outputs, 9 broadcast weights
// per channel; unit stride reads input lanes with vector loads, the 10 - 8 = 2
// tail columns through masked loads (dead lanes are not read) and a masked
// store.
// CHECK-LABEL: func.func @test_depthwise
// CHECK: vector.broadcast
// CHECK: scf.for
// CHECK: vector.load %{{.*}} : memref<1x4x1x12x12xf32>, vector<8xf32>
// CHECK: vector.fma
// CHECK: vector.maskedload %{{.*}} : memref<1x4x1x12x12xf32>, vector<8xi1>, vector<8xf32>
// CHECK: vector.maskedstore
// CHECK-NOT: linalg.conv_2d_ngchw_gfchw
func.func @test_depthwise(%x: memref<1x4x1x12x12xf32>, %w: memref<4x1x1x3x3xf32>, %y: memref<1x4x1x10x10xf32>) {
  linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<1x4x1x12x12xf32>, memref<4x1x1x3x3xf32>) outs(%y : memref<1x4x1x10x10xf32>)
  return
}

// -----

// C zero-filled right before: the fill goes, and the first (only) k block
// starts from zero accumulators instead of loading C.
// CHECK-LABEL: func.func @test_overwrite
// CHECK-NOT: linalg.fill
// CHECK: %[[Z:.*]] = arith.constant dense<0.000000e+00> : vector<8xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}} = %[[Z]], {{.*}} = %[[Z]]
// CHECK-NOT: vector.load %arg2
// CHECK: vector.store %{{.*}}, %arg2
func.func @test_overwrite(%a: memref<6x4xf32>, %b: memref<4x16xf32>, %c: memref<6x16xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<6x16xf32>)
  linalg.matmul ins(%a, %b : memref<6x4xf32>, memref<4x16xf32>) outs(%c : memref<6x16xf32>)
  return
}

// -----

// The bias + ReLU right after a convolution, rewriting its output in place,
// runs on each finished register tile (after the last k block) instead of
// as another pass over the output.
// CHECK-LABEL: func.func @test_conv_epilogue
// CHECK: scf.if
// CHECK: memref.load %arg3
// CHECK: vector.broadcast
// CHECK: arith.addf {{.*}} : vector<8xf32>
// CHECK: arith.maximumf {{.*}} : vector<8xf32>
// CHECK-NOT: linalg.generic
func.func @test_conv_epilogue(%x: memref<1x3x12x12xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x10x10xf32>,
                              %bias: memref<8x1x1xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<1x3x12x12xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x10x10xf32>)
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c, 0, 0)>,
                                   affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %bias : memref<1x8x10x10xf32>, memref<8x1x1xf32>) outs(%y : memref<1x8x10x10xf32>) {
  ^bb0(%in: f32, %b: f32, %out: f32):
    %s = arith.addf %in, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Stride-2 depthwise: the even lanes of two loads (the second masked to 7
// lanes so it never reads past the row's last needed element + 1).
// CHECK-LABEL: func.func @test_depthwise_stride2
// CHECK: vector.load %{{.*}} : memref<1x4x1x35x35xf32>, vector<8xf32>
// CHECK: vector.maskedload
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14] : vector<8xf32>, vector<8xf32>
// CHECK: vector.fma
func.func @test_depthwise_stride2(%x: memref<1x4x1x35x35xf32>, %w: memref<4x1x1x3x3xf32>, %y: memref<1x4x1x17x17xf32>) {
  linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : memref<1x4x1x35x35xf32>, memref<4x1x1x3x3xf32>) outs(%y : memref<1x4x1x17x17xf32>)
  return
}

// -----

// Depthwise + bias/clip reading the NCHW view and writing another buffer:
// the clip runs before the stores, which go to that buffer (y is never
// written: nothing else reads it); y's zero fill goes too.
// CHECK-LABEL: func.func @test_depthwise_epilogue
// CHECK-NOT: linalg.fill
// CHECK: %[[OUT:.*]] = memref.expand_shape %arg3
// CHECK: arith.minimumf {{.*}} : vector<8xf32>
// CHECK: vector.store %{{.*}}, %[[OUT]]
// CHECK-NOT: linalg.generic
func.func @test_depthwise_epilogue(%x: memref<1x4x1x10x10xf32>, %w: memref<4x1x1x3x3xf32>,
                                   %bias: memref<4x1x1xf32>, %o: memref<1x4x8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() : memref<1x4x1x8x8xf32>
  %six = arith.constant 6.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<1x4x1x8x8xf32>)
  linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<1x4x1x10x10xf32>, memref<4x1x1x3x3xf32>) outs(%y : memref<1x4x1x8x8xf32>)
  %v = memref.collapse_shape %y [[0], [1, 2], [3], [4]] : memref<1x4x1x8x8xf32> into memref<1x4x8x8xf32>
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c, 0, 0)>,
                                   affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%v, %bias : memref<1x4x8x8xf32>, memref<4x1x1xf32>) outs(%o : memref<1x4x8x8xf32>) {
  ^bb0(%in: f32, %b: f32, %out: f32):
    %s = arith.addf %in, %b : f32
    %r = arith.maximumf %s, %zero : f32
    %c = arith.minimumf %r, %six : f32
    linalg.yield %c : f32
  }
  return
}

// -----

// Max pooling: the depthwise loops without weights, starting from the -inf
// fill (erased) instead of reading y; stride 2 takes the even lanes of two
// loads. Sum pooling starts from its zero fill.
// CHECK-LABEL: func.func @test_pooling
// CHECK-NOT: linalg.fill
// CHECK: vector.shuffle
// CHECK: arith.maximumf {{.*}} : vector<8xf32>
// CHECK: arith.addf {{.*}} : vector<8xf32>
// CHECK-NOT: linalg.pooling
func.func @test_pooling(%x: memref<1x4x19x19xf32>, %y: memref<1x4x9x9xf32>, %s: memref<1x4x17x17xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %w = memref.alloc() : memref<3x3xf32>
  linalg.fill ins(%ninf : f32) outs(%y : memref<1x4x9x9xf32>)
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : memref<1x4x19x19xf32>, memref<3x3xf32>) outs(%y : memref<1x4x9x9xf32>)
  linalg.fill ins(%zero : f32) outs(%s : memref<1x4x17x17xf32>)
  linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<1x4x19x19xf32>, memref<3x3xf32>) outs(%s : memref<1x4x17x17xf32>)
  return
}

// -----

// A zero-padded copy (bufferized tensor.pad: fill, copy into the interior)
// that only the depthwise convolution reads: the kernel reads the source
// directly, rows outside it select zeros and chunks that reach into the
// left/right padding load with per-lane masks; fill, copy and buffer go.
// CHECK-LABEL: func.func @test_depthwise_padded
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg.map
// CHECK-NOT: memref.copy
// CHECK: arith.select
// CHECK: vector.maskedload %{{.*}} : memref<1x4x1x10x10xf32>
// CHECK-NOT: linalg.conv_2d_ngchw_gfchw
func.func @test_depthwise_padded(%src: memref<1x4x10x10xf32>, %w: memref<4x1x1x3x3xf32>,
                                 %y: memref<1x4x1x10x10xf32>) {
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() : memref<1x4x12x12xf32>
  linalg.map outs(%p : memref<1x4x12x12xf32>)
    (%init: f32) {
      linalg.yield %zero : f32
    }
  %sub = memref.subview %p[0, 0, 1, 1] [1, 4, 10, 10] [1, 1, 1, 1]
      : memref<1x4x12x12xf32> to memref<1x4x10x10xf32, strided<[576, 144, 12, 1], offset: 13>>
  memref.copy %src, %sub : memref<1x4x10x10xf32> to memref<1x4x10x10xf32, strided<[576, 144, 12, 1], offset: 13>>
  %x = memref.expand_shape %p [[0], [1, 2], [3], [4]] output_shape [1, 4, 1, 12, 12]
      : memref<1x4x12x12xf32> into memref<1x4x1x12x12xf32>
  linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<1x4x1x12x12xf32>, memref<4x1x1x3x3xf32>) outs(%y : memref<1x4x1x10x10xf32>)
  return
}

// -----

// Bufferization gave the epilogue (ReLU, out of place) the bytes of the
// padded copy's source, free once the copy was made. Folding the copy keeps
// the source alive while the kernel runs, so from the epilogue on that buffer
// moves to a fresh allocation: the kernel reads %src and stores into the new
// buffer, which the later reader takes.
// CHECK-LABEL: func.func @test_depthwise_padded_reused
// CHECK: %[[SRC:.*]] = memref.alloc() : memref<1x4x10x10xf32>
// CHECK: %[[NEW:.*]] = memref.alloc() : memref<1x4x10x10xf32>
// CHECK-NOT: memref.copy
// CHECK: %[[IN:.*]] = memref.expand_shape %[[SRC]]
// CHECK: %[[OUT:.*]] = memref.expand_shape %[[NEW]]
// CHECK: arith.maximumf
// CHECK: vector.store %{{.*}}, %[[OUT]]
// CHECK: linalg.generic {{.*}} ins(%[[NEW]] : memref<1x4x10x10xf32>) outs(%arg2 : memref<1x4x10x10xf32>)
func.func @test_depthwise_padded_reused(%in: memref<1x4x10x10xf32>, %w: memref<4x1x1x3x3xf32>,
                                        %out: memref<1x4x10x10xf32>) {
  %zero = arith.constant 0.0 : f32
  %src = memref.alloc() : memref<1x4x10x10xf32>
  linalg.copy ins(%in : memref<1x4x10x10xf32>) outs(%src : memref<1x4x10x10xf32>)
  %p = memref.alloc() : memref<1x4x12x12xf32>
  linalg.map outs(%p : memref<1x4x12x12xf32>)
    (%init: f32) {
      linalg.yield %zero : f32
    }
  %sub = memref.subview %p[0, 0, 1, 1] [1, 4, 10, 10] [1, 1, 1, 1]
      : memref<1x4x12x12xf32> to memref<1x4x10x10xf32, strided<[576, 144, 12, 1], offset: 13>>
  memref.copy %src, %sub : memref<1x4x10x10xf32> to memref<1x4x10x10xf32, strided<[576, 144, 12, 1], offset: 13>>
  %x = memref.expand_shape %p [[0], [1, 2], [3], [4]] output_shape [1, 4, 1, 12, 12]
      : memref<1x4x12x12xf32> into memref<1x4x1x12x12xf32>
  %y = memref.alloc() : memref<1x4x1x10x10xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x4x1x10x10xf32>)
  linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<1x4x1x12x12xf32>, memref<4x1x1x3x3xf32>) outs(%y : memref<1x4x1x10x10xf32>)
  %yv = memref.collapse_shape %y [[0], [1, 2], [3], [4]] : memref<1x4x1x10x10xf32> into memref<1x4x10x10xf32>
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%yv : memref<1x4x10x10xf32>) outs(%src : memref<1x4x10x10xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  }
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%src : memref<1x4x10x10xf32>) outs(%out : memref<1x4x10x10xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  }
  return
}

// -----

// A stride-2 convolution's im2col panels: lanes on one output row read every
// other input element, as two loads (the second skips its last lane) and an
// even-lane shuffle; other lanes are gathered.
// CHECK-LABEL: func.func @test_conv_stride2
// CHECK: scf.if
// CHECK: vector.load %{{.*}} : memref<891xf32>, vector<8xf32>
// CHECK: vector.maskedload %{{.*}} : memref<891xf32>, vector<8xi1>, vector<8xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14]
// CHECK: } else {
// CHECK: vector.gather
func.func @test_conv_stride2(%x: memref<1x3x9x33xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x4x16xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : memref<1x3x9x33xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x16xf32>)
  return
}

// -----

// Constant convolution weights become A in row tiles of 6 (8 filters -> 2
// tiles, the second half zero): the kernel's 6 broadcasts per k step read
// adjacent values. The original weights go.
// CHECK: memref.global "private" constant @wc_tiles : memref<2x27x6xf32> = dense_resource<wc_tiles>
// CHECK-NOT: memref.global "private" constant @wc :
// CHECK-LABEL: func.func @test_conv_constant_weights
// CHECK: memref.get_global @wc_tiles
// CHECK: memref.load %{{.*}}[%{{.*}}, %{{.*}}, %c5{{.*}}] : memref<2x27x6xf32>
memref.global "private" constant @wc : memref<8x3x3x3xf32> = dense<1.0>
func.func @test_conv_constant_weights(%x: memref<1x3x12x12xf32>, %y: memref<1x8x10x10xf32>) {
  %w = memref.get_global @wc : memref<8x3x3x3xf32>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<1x3x12x12xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x10x10xf32>)
  return
}

// -----

// A 1x1 convolution whose residual add (the block's input, read and written
// in place) follows: the zero fill, emitted two ops earlier, sinks to the
// conv and goes; the GEMM's C is the residual buffer and the add is its
// epilogue (reading the old value before the store). The allocation between
// the conv and the add does not stop it. K = 600 is above the 512 k block:
// one k block instead, so the epilogue never sees partial sums.
// CHECK-LABEL: func.func @test_conv_residual_out_of_place
// CHECK-NOT: linalg.fill
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<1x600x16xf32>
// CHECK-NOT: %c512
// CHECK: vector.load %{{.*}} : memref<8x16xf32, strided<[16, 1], offset: ?>>, vector<8xf32>
// CHECK-NEXT: arith.addf
// CHECK: vector.store %{{.*}} : memref<8x16xf32, strided<[16, 1], offset: ?>>, vector<8xf32>
// CHECK-NOT: linalg.generic
// CHECK: memref.copy %{{.*}}, %arg3
func.func @test_conv_residual_out_of_place(%x: memref<1x600x4x4xf32>, %w: memref<8x600x1x1xf32>,
                                           %r: memref<1x8x4x4xf32>, %o: memref<1x8x4x4xf32>,
                                           %other: memref<1x8x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() {alignment = 64 : i64} : memref<1x8x4x4xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x8x4x4xf32>)
  memref.copy %r, %other : memref<1x8x4x4xf32> to memref<1x8x4x4xf32>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<1x600x4x4xf32>, memref<8x600x1x1xf32>) outs(%y : memref<1x8x4x4xf32>)
  %tmp = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>,
                                   affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r, %y : memref<1x8x4x4xf32>, memref<1x8x4x4xf32>) outs(%r : memref<1x8x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  memref.copy %r, %o : memref<1x8x4x4xf32> to memref<1x8x4x4xf32>
  return
}

// -----

// The fill stays where it is when an op in between may read the buffer
// (here a copy out of it), and then also the epilogue stays apart.
// CHECK-LABEL: func.func @test_conv_fill_kept
// CHECK: linalg.fill
// CHECK: memref.copy
// CHECK: vector.fma
// CHECK: linalg.generic
func.func @test_conv_fill_kept(%x: memref<1x16x4x4xf32>, %w: memref<8x16x1x1xf32>,
                               %r: memref<1x8x4x4xf32>, %seen: memref<1x8x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() {alignment = 64 : i64} : memref<1x8x4x4xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x8x4x4xf32>)
  memref.copy %y, %seen : memref<1x8x4x4xf32> to memref<1x8x4x4xf32>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<1x16x4x4xf32>, memref<8x16x1x1xf32>) outs(%y : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>,
                                   affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r, %y : memref<1x8x4x4xf32>, memref<1x8x4x4xf32>) outs(%r : memref<1x8x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// The epilogue writes a channel slice of a Concat's buffer (each image
// contiguous, the batch stride larger): the GEMM stores there. The conv's
// buffer was used before (bufferization reuses buffers): that does not
// stop it, since nothing after the conv reads it.
// CHECK-LABEL: func.func @test_conv_epilogue_into_slice
// CHECK: %[[S:.*]] = memref.subview %[[CAT:.*]][0, 4, 0, 0] [2, 8, 4, 4]
// CHECK: memref.subview %[[S]][%{{.*}}, 0, 0, 0] [1, 8, 4, 4] [1, 1, 1, 1] : memref<2x8x4x4xf32, strided<[192, 16, 4, 1], offset: 64>> to memref<8x4x4xf32, strided<[16, 4, 1], offset: ?>>
// CHECK: arith.maximumf {{.*}} : vector<8xf32>
// CHECK-NOT: linalg.generic
func.func @test_conv_epilogue_into_slice(%x: memref<2x16x4x4xf32>, %w: memref<8x16x1x1xf32>,
                                         %prev: memref<2x8x4x4xf32>, %o: memref<2x16x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() {alignment = 64 : i64} : memref<2x8x4x4xf32>
  memref.copy %prev, %y : memref<2x8x4x4xf32> to memref<2x8x4x4xf32>
  memref.copy %y, %prev : memref<2x8x4x4xf32> to memref<2x8x4x4xf32>
  %cat = memref.alloc() {alignment = 64 : i64} : memref<2x12x4x4xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<2x8x4x4xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : memref<2x16x4x4xf32>, memref<8x16x1x1xf32>) outs(%y : memref<2x8x4x4xf32>)
  %s = memref.subview %cat[0, 4, 0, 0] [2, 8, 4, 4] [1, 1, 1, 1] : memref<2x12x4x4xf32> to memref<2x8x4x4xf32, strided<[192, 16, 4, 1], offset: 64>>
  linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>],
                  iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : memref<2x8x4x4xf32>) outs(%s : memref<2x8x4x4xf32, strided<[192, 16, 4, 1], offset: 64>>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A run-time A read by 4 or more column panels (here 64 columns: 4) is
// packed first, in parallel over its row tiles, into [ceil(M/6)][K][6]
// (rows past M zero: 8 rows -> 2 tiles, the second holding 2); the
// microkernel then broadcasts from the tiles.
// CHECK-LABEL: func.func @test_matmul_pack_a
// CHECK: %[[AP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x5x6xf32>
// CHECK: scf.for
// CHECK: memref.load %arg0
// CHECK: memref.store %{{.*}}, %[[AP]]
// CHECK: scf.if
// CHECK: memref.store %cst{{.*}}, %[[AP]]
// CHECK: memref.load %[[AP]]
// CHECK: vector.fma
func.func @test_matmul_pack_a(%a: memref<8x5xf32>, %b: memref<5x64xf32>, %c: memref<8x64xf32>) {
  linalg.matmul ins(%a, %b : memref<8x5xf32>, memref<5x64xf32>) outs(%c : memref<8x64xf32>)
  return
}

// -----

// MatMul + bias per column + ReLU (a Linear layer), written to another
// buffer: the zero fill goes, the GEMM stores into %out, and the bias is
// read as lanes at the tile's columns before the max. (Were the matmul's
// buffer a function argument, a model output, it would still be written.)
// CHECK-LABEL: func.func @test_matmul_bias_relu
// CHECK-NOT: linalg.fill
// CHECK: vector.fma
// CHECK: vector.load %arg2[%{{.*}}] : memref<32xf32>, vector<8xf32>
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: vector.store %{{.*}}, %arg3
// CHECK-NOT: linalg.generic
// CHECK-LABEL: func.func @test_matmul_output_kept
// CHECK: vector.store %{{.*}}, %arg2
// CHECK: linalg.generic
func.func @test_matmul_bias_relu(%a: memref<12x16xf32>, %w: memref<16x32xf32>,
                                 %bias: memref<32xf32>, %out: memref<12x32xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() : memref<12x32xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<12x32xf32>)
  linalg.matmul ins(%a, %w : memref<12x16xf32>, memref<16x32xf32>) outs(%y : memref<12x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%bias, %y : memref<32xf32>, memref<12x32xf32>) outs(%out : memref<12x32xf32>) {
  ^bb0(%b: f32, %v: f32, %o: f32):
    %s = arith.addf %b, %v : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  }
  return
}

func.func @test_matmul_output_kept(%a: memref<12x16xf32>, %w: memref<16x32xf32>, %y: memref<12x32xf32>,
                                   %bias: memref<32xf32>, %out: memref<12x32xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<12x32xf32>)
  linalg.matmul ins(%a, %w : memref<12x16xf32>, memref<16x32xf32>) outs(%y : memref<12x32xf32>)
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%bias, %y : memref<32xf32>, memref<12x32xf32>) outs(%out : memref<12x32xf32>) {
  ^bb0(%b: f32, %v: f32, %o: f32):
    %s = arith.addf %b, %v : f32
    linalg.yield %s : f32
  }
  return
}
