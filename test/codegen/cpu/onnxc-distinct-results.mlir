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

// A zero fill that CSE shared between matmuls' destinations: each gets its
// own, right before it (bufferization would otherwise copy one filled buffer
// into each). The original stays for the op that reads it.
// CHECK-LABEL: @shared_fill
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x2xf32>
// CHECK: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E]] : tensor<2x2xf32>)
// CHECK: %[[E1:.*]] = tensor.empty() : tensor<2x2xf32>
// CHECK: %[[F1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E1]] : tensor<2x2xf32>)
// CHECK: linalg.matmul ins(%arg0, %arg0 : tensor<2x2xf32>, tensor<2x2xf32>) outs(%[[F1]] : tensor<2x2xf32>)
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<2x2xf32>
// CHECK: %[[F2:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<2x2xf32>)
// CHECK: linalg.matmul ins(%arg1, %arg1 : tensor<2x2xf32>, tensor<2x2xf32>) outs(%[[F2]] : tensor<2x2xf32>)
// CHECK: %[[E3:.*]] = tensor.empty() : tensor<2x2xf32>
// CHECK: %[[F3:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E3]] : tensor<2x2xf32>)
// CHECK: linalg.matmul ins(%[[F]], %arg1 : tensor<2x2xf32>, tensor<2x2xf32>) outs(%[[F3]] : tensor<2x2xf32>)
func.func @shared_fill(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %x = linalg.matmul ins(%a, %a : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y = linalg.matmul ins(%b, %b : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %z = linalg.matmul ins(%f, %b : tensor<2x2xf32>, tensor<2x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %x, %y, %z : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}
