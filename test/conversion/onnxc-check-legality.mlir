// RUN: not onnxc-opt %s -split-input-file -onnxc-check-legality 2>&1 | FileCheck %s

// Every unsupported op type is listed once, with all of its nodes.
// CHECK: error: 2 unsupported op types in the model:
// CHECK-NEXT: com.example::MyOp (opset 1): 2 nodes ('custom_a' (#3), 'custom_b' (#5))
// CHECK-NEXT: LpNormalization: 1 node ('hm' (#4))
func.func @main(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = "onnx.Custom"(%x) <{op_type = "MyOp", domain = "com.example", version = 1 : i64, node_attributes = {}}> ({}) : (tensor<2x3xf32>) -> tensor<2x3xf32> loc(#a)
  %1 = "onnx.LpNormalization"(%0) : (tensor<2x3xf32>) -> tensor<2x3xf32> loc(#h)
  %2 = "onnx.Custom"(%1) <{op_type = "MyOp", domain = "com.example", version = 1 : i64, node_attributes = {}}> ({}) : (tensor<2x3xf32>) -> tensor<2x3xf32> loc(#b)
  %3 = "onnx.Relu"(%2) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %3 : tensor<2x3xf32>
}
#a = loc("custom_a"("m.onnx":3:0))
#h = loc("hm"("m.onnx":4:0))
#b = loc("custom_b"("m.onnx":5:0))

// -----

// A supported op type on an unsupported element type is named as such:
// strings go only to ops that move whole elements (and those that read
// strings), not to ones that would compute with them.
// CHECK: error: 1 unsupported op type in the model:
// CHECK-NEXT: NonZero on string tensors: 1 node ('nz' (#0))
func.func @strings(%x: tensor<2xf32>) -> tensor<1x?xi64> {
  %0 = "onnx.Cast"(%x) <{to = 8 : i64}> : (tensor<2xf32>) -> tensor<2x!onnx.string>
  %1 = "onnx.NonZero"(%0) : (tensor<2x!onnx.string>) -> tensor<1x?xi64> loc(#t)
  return %1 : tensor<1x?xi64>
}
#t = loc("nz"("m.onnx":0:0))
