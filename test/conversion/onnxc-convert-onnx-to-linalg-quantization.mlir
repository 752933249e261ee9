// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg | FileCheck %s

// Per-axis QuantizeLinear: the [3] scale and zero point are reshaped to
// [1, 3, 1] to broadcast along axis 1; round half to even, add the zero
// point, saturate to the unsigned range, then narrow.
// CHECK-LABEL: @test_quantize_per_axis
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2]] {{.*}} into tensor<1x3x1xf32>
// CHECK: linalg.generic
// CHECK: arith.divf
// CHECK: arith.uitofp
// CHECK: math.roundeven
// CHECK: arith.maxnumf {{.*}}
// CHECK: arith.minnumf
// CHECK: arith.fptosi {{.*}} to i32
// CHECK: arith.trunci {{.*}} to i8
func.func @test_quantize_per_axis(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>, %z: tensor<3xi8>) -> tensor<2x3x4xi8> {
  %0 = "onnx.QuantizeLinear"(%x, %s, %z) <{axis = 1 : i64}> {onnxc.unsigned_operands = array<i1: false, false, true>} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xi8>) -> tensor<2x3x4xi8>
  return %0 : tensor<2x3x4xi8>
}

// -----

// Signed DequantizeLinear: the zero point is subtracted in i32 (sign
// extension), then converted and scaled.
// CHECK-LABEL: @test_dequantize_signed
// CHECK: arith.extsi {{.*}} to i32
// CHECK: arith.extsi {{.*}} to i32
// CHECK: arith.subi
// CHECK: linalg.generic
// CHECK: arith.sitofp
// CHECK: arith.mulf
func.func @test_dequantize_signed(%x: tensor<4xi8>, %s: tensor<f32>, %z: tensor<i8>) -> tensor<4xf32> {
  %0 = "onnx.DequantizeLinear"(%x, %s, %z) : (tensor<4xi8>, tensor<f32>, tensor<i8>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// MatMulInteger: uint8 operands are zero-extended, zero points subtracted,
// and the product accumulates in i32.
// CHECK-LABEL: @test_matmul_integer
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: arith.extui
// CHECK: arith.subi
// CHECK: linalg.fill {{.*}} -> tensor<2x4xi32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.muli
// CHECK: arith.addi
func.func @test_matmul_integer(%a: tensor<2x3xi8>, %b: tensor<3x4xi8>, %za: tensor<i8>, %zb: tensor<i8>) -> tensor<2x4xi32> {
  %0 = "onnx.MatMulInteger"(%a, %b, %za, %zb) {onnxc.unsigned_operands = array<i1: true, true, true, true>} : (tensor<2x3xi8>, tensor<3x4xi8>, tensor<i8>, tensor<i8>) -> tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

// QLinearConv: an i32 convolution plus the per-channel bias, then
// requantization with the per-channel weight scale (reshaped to [1, 2, 1, 1]).
// CHECK-LABEL: @test_qlinear_conv
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} outs(%{{.*}} : tensor<1x2x3x3xi32>)
// CHECK: arith.addi
// CHECK: tensor.expand_shape {{.*}} into tensor<1x2x1x1xf32>
// CHECK: linalg.generic
// CHECK: arith.sitofp
// CHECK: math.roundeven
// CHECK: arith.trunci {{.*}} to i8
func.func @test_qlinear_conv(%x: tensor<1x1x3x3xi8>, %sx: tensor<f32>, %zx: tensor<i8>, %w: tensor<2x1x1x1xi8>,
                             %sw: tensor<2xf32>, %zw: tensor<2xi8>, %sy: tensor<f32>, %zy: tensor<i8>,
                             %bias: tensor<2xi32>) -> tensor<1x2x3x3xi8> {
  %0 = "onnx.QLinearConv"(%x, %sx, %zx, %w, %sw, %zw, %sy, %zy, %bias) : (tensor<1x1x3x3xi8>, tensor<f32>, tensor<i8>, tensor<2x1x1x1xi8>, tensor<2xf32>, tensor<2xi8>, tensor<f32>, tensor<i8>, tensor<2xi32>) -> tensor<1x2x3x3xi8>
  return %0 : tensor<1x2x3x3xi8>
}

// -----

// float8: to E4M3FN the magnitude is rounded half to even at its binade in
// f32, then encoded into the byte, saturating (the default) at 448 = 0x7E;
// back from float8 the fields decode exactly into an f32.
// CHECK-LABEL: @test_cast_float8
// CHECK: math.roundeven
// CHECK: arith.constant 4.480000e+02 : f32
// CHECK: arith.constant 126 : i32
// CHECK: arith.trunci {{.*}} : i32 to i8
// CHECK: arith.bitcast {{.*}} : i8 to f8E4M3FN
// CHECK: arith.bitcast {{.*}} : f8E4M3FN to i8
// CHECK: arith.uitofp {{.*}} : i32 to f32
func.func @test_cast_float8(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "onnx.Cast"(%x) <{saturate = 1 : i64, to = 17 : i64}> : (tensor<4xf32>) -> tensor<4xf8E4M3FN>
  %1 = "onnx.Cast"(%0) <{saturate = 1 : i64, to = 1 : i64}> : (tensor<4xf8E4M3FN>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// float4 E2M1 (opset 23): the same rounding with one mantissa bit and bias 1,
// always saturating at 6 = 0x7 (saturate=0 notwithstanding), the sign in bit
// 3 of the nibble; back, the fields decode into an f32 (no NaN or infinity).
// CHECK-LABEL: @test_cast_float4
// CHECK: math.roundeven
// CHECK: arith.constant 6.000000e+00 : f32
// CHECK: arith.trunci {{.*}} : i32 to i4
// CHECK: arith.bitcast {{.*}} : i4 to f4E2M1FN
// CHECK: arith.bitcast {{.*}} : f4E2M1FN to i4
// CHECK: arith.constant 8 : i32
// CHECK-NOT: 0x7FC00000
// CHECK: return
func.func @test_cast_float4(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "onnx.Cast"(%x) <{saturate = 0 : i64, to = 23 : i64}> : (tensor<4xf32>) -> tensor<4xf4E2M1FN>
  %1 = "onnx.Cast"(%0) <{saturate = 1 : i64, to = 1 : i64}> : (tensor<4xf4E2M1FN>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Blocked int4 quantization (opset 21): each scale covers block_size
// elements along the axis, read at index / block_size.
// CHECK-LABEL: @test_quantize_blocked_int4
// CHECK: linalg.generic
// CHECK: arith.divui %{{.*}}, %c4 : index
// CHECK: tensor.extract %arg1
// CHECK: arith.trunci {{.*}} : i32 to i4
func.func @test_quantize_blocked_int4(%x: tensor<2x8xf32>, %s: tensor<2x2xf32>, %z: tensor<2x2xi4>) -> tensor<2x8xi4> {
  %0 = "onnx.QuantizeLinear"(%x, %s, %z) <{axis = 1 : i64, block_size = 4 : i64}> : (tensor<2x8xf32>, tensor<2x2xf32>, tensor<2x2xi4>) -> tensor<2x8xi4>
  return %0 : tensor<2x8xi4>
}
