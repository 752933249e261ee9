// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg | FileCheck %s

// Broadcasting Add: one generic, the vector indexed by the last dim only.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: @test_add_bcast
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]]
// CHECK: arith.addf
func.func @test_add_bcast(%a: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<3x4xf32> {
  %0 = "onnx.Add"(%a, %b) : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// Dynamic dims are read from the operand with tensor.dim.
// CHECK-LABEL: @test_relu_dynamic
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: tensor.dim %{{.*}}, %[[C0]]
// CHECK: linalg.generic
// CHECK: arith.maximumf
func.func @test_relu_dynamic(%a: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = "onnx.Relu"(%a) : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// Conv: explicit pad, named NCHW convolution, bias as a broadcast add.
// CHECK-LABEL: @test_conv_bias
// CHECK: tensor.pad
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
// CHECK: tensor.expand_shape
// CHECK: linalg.generic
func.func @test_conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = "onnx.Conv"(%x, %w, %b) <{pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}> : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Depthwise convolution goes through the grouped NGCHW form.
// CHECK-LABEL: @test_conv_depthwise
// CHECK: linalg.conv_2d_ngchw_gfchw
// CHECK: tensor.collapse_shape
func.func @test_conv_depthwise(%x: tensor<1x4x6x6xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32> {
  %none = "onnx.NoValue"() : () -> none
  %0 = "onnx.Conv"(%x, %w, %none) <{group = 4 : i64}> : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>, none) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Gemm with transB reads B as (n, k); alpha/beta fold into the epilogue.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[BT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: @test_gemm_transposeB
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[BT]], {{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
func.func @test_gemm_transposeB(%a: tensor<3x6xf32>, %b: tensor<4x6xf32>, %c: tensor<4xf32>) -> tensor<3x4xf32> {
  %0 = "onnx.Gemm"(%a, %b, %c) <{transB = 1 : i64}> : (tensor<3x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// Softmax: max-reduce, exp, sum-reduce, divide.
// CHECK-LABEL: @test_softmax_axis_1
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
func.func @test_softmax_axis_1(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  %0 = "onnx.Softmax"(%x) <{axis = 1 : i64}> : (tensor<2x10xf32>) -> tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// Flatten is a reshape to the static result type (a view after bufferization).
// CHECK-LABEL: @test_flatten_axis1
// CHECK: tensor.reshape
func.func @test_flatten_axis1(%x: tensor<2x3x4xf32>) -> tensor<2x12xf32> {
  %0 = "onnx.Flatten"(%x) <{axis = 1 : i64}> : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  return %0 : tensor<2x12xf32>
}

// -----

// Einsum: one generic, a loop per label; 'j' is summed.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-LABEL: @test_einsum_batch_matmul
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
func.func @test_einsum_batch_matmul(%a: tensor<5x2x3xf32>, %b: tensor<5x3x4xf32>) -> tensor<5x2x4xf32> {
  %0 = "onnx.Einsum"(%a, %b) <{equation = "bij, bjk -> bik"}> : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<5x2x4xf32>
  return %0 : tensor<5x2x4xf32>
}

// -----

// BitShift (unsigned, already signless here as after onnxc-make-signless):
// shifts by the width or more give 0 rather than poison.
// CHECK-LABEL: @test_bitshift
// CHECK: linalg.generic
// CHECK: %[[S:.*]] = arith.shrui %{{.*}}, %[[Y:.*]] : i8
// CHECK: %[[FAR:.*]] = arith.cmpi uge, %[[Y]], %{{.*}} : i8
// CHECK: arith.select %[[FAR]], %{{.*}}, %[[S]] : i8
func.func @test_bitshift(%x: tensor<4xi8>, %y: tensor<4xi8>) -> tensor<4xi8> {
  %0 = "onnx.BitShift"(%x, %y) {direction = "RIGHT"} : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// CumSum with an axis computed at run time: the (negative-wrapped) axis
// selects one triangular generic per possible axis; out of range gives 0s.
// CHECK-LABEL: @test_cumsum_runtime_axis
// CHECK: %[[A:.*]] = tensor.extract %arg1[] : tensor<i32>
// CHECK: arith.index_cast %[[A]]
// CHECK: scf.index_switch
// CHECK: case 0 {
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: case 1 {
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: default {
// CHECK: linalg.fill
func.func @test_cumsum_runtime_axis(%x: tensor<2x3xf32>, %axis: tensor<i32>) -> tensor<2x3xf32> {
  %0 = "onnx.CumSum"(%x, %axis) : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// LRN: squares padded along channels by (size-1)/2 before and the rest
// after, a window sum over k, then x / (bias + alpha/size * sum)^beta.
// CHECK-LABEL: @test_lrn
// CHECK: tensor.pad %{{.*}} low[0, 1, 0, 0] high[0, 2, 0, 0]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
// CHECK: math.powf
func.func @test_lrn(%x: tensor<1x5x2x2xf32>) -> tensor<1x5x2x2xf32> {
  %0 = "onnx.LRN"(%x) <{size = 4 : i64}> : (tensor<1x5x2x2xf32>) -> tensor<1x5x2x2xf32>
  return %0 : tensor<1x5x2x2xf32>
}

// -----

// MaxPool's Indices output: one generic with two accumulators; a strictly
// greater value takes the flat (row-major, unpadded) index of its position.
// CHECK-LABEL: @test_maxpool_indices
// CHECK: linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
// CHECK: arith.cmpf ogt
// CHECK: arith.select
// CHECK: arith.select
func.func @test_maxpool_indices(%x: tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>) {
  %y, %i = "onnx.MaxPool"(%x) <{kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}> : (tensor<1x1x4x4xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>)
  return %y, %i : tensor<1x1x2x2xf32>, tensor<1x1x2x2xi64>
}

// -----

// Training-mode BatchNormalization: batch mean and variance over N and the
// spatial dims, and running statistics moved by (1 - momentum).
// CHECK-LABEL: @test_batchnorm_training
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "reduction", "reduction"]
// CHECK: linalg.generic {{.*}}iterator_types = ["reduction", "parallel", "reduction", "reduction"]
// CHECK: tensor.collapse_shape {{.*}} into tensor<3xf32>
// CHECK: arith.constant 0.89999997
// CHECK: math.rsqrt
func.func @test_batchnorm_training(%x: tensor<2x3x4x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>)
    -> (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %rm, %rv = "onnx.BatchNormalization"(%x, %s, %b, %m, %v) <{training_mode = 1 : i64, momentum = 0.9 : f32}>
      : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>)
  return %y, %rm, %rv : tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Det: per matrix, elimination with partial pivoting in scf loops; the
// result is the product of the pivots, negated per row swap.
// CHECK-LABEL: @test_det
// CHECK: scf.for
// CHECK: tensor.extract_slice {{.*}} to tensor<3x3xf32>
// CHECK: scf.for
// CHECK: math.absf
// CHECK: arith.negf
// CHECK: arith.divf
// CHECK: tensor.insert
func.func @test_det(%x: tensor<2x3x3xf32>) -> tensor<2xf32> {
  %0 = "onnx.Det"(%x) : (tensor<2x3x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
