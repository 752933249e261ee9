// RUN: onnxc-opt %s -split-input-file -onnxc-lower-strings | FileCheck %s
// RUN: not onnxc-opt %s -split-input-file -onnxc-lower-strings=string-bytes=16 2>&1 >/dev/null | FileCheck %s --check-prefix=B16
// RUN: not onnxc-opt %s -split-input-file -onnxc-lower-strings=string-bytes=16 2>/dev/null | FileCheck %s --check-prefix=T16

// Every string value (arguments, results, nested regions) becomes a tensor
// of 32-byte records; constants are NUL-padded little-endian records
// ("monday" = 0x7961646e6f6d, "hi" = 0x6968, "" = 0).
// CHECK-LABEL: func.func @retype
// CHECK-SAME: (%{{.*}}: tensor<2xi256>, %{{.*}}: tensor<i1>) -> tensor<5xi256>
// CHECK: "onnx.Constant"() <{value = dense<[133459203747693, 26984, 0]> : tensor<3xi256>}>
// CHECK: "onnx.If"
// CHECK: "onnx.Identity"{{.*}} : (tensor<3xi256>) -> tensor<3xi256>
// CHECK: "onnx.Concat"{{.*}} : (tensor<2xi256>, tensor<3xi256>) -> tensor<5xi256>
// T16-LABEL: func.func @retype
// T16-SAME: tensor<2xi128>
func.func @retype(%x: tensor<2x!onnx.string>, %c: tensor<i1>) -> tensor<5x!onnx.string> {
  %k = "onnx.Constant"() <{value = dense<["monday", "hi", ""]> : tensor<3x!onnx.string>}> : () -> tensor<3x!onnx.string>
  %r = "onnx.If"(%c) ({
    %e = "onnx.Identity"(%k) : (tensor<3x!onnx.string>) -> tensor<3x!onnx.string>
    "onnx.Yield"(%e) : (tensor<3x!onnx.string>) -> ()
  }, {
    "onnx.Yield"(%k) : (tensor<3x!onnx.string>) -> ()
  }) : (tensor<i1>) -> tensor<3x!onnx.string>
  %y = "onnx.Concat"(%x, %r) <{axis = 0 : i64}> : (tensor<2x!onnx.string>, tensor<3x!onnx.string>) -> tensor<5x!onnx.string>
  return %y : tensor<5x!onnx.string>
}

// -----

// A constant longer than a record is an error naming it (17 bytes > 16).
// B16: error: string constant "seventeen bytes!!" has 17 bytes, more than the 16-byte string records (raise --string-bytes)
func.func @too_long() -> tensor<1x!onnx.string> {
  %k = "onnx.Constant"() <{value = dense<["seventeen bytes!!"]> : tensor<1x!onnx.string>}> : () -> tensor<1x!onnx.string>
  return %k : tensor<1x!onnx.string>
}
