// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg -verify-diagnostics | FileCheck %s

// Momentum: one generic for the new velocity (the gradient's weight is 1 on
// step 0), one for the new parameter; Nesterov looks ahead by alpha * V.
// CHECK-LABEL: @nesterov
// CHECK: linalg.generic
// CHECK:   arith.cmpi sgt
// CHECK:   arith.select
// CHECK: linalg.generic
// CHECK:   arith.mulf
// CHECK:   arith.subf
func.func @nesterov(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<3xf32>, %g: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %x2, %v2 = "onnx.Momentum"(%r, %t, %x, %g, %v) <{alpha = 0.9 : f32, beta = 0.1 : f32, mode = "nesterov", norm_coefficient = 0.01 : f32}> : (tensor<f32>, tensor<i64>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %x2, %v2 : tensor<3xf32>, tensor<3xf32>
}

// -----

// Adam: the rate's bias correction uses alpha^T and beta^T.
// CHECK-LABEL: @adam
// CHECK-COUNT-2: math.powf
func.func @adam(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<2xf32>, %g: tensor<2xf32>, %v: tensor<2xf32>, %h: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %x2, %v2, %h2 = "onnx.Adam"(%r, %t, %x, %g, %v, %h) : (tensor<f32>, tensor<i64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
  return %x2, %v2, %h2 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

func.func @momentum_bad_mode(%r: tensor<f32>, %t: tensor<i64>, %x: tensor<3xf32>, %g: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  // expected-error @+2 {{mode 'heavy' is neither 'standard' nor 'nesterov'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Momentum'}}
  %x2, %v2 = "onnx.Momentum"(%r, %t, %x, %g, %v) <{alpha = 0.9 : f32, beta = 0.1 : f32, mode = "heavy", norm_coefficient = 0.01 : f32}> : (tensor<f32>, tensor<i64>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>)
  return %x2, %v2 : tensor<3xf32>, tensor<3xf32>
}
