// RUN: onnxc-opt %s -onnxc-make-signless | FileCheck %s

// Unsigned tensors become signless; ops reading them are flagged so that
// lowerings choose unsigned arithmetic. Constants keep their bytes.
// CHECK-LABEL: func.func @test_div_uint8
// CHECK-SAME: (%{{.*}}: tensor<3xi8>, %{{.*}}: tensor<3xi8>) -> tensor<3xi8>
// CHECK: "onnx.Constant"() <{value = dense<[1, 2, -1]> : tensor<3xi8>}>
// CHECK: "onnx.Div"{{.*}} {onnxc.unsigned_operands = array<i1: true, true>}
// CHECK: "onnx.Add"{{.*}} {onnxc.unsigned_operands = array<i1: true, true>} : (tensor<3xi8>, tensor<3xi8>) -> tensor<3xi8>
func.func @test_div_uint8(%a: tensor<3xui8>, %b: tensor<3xui8>) -> tensor<3xui8> {
  %c = "onnx.Constant"() <{value = dense<[1, 2, 255]> : tensor<3xui8>}> : () -> tensor<3xui8>
  %0 = "onnx.Div"(%a, %b) : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  %1 = "onnx.Add"(%0, %c) : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
  return %1 : tensor<3xui8>
}
