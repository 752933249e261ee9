// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg -verify-diagnostics | FileCheck %s

// TopK compiled for the declared K = 2: K is checked at run time, ranks
// count better (or equal and earlier) elements, and output j takes rank j.
// CHECK-LABEL: @test_topk
// CHECK: %[[K:.*]] = tensor.extract %arg1
// CHECK: arith.cmpi eq, %[[K]]
// CHECK: call @__onnxc_check
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.cmpf ogt
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<3x2xi64>)
func.func @test_topk(%x: tensor<3x4xf32>, %k: tensor<1xi64>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  %v, %i = "onnx.TopK"(%x, %k) : (tensor<3x4xf32>, tensor<1xi64>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  return %v, %i : tensor<3x2xf32>, tensor<3x2xi64>
}

// -----

// NonZero: one sequential scan writes coordinates while the count is below
// the declared 3, and the final count is checked.
// CHECK-LABEL: @test_nonzero
// CHECK: %[[R:.*]]:2 = scf.for {{.*}} -> (index, tensor<2x3xi64>)
// CHECK: scf.if
// CHECK: tensor.insert
// CHECK: arith.cmpi eq, %[[R]]#0
// CHECK: call @__onnxc_check
func.func @test_nonzero(%x: tensor<2x2xf32>) -> tensor<2x3xi64> {
  %0 = "onnx.NonZero"(%x) : (tensor<2x2xf32>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// A data-dependent result without a declared shape is reported on the op.
func.func @test_range_undeclared(%s: tensor<f32>, %l: tensor<f32>, %d: tensor<f32>) -> tensor<?xf32> {
  // expected-error @+2 {{result #0 has a shape that depends on input values: the model must declare it}}
  // expected-error @+1 {{failed to legalize operation 'onnx.Range'}}
  %0 = "onnx.Range"(%s, %l, %d) : (tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// NonMaxSuppression: per batch and class, a ranking loop, then greedy
// selection that compares against the boxes kept so far; the kept count
// must be the declared 2.
// CHECK-LABEL: @test_nms
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.cmpf ogt
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.divf
// CHECK: scf.if
// CHECK: call @__onnxc_check
func.func @test_nms(%b: tensor<1x4x4xf32>, %s: tensor<1x1x4xf32>, %m: tensor<1xi64>, %iou: tensor<1xf32>) -> tensor<2x3xi64> {
  %none = "onnx.NoValue"() : () -> none
  %0 = "onnx.NonMaxSuppression"(%b, %s, %m, %iou, %none) : (tensor<1x4x4xf32>, tensor<1x1x4xf32>, tensor<1xi64>, tensor<1xf32>, none) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// TfIdfVectorizer (TF) of bigrams: a loop nest over rows, start positions,
// skips and pool n-grams compares two tokens with the constant pool.
// CHECK-LABEL: @test_tfidf
// CHECK: arith.constant dense<[5, 6, 7, 8]> : tensor<4xi64>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK-COUNT-2: arith.cmpi eq
// CHECK: tensor.insert
func.func @test_tfidf(%x: tensor<6xi64>) -> tensor<2xf32> {
  %0 = "onnx.TfIdfVectorizer"(%x) <{max_gram_length = 2 : i64, max_skip_count = 1 : i64, min_gram_length = 2 : i64, mode = "TF", ngram_counts = array<i64: 0, 0>, ngram_indexes = array<i64: 0, 1>, pool_int64s = array<i64: 5, 6, 7, 8>}> : (tensor<6xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// DFT of a real signal along axis 1 (no axis input: -2): sums in f64 of
// x[j] (cos, -sin) of 2 pi ((j k) mod n) / n, then narrowed to the result
// type.
// CHECK-LABEL: @test_dft
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]{{.*}} outs(%{{.*}} : tensor<1x8x2xf64>)
// CHECK: arith.remui
// CHECK: math.cos
// CHECK: math.sin
// CHECK: arith.truncf
func.func @test_dft(%x: tensor<1x8x1xf32>) -> tensor<1x8x2xf32> {
  %none = "onnx.NoValue"() : () -> none
  %0 = "onnx.DFT"(%x, %none, %none) : (tensor<1x8x1xf32>, none, none) -> tensor<1x8x2xf32>
  return %0 : tensor<1x8x2xf32>
}

// -----

// Unique (sorted, no axis): first occurrences by slice comparison, positions
// by lexicographic rank among the uniques, the unique count checked against
// the declared 3, outputs written under scf.if.
// CHECK-LABEL: @test_unique
// CHECK: scf.for
// CHECK: arith.cmpf olt
// CHECK: call @__onnxc_check
// CHECK: scf.if
// CHECK: tensor.insert
func.func @test_unique(%x: tensor<5xf32>) -> (tensor<3xf32>, tensor<3xi64>, tensor<5xi64>, tensor<3xi64>) {
  %y, %i, %v, %c = "onnx.Unique"(%x) : (tensor<5xf32>) -> (tensor<3xf32>, tensor<3xi64>, tensor<5xi64>, tensor<3xi64>)
  return %y, %i, %v, %c : tensor<3xf32>, tensor<3xi64>, tensor<5xi64>, tensor<3xi64>
}
