// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg -verify-diagnostics | FileCheck %s

// Strings are 32-byte records (i256) after onnxc-lower-strings.
// StringNormalizer: the stopword is compared in lower case ("monday" =
// 133459203747693) with the lower-cased record, the kept record is
// upper-cased byte-wise, and the kept count is checked against the declared
// length at run time.
// CHECK-LABEL: func.func @normalize
// CHECK: scf.for
// CHECK:   vector.bitcast %{{.*}} : vector<1xi256> to vector<32xi8>
// CHECK:   arith.constant dense<65> : vector<32xi8>
// CHECK:   arith.cmpi ule
// CHECK:   arith.cmpi ne, %{{.*}}, %c133459203747693_i256 : i256
// CHECK:   arith.constant dense<97> : vector<32xi8>
// CHECK:   arith.constant dense<-32> : vector<32xi8>
// CHECK:   scf.if
// CHECK:     tensor.insert
// CHECK: arith.cmpi eq, %{{.*}}, %c2 : index
// CHECK: call @__onnxc_check
// CHECK: tensor.expand_shape {{.*}} into tensor<1x2xi256>
func.func @normalize(%x: tensor<1x4xi256>) -> tensor<1x2xi256> {
  %y = "onnx.StringNormalizer"(%x) <{case_change_action = "UPPER", stopwords = ["Monday"]}> : (tensor<1x4xi256>) -> tensor<1x2xi256>
  return %y : tensor<1x2xi256>
}

// -----

// All strings removed: one empty string is also a valid result.
// CHECK-LABEL: func.func @maybe_empty
// CHECK: %[[FULL:.*]] = arith.cmpi eq, %{{.*}}, %c1{{.*}} : index
// CHECK: %[[NONE:.*]] = arith.cmpi eq, %{{.*}}, %c0 : index
// CHECK: arith.ori %[[FULL]], %[[NONE]]
func.func @maybe_empty(%x: tensor<2xi256>) -> tensor<1xi256> {
  %y = "onnx.StringNormalizer"(%x) <{is_case_sensitive = 1 : i64, stopwords = ["monday"]}> : (tensor<2xi256>) -> tensor<1xi256>
  return %y : tensor<1xi256>
}

// -----

// String -> float16: the runtime parses into f32 (kind 1) in a new buffer,
// the status is checked, then truncated in MLIR.
// CHECK-LABEL: func.func @to_half
// CHECK: %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<3xf32>
// CHECK: bufferization.to_buffer %{{.*}} read_only : tensor<3xi256> to memref<3xi256>
// CHECK: llvm.inttoptr
// CHECK: %[[S:.*]] = call @onnxc_strings_to_numbers(%{{.*}}, %c32_i64, %c3_i64, %c1_i32, %{{.*}}) : (!llvm.ptr, i64, i64, i32, !llvm.ptr) -> i32
// CHECK: arith.cmpi eq, %[[S]], %c0_i32
// CHECK: bufferization.to_tensor %[[OUT]] restrict writable : memref<3xf32> to tensor<3xf32>
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @to_half(%x: tensor<3xi256>) -> tensor<3xf16> {
  %y = "onnx.Cast"(%x) <{to = 10 : i64}> : (tensor<3xi256>) -> tensor<3xf16>
  return %y : tensor<3xf16>
}

// -----

// uint8 -> string: widened unsigned to 64 bits, printed as kind 13 (uint64).
// CHECK-LABEL: func.func @from_uint8
// CHECK: arith.extui %{{.*}} : i8 to i64
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<3xi256>
// CHECK: call @onnxc_numbers_to_strings(%{{.*}}, %c13_i32, %c3_i64, %{{.*}}, %c32_i64)
func.func @from_uint8(%x: tensor<3xi8>) -> tensor<3xi256> {
  %y = "onnx.Cast"(%x) <{to = 8 : i64}> {onnxc.unsigned_operands = array<i1: true>} : (tensor<3xi8>) -> tensor<3xi256>
  return %y : tensor<3xi256>
}

// -----

// CastLike to a string's type; string -> string is the identity.
// CHECK-LABEL: func.func @like
// CHECK: call @onnxc_numbers_to_strings(%{{.*}}, %c11_i32,
// CHECK: call @__onnxc_check
// CHECK-NOT: call
// CHECK: return
func.func @like(%x: tensor<2xf64>, %s: tensor<1xi256>) -> (tensor<2xi256>, tensor<1xi256>) {
  %y = "onnx.CastLike"(%x, %s) : (tensor<2xf64>, tensor<1xi256>) -> tensor<2xi256>
  %z = "onnx.Cast"(%s) <{to = 8 : i64}> : (tensor<1xi256>) -> tensor<1xi256>
  return %y, %z : tensor<2xi256>, tensor<1xi256>
}

// -----

func.func @normalize_rank2(%x: tensor<2x3xi256>) -> tensor<2x3xi256> {
  // expected-error @+2 {{takes strings of shape [C] or [1, C], not 'tensor<2x3xi256>'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.StringNormalizer'}}
  %y = "onnx.StringNormalizer"(%x) : (tensor<2x3xi256>) -> tensor<2x3xi256>
  return %y : tensor<2x3xi256>
}

// -----

func.func @normalize_bad_action(%x: tensor<3xi256>) -> tensor<3xi256> {
  // expected-error @+2 {{case_change_action must be NONE, LOWER or UPPER, not 'TITLE'}}
  // expected-error @+1 {{failed to legalize operation 'onnx.StringNormalizer'}}
  %y = "onnx.StringNormalizer"(%x) <{case_change_action = "TITLE"}> : (tensor<3xi256>) -> tensor<3xi256>
  return %y : tensor<3xi256>
}
