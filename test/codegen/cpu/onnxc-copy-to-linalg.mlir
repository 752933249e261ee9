// RUN: onnxc-opt %s -onnxc-copy-to-linalg | FileCheck %s

// A strided copy becomes linalg.copy (plain loops later, no memrefCopy call).
// CHECK-LABEL: @test_strided_copy
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%{{.*}} : memref<2x2xf32, strided<[4, 1], offset: 1>>) outs(%{{.*}} : memref<2x2xf32>)
func.func @test_strided_copy(%src: memref<4x4xf32>, %dst: memref<2x2xf32>) {
  %v = memref.subview %src[0, 1] [2, 2] [1, 1] : memref<4x4xf32> to memref<2x2xf32, strided<[4, 1], offset: 1>>
  memref.copy %v, %dst : memref<2x2xf32, strided<[4, 1], offset: 1>> to memref<2x2xf32>
  return
}
