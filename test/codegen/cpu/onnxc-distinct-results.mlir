// RUN: onnxc-opt %s -onnxc-distinct-results | FileCheck %s

// The second and third use of one value in the return get their own copies.
// CHECK-LABEL: @repeated
// CHECK: %[[E:.*]] = tensor.empty() : tensor<0xf32>
// CHECK: %[[C1:.*]] = bufferization.alloc_tensor() copy(%[[E]])
// CHECK: %[[C2:.*]] = bufferization.alloc_tensor() copy(%[[E]])
// CHECK: return %[[E]], %[[C1]], %[[C2]], %arg0
func.func @repeated(%a: tensor<2xf32>) -> (tensor<0xf32>, tensor<0xf32>, tensor<0xf32>, tensor<2xf32>) {
  %e = tensor.empty() : tensor<0xf32>
  return %e, %e, %e, %a : tensor<0xf32>, tensor<0xf32>, tensor<0xf32>, tensor<2xf32>
}
