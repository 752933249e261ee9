// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg | FileCheck %s

// An unseeded op draws its key from runtime-support once per execution;
// each element hashes (key, linear index) and keeps 24 bits as a float.
// CHECK: func.func private @onnxc_random_next() -> i64
// CHECK-LABEL: @test_random_uniform
// CHECK: %[[K:.*]] = call @onnxc_random_next() : () -> i64
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x8xf32>)
// CHECK: linalg.index 0
// CHECK: linalg.index 1
// CHECK: arith.shrui
// CHECK: arith.uitofp
func.func @test_random_uniform() -> tensor<4x8xf32> {
  %0 = "onnx.RandomUniform"() <{shape = array<i64: 4, 8>, low = -1.0 : f32, high = 1.0 : f32}> : () -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// A seeded op uses a constant key: no runtime call.
// CHECK-LABEL: @test_bernoulli_seeded
// CHECK-NOT: call
// CHECK: linalg.generic
// CHECK: arith.cmpf olt
func.func @test_bernoulli_seeded(%p: tensor<16xf32>) -> tensor<16xf32> {
  %0 = "onnx.Bernoulli"(%p) <{seed = 3.0 : f32}> : (tensor<16xf32>) -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// -----

// Training-mode Dropout selects at run time between the input and the
// dropped, rescaled values; the mask marks kept elements.
// CHECK-LABEL: @test_dropout_training
// CHECK: %[[T:.*]] = tensor.extract %arg2[]
// CHECK: linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<8xf32>, tensor<8xi1>)
// CHECK: arith.cmpf oge
// CHECK: arith.select %[[T]]
func.func @test_dropout_training(%x: tensor<8xf32>, %r: tensor<f32>, %t: tensor<i1>) -> (tensor<8xf32>, tensor<8xi1>) {
  %y, %m = "onnx.Dropout"(%x, %r, %t) : (tensor<8xf32>, tensor<f32>, tensor<i1>) -> (tensor<8xf32>, tensor<8xi1>)
  return %y, %m : tensor<8xf32>, tensor<8xi1>
}
