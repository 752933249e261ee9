// RUN: onnxc-opt %s -split-input-file -onnxc-infer-shapes | FileCheck %s

// Numpy broadcasting of a trailing vector.
// CHECK-LABEL: @test_add_bcast
// CHECK: "onnx.Add"{{.*}} -> tensor<3x4x5xf32>
func.func @test_add_bcast(%a: tensor<3x4x5xf32>, %b: tensor<5xf32>) -> tensor<*xf32> {
  %0 = "onnx.Add"(%a, %b) : (tensor<3x4x5xf32>, tensor<5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// A symbolic (dynamic) dim survives and broadcasting against 1 keeps it.
// CHECK-LABEL: @test_mul_dynamic
// CHECK: "onnx.Mul"{{.*}} -> tensor<?x4xf32>
// CHECK: return {{.*}} : tensor<?x4xf32>
func.func @test_mul_dynamic(%a: tensor<?x4xf32>, %b: tensor<1x4xf32>) -> tensor<*xf32> {
  %0 = "onnx.Mul"(%a, %b) : (tensor<?x4xf32>, tensor<1x4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Conv: pads, strides and output channels from W.
// CHECK-LABEL: @test_conv_with_strides_padding
// CHECK: "onnx.Conv"{{.*}} -> tensor<1x1x4x3xf32>
func.func @test_conv_with_strides_padding(%x: tensor<1x1x7x5xf32>, %w: tensor<1x1x3x3xf32>) -> tensor<*xf32> {
  %none = "onnx.NoValue"() : () -> none
  %0 = "onnx.Conv"(%x, %w, %none) <{pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}> : (tensor<1x1x7x5xf32>, tensor<1x1x3x3xf32>, none) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// LpPool (18) and AveragePool (19) with dilations and ceil_mode: the
// dilated window spans 5 rows and 3 columns.
// CHECK-LABEL: @test_dilated_pools
// CHECK: "onnx.LpPool"{{.*}} -> tensor<1x1x2x3xf32>
// CHECK: "onnx.AveragePool"{{.*}} -> tensor<1x1x2x3xf32>
func.func @test_dilated_pools(%x: tensor<1x1x7x6xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = "onnx.LpPool"(%x) <{ceil_mode = 1 : i64, dilations = array<i64: 2, 2>, kernel_shape = array<i64: 3, 2>, strides = array<i64: 2, 2>}> : (tensor<1x1x7x6xf32>) -> tensor<*xf32>
  %1 = "onnx.AveragePool"(%x) <{ceil_mode = 1 : i64, dilations = array<i64: 2, 2>, kernel_shape = array<i64: 3, 2>, strides = array<i64: 2, 2>}> : (tensor<1x1x7x6xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Resize keep_aspect_ratio_policy (18): one scale for the listed axes,
// min (not_larger: 0.875 -> 5 x 7) or max (not_smaller: 1.5 -> 9 x 12) of
// sizes / in, each size rounded half up.
// CHECK-LABEL: @test_resize_keep_aspect
// CHECK: "onnx.Resize"{{.*}} -> tensor<1x2x5x7xf32>
// CHECK: "onnx.Resize"{{.*}} -> tensor<1x2x9x12xf32>
func.func @test_resize_keep_aspect(%x: tensor<1x2x6x8xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %none = "onnx.NoValue"() : () -> none
  %s = "onnx.Constant"() <{value = dense<[9, 7]> : tensor<2xi64>}> : () -> tensor<2xi64>
  %0 = "onnx.Resize"(%x, %none, %none, %s) <{axes = array<i64: 2, 3>, keep_aspect_ratio_policy = "not_larger"}> : (tensor<1x2x6x8xf32>, none, none, tensor<2xi64>) -> tensor<*xf32>
  %1 = "onnx.Resize"(%x, %none, %none, %s) <{axes = array<i64: 2, 3>, keep_aspect_ratio_policy = "not_smaller"}> : (tensor<1x2x6x8xf32>, none, none, tensor<2xi64>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// DFT: the axis input (absent: -2) at dft_length, onesided n / 2 + 1, and
// a last dim of 2.
// CHECK-LABEL: @test_dft_shapes
// CHECK: "onnx.DFT"{{.*}} -> tensor<2x8x3x2xf32>
// CHECK: "onnx.DFT"{{.*}} -> tensor<2x6x3x2xf32>
func.func @test_dft_shapes(%x: tensor<2x8x3x1xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %none = "onnx.NoValue"() : () -> none
  %len = "onnx.Constant"() <{value = dense<10> : tensor<i64>}> : () -> tensor<i64>
  %axis = "onnx.Constant"() <{value = dense<1> : tensor<i64>}> : () -> tensor<i64>
  %0 = "onnx.DFT"(%x, %none, %none) : (tensor<2x8x3x1xf32>, none, none) -> tensor<*xf32>
  %1 = "onnx.DFT"(%x, %len, %axis) <{onesided = 1 : i64}> : (tensor<2x8x3x1xf32>, tensor<i64>, tensor<i64>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// MaxPool with ceil_mode rounds the output size up.
// CHECK-LABEL: @test_maxpool_2d_ceil
// CHECK: "onnx.MaxPool"{{.*}} -> (tensor<1x1x2x2xf32>, none)
func.func @test_maxpool_2d_ceil(%x: tensor<1x1x4x4xf32>) -> tensor<*xf32> {
  %0, %1 = "onnx.MaxPool"(%x) <{ceil_mode = 1 : i64, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>}> : (tensor<1x1x4x4xf32>) -> (tensor<*xf32>, none)
  return %0 : tensor<*xf32>
}

// -----

// Reshape reads its target from a constant: 0 copies, -1 infers.
// CHECK-LABEL: @test_reshape_zero_and_negative_dim
// CHECK: "onnx.Reshape"{{.*}} -> tensor<2x3x4xf32>
func.func @test_reshape_zero_and_negative_dim(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  %s = "onnx.Constant"() <{value = dense<[2, 0, -1]> : tensor<3xi64>}> : () -> tensor<3xi64>
  %0 = "onnx.Reshape"(%x, %s) : (tensor<2x3x4xf32>, tensor<3xi64>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Gemm with transB (torch's Linear).
// CHECK-LABEL: @test_gemm_transposeB
// CHECK: "onnx.Gemm"{{.*}} -> tensor<3x4xf32>
func.func @test_gemm_transposeB(%a: tensor<3x6xf32>, %b: tensor<4x6xf32>, %c: tensor<4xf32>) -> tensor<*xf32> {
  %0 = "onnx.Gemm"(%a, %b, %c) <{transB = 1 : i64}> : (tensor<3x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// MatMul broadcasts batch dims and drops the promoted dim of a 1-D operand.
// CHECK-LABEL: @test_matmul_3d_by_1d
// CHECK: "onnx.MatMul"{{.*}} -> tensor<2x3xf32>
func.func @test_matmul_3d_by_1d(%a: tensor<2x3x4xf32>, %b: tensor<4xf32>) -> tensor<*xf32> {
  %0 = "onnx.MatMul"(%a, %b) : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Concat adds sizes along the axis; Flatten folds around its axis.
// CHECK-LABEL: @test_concat_flatten
// CHECK: "onnx.Concat"{{.*}} -> tensor<2x5x3xf32>
// CHECK: "onnx.Flatten"{{.*}} -> tensor<2x15xf32>
func.func @test_concat_flatten(%a: tensor<2x2x3xf32>, %b: tensor<2x3x3xf32>) -> tensor<*xf32> {
  %0 = "onnx.Concat"(%a, %b) <{axis = 1 : i64}> : (tensor<2x2x3xf32>, tensor<2x3x3xf32>) -> tensor<*xf32>
  %1 = "onnx.Flatten"(%0) <{axis = 1 : i64}> : (tensor<*xf32>) -> tensor<*xf32>
  return %1 : tensor<*xf32>
}

// -----

// Comparisons yield i1; Cast takes its element type from `to`.
// CHECK-LABEL: @test_less_cast
// CHECK: "onnx.Less"{{.*}} -> tensor<3xi1>
// CHECK: "onnx.Cast"{{.*}} -> tensor<3xi64>
func.func @test_less_cast(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<*xi64> {
  %0 = "onnx.Less"(%a, %b) : (tensor<3xf32>, tensor<3xf32>) -> tensor<*xi1>
  %1 = "onnx.Cast"(%0) <{to = 7 : i64}> : (tensor<*xi1>) -> tensor<*xi64>
  return %1 : tensor<*xi64>
}

// -----

// Einsum with an ellipsis and a diagonal: "...ii->...i".
// CHECK-LABEL: @test_einsum_batch_diagonal
// CHECK: "onnx.Einsum"{{.*}} -> tensor<3x5xf32>
func.func @test_einsum_batch_diagonal(%x: tensor<3x5x5xf32>) -> tensor<*xf32> {
  %0 = "onnx.Einsum"(%x) <{equation = "...ii ->...i"}> : (tensor<3x5x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

// Quantized ops: QuantizeLinear without a zero point yields uint8;
// DynamicQuantizeLinear adds scalar scale and zero point; MatMulInteger
// accumulates in i32; QLinearConv takes Conv's shape and y's zero-point type.
// CHECK-LABEL: @test_quantized_shapes
// CHECK: "onnx.QuantizeLinear"{{.*}} -> tensor<2x3xui8>
// CHECK: "onnx.DynamicQuantizeLinear"{{.*}} -> (tensor<2x3xui8>, tensor<f32>, tensor<ui8>)
// CHECK: "onnx.MatMulInteger"{{.*}} -> tensor<2x5xi32>
// CHECK: "onnx.QLinearConv"{{.*}} -> tensor<1x4x3x3xi8>
func.func @test_quantized_shapes(%x: tensor<2x3xf32>, %s: tensor<f32>, %b: tensor<3x5xui8>,
                                 %cx: tensor<1x2x5x5xi8>, %zi: tensor<i8>, %w: tensor<4x2x3x3xi8>) {
  %none = "onnx.NoValue"() : () -> none
  %q = "onnx.QuantizeLinear"(%x, %s, %none) : (tensor<2x3xf32>, tensor<f32>, none) -> tensor<*xui8>
  %y, %ys, %yz = "onnx.DynamicQuantizeLinear"(%x) : (tensor<2x3xf32>) -> (tensor<*xui8>, tensor<*xf32>, tensor<*xui8>)
  %m = "onnx.MatMulInteger"(%q, %b, %none, %none) : (tensor<*xui8>, tensor<3x5xui8>, none, none) -> tensor<*xi32>
  %c = "onnx.QLinearConv"(%cx, %s, %zi, %w, %s, %zi, %s, %zi, %none) : (tensor<1x2x5x5xi8>, tensor<f32>, tensor<i8>, tensor<4x2x3x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<i8>, none) -> tensor<*xi8>
  return
}
