// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg | FileCheck %s

// Ops from overlay.json (after ONNX 1.12); numerics are checked against
// ONNX Runtime by e2e.newer_opsets_vs_onnxruntime.

// RMSNormalization: mean of squares over the trailing dims, then x / rms * scale.
// CHECK-LABEL: @rms_norm
// CHECK: arith.mulf
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]
// CHECK: math.sqrt
// CHECK: arith.divf
func.func @rms_norm(%x: tensor<2x8xf32>, %s: tensor<8xf32>) -> tensor<2x8xf32> {
  %y = "onnx.RMSNormalization"(%x, %s) <{axis = -1 : i64, epsilon = 1.0e-5 : f32}> : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}

// -----

// CenterCropPad: one generic reading at a constant offset, zero outside.
// CHECK-LABEL: @center_crop_pad
// CHECK: linalg.generic
// CHECK:   arith.addi %{{.*}}, %c-1
// CHECK:   arith.addi %{{.*}}, %c1
// CHECK:   arith.select
func.func @center_crop_pad(%x: tensor<3x4xf32>) -> tensor<5x2xf32> {
  %shape = "onnx.Constant"() <{value = dense<[5, 2]> : tensor<2xi64>}> : () -> tensor<2xi64>
  %y = "onnx.CenterCropPad"(%x, %shape) : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}

// -----

// Col2Im: a loop over the 4 kernel offsets per output pixel.
// CHECK-LABEL: @col2im
// CHECK: linalg.generic
// CHECK:   scf.for %{{.*}} = %c0 to %c4
func.func @col2im(%x: tensor<1x8x6xf32>) -> tensor<1x2x3x4xf32> {
  %img = "onnx.Constant"() <{value = dense<[3, 4]> : tensor<2xi64>}> : () -> tensor<2xi64>
  %blk = "onnx.Constant"() <{value = dense<[2, 2]> : tensor<2xi64>}> : () -> tensor<2xi64>
  %y = "onnx.Col2Im"(%x, %img, %blk) <{pads = array<i64: 1, 0, 0, 1>, strides = array<i64: 1, 2>}> : (tensor<1x8x6xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<1x2x3x4xf32>
  return %y : tensor<1x2x3x4xf32>
}

// -----

// AffineGrid: theta times the normalized (x, y, 1) of each position.
// CHECK-LABEL: @affine_grid
// CHECK: linalg.generic
// CHECK-COUNT-3: tensor.extract %arg0
func.func @affine_grid(%theta: tensor<2x2x3xf32>) -> tensor<2x3x4x2xf32> {
  %size = "onnx.Constant"() <{value = dense<[2, 1, 3, 4]> : tensor<4xi64>}> : () -> tensor<4xi64>
  %y = "onnx.AffineGrid"(%theta, %size) : (tensor<2x2x3xf32>, tensor<4xi64>) -> tensor<2x3x4x2xf32>
  return %y : tensor<2x3x4x2xf32>
}

// -----

// RotaryEmbedding: one generic; each feature reads its partner and the
// cached angle of its position, features past rotary_embedding_dim pass.
// CHECK-LABEL: @rotary
// CHECK: linalg.generic
// CHECK:   tensor.extract %arg3
// CHECK:   tensor.extract %arg1
// CHECK:   tensor.extract %arg2
// CHECK:   arith.subf
// CHECK:   arith.addf
func.func @rotary(%x: tensor<1x2x3x6xf32>, %cos: tensor<8x2xf32>, %sin: tensor<8x2xf32>, %pos: tensor<1x3xi64>) -> tensor<1x2x3x6xf32> {
  %y = "onnx.RotaryEmbedding"(%x, %cos, %sin, %pos) <{rotary_embedding_dim = 4 : i64}> : (tensor<1x2x3x6xf32>, tensor<8x2xf32>, tensor<8x2xf32>, tensor<1x3xi64>) -> tensor<1x2x3x6xf32>
  return %y : tensor<1x2x3x6xf32>
}

// -----

// Attention is expanded into onnx ops that this conversion lowers in turn:
// two contractions around a softmax, the causal bias a constant.
// CHECK-LABEL: @attention_causal
// CHECK: linalg.generic {{.*}}"reduction"]} ins({{.*}}, %transposed : tensor<1x2x3x4xf32>, tensor<1x2x4x3xf32>)
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00, 0xFF800000, 0xFF800000], {{.*}} : tensor<3x3xf32>
// CHECK: math.exp
// CHECK: linalg.generic {{.*}}"reduction"]} {{.*}} outs({{.*}} : tensor<1x2x3x4xf32>)
func.func @attention_causal(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x3x4xf32>, %v: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %none = "onnx.NoValue"() : () -> none
  %y, %pk, %pv, %qk = "onnx.Attention"(%q, %k, %v, %none, %none, %none) <{is_causal = 1 : i64}> : (tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, tensor<1x2x3x4xf32>, none, none, none) -> (tensor<1x2x3x4xf32>, none, none, none)
  return %y : tensor<1x2x3x4xf32>
}

// -----

// DeformConv: the sampled columns [N, group, C/group * kH * kW, oH * oW]
// (offset pair and mask read per tap, four bilinear taps), then one matmul
// per group with W reshaped to [1, group, OC/group, K], then the bias.
// CHECK-LABEL: @deform_conv
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x18x6xf32>)
// CHECK-COUNT-2: tensor.extract %arg2
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK: tensor.extract %arg4
// CHECK: tensor.expand_shape {{.*}} into tensor<1x2x3x18xf32>
// CHECK: linalg.generic {{.*}}"reduction"]} ins({{.*}} : tensor<1x2x3x18xf32>, tensor<1x2x18x6xf32>)
// CHECK: tensor.expand_shape {{.*}} into tensor<1x6x2x3xf32>
// CHECK: arith.addf
func.func @deform_conv(%x: tensor<1x4x4x3xf32>, %w: tensor<6x2x3x3xf32>, %off: tensor<1x36x2x3xf32>, %b: tensor<6xf32>, %m: tensor<1x18x2x3xf32>) -> tensor<1x6x2x3xf32> {
  %y = "onnx.DeformConv"(%x, %w, %off, %b, %m) <{group = 2 : i64, offset_group = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 1>}> : (tensor<1x4x4x3xf32>, tensor<6x2x3x3xf32>, tensor<1x36x2x3xf32>, tensor<6xf32>, tensor<1x18x2x3xf32>) -> tensor<1x6x2x3xf32>
  return %y : tensor<1x6x2x3xf32>
}

// -----

// LpPool (18: dilations, ceil_mode): |x|^p of the zero-padded input (zeros
// stay zero) into a sum pool, then the p-th root (p = 2: square and sqrt;
// p = 3: powf both ways).
// CHECK-LABEL: @lp_pool_p2
// CHECK: tensor.pad %arg0 low[0, 0, 0, 0] high[0, 0, 0, 1]
// CHECK: math.absf
// CHECK: arith.mulf
// CHECK: linalg.pooling_nchw_sum {dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK: math.sqrt
func.func @lp_pool_p2(%x: tensor<1x2x7x8xf32>) -> tensor<1x2x2x4xf32> {
  %y = "onnx.LpPool"(%x) <{kernel_shape = array<i64: 3, 3>, dilations = array<i64: 2, 1>, strides = array<i64: 2, 2>, ceil_mode = 1 : i64, p = 2 : i64}> : (tensor<1x2x7x8xf32>) -> tensor<1x2x2x4xf32>
  return %y : tensor<1x2x2x4xf32>
}

// CHECK-LABEL: @lp_pool_p3
// CHECK: math.powf
// CHECK: linalg.pooling_nchw_sum
// CHECK: math.powf
func.func @lp_pool_p3(%x: tensor<1x2x7x8xf32>) -> tensor<1x2x6x7xf32> {
  %y = "onnx.LpPool"(%x) <{kernel_shape = array<i64: 2, 2>, p = 3 : i64}> : (tensor<1x2x7x8xf32>) -> tensor<1x2x6x7xf32>
  return %y : tensor<1x2x6x7xf32>
}

// -----

// AveragePool (19: dilations). With count_include_pad and ceil_mode, a window
// running past the explicitly padded input divides by the taps inside it:
// the counts come from pooling ones over the padded extent (9 x 8 here),
// zero-extended by the ceil overhang.
// CHECK-LABEL: @avg_pool_dilated_ceil
// CHECK: linalg.pooling_nchw_sum {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK: linalg.fill {{.*}} -> tensor<1x1x9x8xf32>
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 0, 1]
// CHECK: linalg.pooling_nchw_sum
// CHECK: arith.divf
func.func @avg_pool_dilated_ceil(%x: tensor<1x2x7x8xf32>) -> tensor<1x2x4x4xf32> {
  %y = "onnx.AveragePool"(%x) <{kernel_shape = array<i64: 3, 2>, dilations = array<i64: 1, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 1, 0>, count_include_pad = 1 : i64, ceil_mode = 1 : i64}> : (tensor<1x2x7x8xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Pad wrap (19): each output index reads (i - begin) mod n, made
// non-negative (pads larger than the data wrap around more than once).
// CHECK-LABEL: @pad_wrap
// CHECK: linalg.generic
// CHECK: arith.remsi %{{.*}}, %c3
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: tensor.extract %arg0
func.func @pad_wrap(%x: tensor<2x3xf32>) -> tensor<2x10xf32> {
  %p = "onnx.Constant"() <{value = dense<[0, 4, 0, 3]> : tensor<4xi64>}> : () -> tensor<4xi64>
  %none = "onnx.NoValue"() : () -> none
  %y = "onnx.Pad"(%x, %p, %none, %none) <{mode = "wrap"}> : (tensor<2x3xf32>, tensor<4xi64>, none, none) -> tensor<2x10xf32>
  return %y : tensor<2x10xf32>
}

// -----

// Resize keep_aspect_ratio_policy = not_larger (18): sizes 9 x 7 on 6 x 8
// give one scale, min(1.5, 0.875) = 0.875, for both axes (output 5 x 7); the
// half_pixel coordinates divide by it (1 / 0.875 = 1.14285719), and the
// sizes need no run-time check.
// CHECK-LABEL: @resize_not_larger
// CHECK-NOT: call @__onnxc_check
// CHECK: arith.constant 8.750000e-01 : f32
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x5x8xf32>)
// CHECK: arith.divf
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x5x7xf32>)
func.func @resize_not_larger(%x: tensor<1x2x6x8xf32>) -> tensor<1x2x5x7xf32> {
  %none = "onnx.NoValue"() : () -> none
  %s = "onnx.Constant"() <{value = dense<[9, 7]> : tensor<2xi64>}> : () -> tensor<2xi64>
  %y = "onnx.Resize"(%x, %none, %none, %s) <{mode = "linear", axes = array<i64: 2, 3>, keep_aspect_ratio_policy = "not_larger"}> : (tensor<1x2x6x8xf32>, none, none, tensor<2xi64>) -> tensor<1x2x5x7xf32>
  return %y : tensor<1x2x5x7xf32>
}

// -----

// DFT-20: axis is a scalar input; dft_length 12 on a signal of 8 sums the 8
// samples there are (the rest are zeros) with the angle step 2 pi / 12, and
// onesided keeps 12 / 2 + 1 = 7 frequencies.
// CHECK-LABEL: @dft20_length_onesided
// CHECK: tensor.empty() : tensor<8xf64>
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x7x6x2xf64>)
// CHECK: arith.remui %{{.*}}, %c12
// CHECK: arith.constant 0.52359877559829882 : f64
func.func @dft20_length_onesided(%x: tensor<1x8x6x1xf32>) -> tensor<1x7x6x2xf32> {
  %len = "onnx.Constant"() <{value = dense<12> : tensor<i64>}> : () -> tensor<i64>
  %axis = "onnx.Constant"() <{value = dense<1> : tensor<i64>}> : () -> tensor<i64>
  %y = "onnx.DFT"(%x, %len, %axis) <{onesided = 1 : i64}> : (tensor<1x8x6x1xf32>, tensor<i64>, tensor<i64>) -> tensor<1x7x6x2xf32>
  return %y : tensor<1x7x6x2xf32>
}

// -----

// Resize antialias (18), linear, scale 0.5 along W: the triangle filter is
// widened to 1 / 0.5, so the pass has 2 - 2 * (floor(-1 / 0.5) + 1) = 4
// taps, weights max(0, 1 - |0.5 (i - t)|) normalised by their sum; H
// (scale 1) is not resampled.
// CHECK-LABEL: @resize_antialias_linear
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x1x4x4xf32>)
// CHECK-COUNT-4: math.absf
// CHECK-COUNT-4: arith.divf
// CHECK-COUNT-4: tensor.extract %arg0
// CHECK-NOT: linalg.generic
func.func @resize_antialias_linear(%x: tensor<1x1x4x8xf32>) -> tensor<1x1x4x4xf32> {
  %none = "onnx.NoValue"() : () -> none
  %s = "onnx.Constant"() <{value = dense<[1.0, 1.0, 1.0, 0.5]> : tensor<4xf32>}> : () -> tensor<4xf32>
  %y = "onnx.Resize"(%x, %none, %s, %none) <{mode = "linear", antialias = 1 : i64}> : (tensor<1x1x4x8xf32>, none, tensor<4xf32>, none) -> tensor<1x1x4x4xf32>
  return %y : tensor<1x1x4x4xf32>
}

// -----

// Attention with a bool mask over 3 of the 5 keys (23): True/False become
// 0/-inf, then the mask is padded to the 5 keys with -inf before it is
// added to the scores.
// CHECK-LABEL: @attention_short_mask
// CHECK: arith.constant dense<0xFF800000> : tensor<f32>
// CHECK: arith.select {{.*}} : f32
// CHECK: %[[NEGINF:.*]] = arith.constant dense<0xFF800000> : tensor<f32>
// CHECK: %[[V:.*]] = tensor.extract %[[NEGINF]][] : tensor<f32>
// CHECK: tensor.pad %{{.*}} low[0, 0] high[0, 2]
// CHECK:   tensor.yield %[[V]] : f32
// CHECK: } : tensor<3x3xf32> to tensor<3x5xf32>
// CHECK: arith.addf
func.func @attention_short_mask(%q: tensor<1x2x3x4xf32>, %k: tensor<1x2x5x4xf32>, %v: tensor<1x2x5x4xf32>,
                                %m: tensor<3x3xi1>) -> tensor<1x2x3x4xf32> {
  %none = "onnx.NoValue"() : () -> none
  %y, %pk, %pv, %qk = "onnx.Attention"(%q, %k, %v, %m, %none, %none) : (tensor<1x2x3x4xf32>, tensor<1x2x5x4xf32>, tensor<1x2x5x4xf32>, tensor<3x3xi1>, none, none) -> (tensor<1x2x3x4xf32>, none, none, none)
  return %y : tensor<1x2x3x4xf32>
}
