// RUN: onnxc-opt %s -split-input-file -onnxc-convert-onnx-to-linalg | FileCheck %s

// Gather: an output-driven generic reading indices and data with
// tensor.extract; negative indices wrap.
// CHECK-LABEL: @test_gather_0
// CHECK: linalg.generic
// CHECK: tensor.extract %{{.*}}[%{{.*}}] : tensor<2xi64>
// CHECK: arith.cmpi slt
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<5x4xf32>
func.func @test_gather_0(%x: tensor<5x4xf32>, %i: tensor<2xi64>) -> tensor<2x4xf32> {
  %0 = "onnx.Gather"(%x, %i) <{axis = 0 : i64}> : (tensor<5x4xf32>, tensor<2xi64>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Shape of a static tensor: from_elements of its dims (folds to a constant).
// CHECK-LABEL: @test_shape
// CHECK: tensor.from_elements {{.*}} : tensor<3xi64>
func.func @test_shape(%x: tensor<3x4x5xf32>) -> tensor<3xi64> {
  %0 = "onnx.Shape"(%x) : (tensor<3x4x5xf32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// Pad in constant mode is tensor.pad with the given value.
// CHECK-LABEL: @test_constant_pad
// CHECK: tensor.pad %{{.*}} low[0, 1] high[0, 2]
func.func @test_constant_pad(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  %p = "onnx.Constant"() <{value = dense<[0, 1, 0, 2]> : tensor<4xi64>}> : () -> tensor<4xi64>
  %v = "onnx.Constant"() <{value = dense<1.5> : tensor<f32>}> : () -> tensor<f32>
  %none = "onnx.NoValue"() : () -> none
  %0 = "onnx.Pad"(%x, %p, %v, %none) <{mode = "constant"}> : (tensor<2x3xf32>, tensor<4xi64>, tensor<f32>, none) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// Split into static pieces: views of the input.
// CHECK-LABEL: @test_split_equal_parts_1d
// CHECK: tensor.extract_slice %{{.*}}[0] [2] [1]
// CHECK: tensor.extract_slice %{{.*}}[2] [2] [1]
func.func @test_split_equal_parts_1d(%x: tensor<4xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %none = "onnx.NoValue"() : () -> none
  %0, %1 = "onnx.Split"(%x, %none) <{axis = 0 : i64}> : (tensor<4xf32>, none) -> (tensor<2xf32>, tensor<2xf32>)
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

// -----

// Where and Cast are elementwise.
// CHECK-LABEL: @test_where_cast
// CHECK: arith.select
// CHECK: arith.fptosi
func.func @test_where_cast(%c: tensor<2xi1>, %a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xi64> {
  %0 = "onnx.Where"(%c, %a, %b) : (tensor<2xi1>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = "onnx.Cast"(%0) <{to = 7 : i64}> : (tensor<2xf32>) -> tensor<2xi64>
  return %1 : tensor<2xi64>
}

// -----

// 1-D convolution takes the any-rank generic path.
// CHECK-LABEL: @test_conv1d
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: tensor.collapse_shape
func.func @test_conv1d(%x: tensor<1x2x8xf32>, %w: tensor<4x2x3xf32>) -> tensor<1x4x6xf32> {
  %none = "onnx.NoValue"() : () -> none
  %0 = "onnx.Conv"(%x, %w, %none) : (tensor<1x2x8xf32>, tensor<4x2x3xf32>, none) -> tensor<1x4x6xf32>
  return %0 : tensor<1x4x6xf32>
}

// -----

// ConvTranspose gathers from x where (o + pad - k*d) divides by the stride;
// W is viewed as [G, C/G, F/G, k...].
// CHECK-LABEL: @test_convtranspose_1d
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] {{.*}} into tensor<1x1x2x3xf32>
// CHECK: linalg.generic
// CHECK: arith.remsi
// CHECK: tensor.extract
func.func @test_convtranspose_1d(%x: tensor<1x1x3xf32>, %w: tensor<1x2x3xf32>) -> tensor<1x2x5xf32> {
  %none = "onnx.NoValue"() : () -> none
  %0 = "onnx.ConvTranspose"(%x, %w, %none) : (tensor<1x1x3xf32>, tensor<1x2x3xf32>, none) -> tensor<1x2x5xf32>
  return %0 : tensor<1x2x5xf32>
}

// -----

// DepthToSpace (DCR) is an index shuffle.
// CHECK-LABEL: @test_depthtospace_dcr
// CHECK: linalg.generic
// CHECK: arith.remui
// CHECK: tensor.extract %{{.*}} : tensor<1x8x2x3xf32>
func.func @test_depthtospace_dcr(%x: tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32> {
  %0 = "onnx.DepthToSpace"(%x) <{blocksize = 2 : i64, mode = "DCR"}> : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  return %0 : tensor<1x2x4x6xf32>
}

// -----

// GatherND with one batch dim: out[b, i] = data[b, indices[b, i, 0]].
// CHECK-LABEL: @test_gathernd
// CHECK: linalg.generic
// CHECK: %[[B:.*]] = linalg.index 0 : index
// CHECK: %[[RAW:.*]] = tensor.extract %arg1[%[[B]], %{{.*}}, %{{.*}}] : tensor<2x1x1xi64>
// CHECK: arith.index_cast %[[RAW]] : i64 to index
// CHECK: %[[I:.*]] = arith.select
// CHECK: tensor.extract %arg0[%[[B]], %[[I]]] : tensor<2x3xf32>
func.func @test_gathernd(%data: tensor<2x3xf32>, %indices: tensor<2x1x1xi64>) -> tensor<2x1xf32> {
  %0 = "onnx.GatherND"(%data, %indices) <{batch_dims = 1 : i64}> : (tensor<2x3xf32>, tensor<2x1x1xi64>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

// ScatterElements with reduction: one loop per updates dim carrying the
// data tensor; the written position takes the (wrapped) index on the axis
// and the old element is combined with the update.
// CHECK-LABEL: @test_scatter_elements_add
// CHECK: scf.for {{.*}} iter_args(%[[D:.*]] = %arg0) -> (tensor<3x3xf32>)
// CHECK: scf.for {{.*}} -> (tensor<3x3xf32>)
// CHECK: tensor.extract %arg1
// CHECK: arith.select
// CHECK: tensor.extract %arg2
// CHECK: tensor.extract
// CHECK: arith.addf
// CHECK: tensor.insert
func.func @test_scatter_elements_add(%d: tensor<3x3xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>) -> tensor<3x3xf32> {
  %0 = "onnx.ScatterElements"(%d, %i, %u) <{axis = 1 : i64, reduction = "add"}> : (tensor<3x3xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// ScatterND with index depth 1 into a 2-D tensor: rows are replaced; the
// row index is read from indices[i, 0].
// CHECK-LABEL: @test_scatternd_rows
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[R:.*]] = tensor.extract %arg1[%{{.*}}, %{{.*}}] : tensor<2x1xi64>
// CHECK: arith.index_cast %[[R]]
// CHECK: tensor.insert
func.func @test_scatternd_rows(%d: tensor<4x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %0 = "onnx.ScatterND"(%d, %i, %u) : (tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Concat: insert_slices into one empty tensor (an empty input dropped), so
// that eliminate-empty-tensors can let the producers write their slices.
// CHECK-LABEL: @test_concat_slices
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x5x2xf32>
// CHECK: %[[A:.*]] = tensor.insert_slice %arg0 into %[[E]][0, 0, 0] [1, 2, 2] [1, 1, 1]
// CHECK: tensor.insert_slice %arg1 into %[[A]][0, 2, 0] [1, 3, 2] [1, 1, 1]
// CHECK-NOT: tensor.concat
func.func @test_concat_slices(%a: tensor<1x2x2xf32>, %b: tensor<1x3x2xf32>, %z: tensor<1x0x2xf32>) -> tensor<1x5x2xf32> {
  %0 = "onnx.Concat"(%a, %z, %b) <{axis = 1 : i64}> : (tensor<1x2x2xf32>, tensor<1x0x2xf32>, tensor<1x3x2xf32>) -> tensor<1x5x2xf32>
  return %0 : tensor<1x5x2xf32>
}
