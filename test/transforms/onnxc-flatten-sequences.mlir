// RUN: onnxc-opt %s -split-input-file -onnxc-flatten-sequences -verify-diagnostics | FileCheck %s

// Construct/Insert/At/Length at constant positions leave only the tensors;
// a sequence result becomes one result per element, named by index.
// CHECK-LABEL: @constant_positions
// CHECK-SAME: -> (tensor<i64> {onnx.name = "n"}, tensor<3xf32> {onnx.name = "s.0"}, tensor<2xf32> {onnx.name = "s.1"}, tensor<2xf32> {onnx.name = "at"})
// CHECK-NOT: onnx.Sequence
// CHECK: %[[N:.*]] = "onnx.Constant"() <{value = dense<2> : tensor<i64>}>
// CHECK: return %[[N]], %arg1, %arg0, %arg0
func.func @constant_positions(%a: tensor<2xf32>, %b: tensor<3xf32>) -> (tensor<i64> {onnx.name = "n"}, !onnx.seq<tensor<*xf32>> {onnx.name = "s"}, tensor<*xf32> {onnx.name = "at"}) {
  %s0 = "onnx.SequenceConstruct"(%a) : (tensor<2xf32>) -> !onnx.seq<tensor<*xf32>>
  %zero = "onnx.Constant"() <{value = dense<0> : tensor<i64>}> : () -> tensor<i64>
  %s1 = "onnx.SequenceInsert"(%s0, %b, %zero) : (!onnx.seq<tensor<*xf32>>, tensor<3xf32>, tensor<i64>) -> !onnx.seq<tensor<*xf32>>
  %n = "onnx.SequenceLength"(%s1) : (!onnx.seq<tensor<*xf32>>) -> tensor<i64>
  %m1 = "onnx.Constant"() <{value = dense<-1> : tensor<i64>}> : () -> tensor<i64>
  %at = "onnx.SequenceAt"(%s1, %m1) : (!onnx.seq<tensor<*xf32>>, tensor<i64>) -> tensor<*xf32>
  return %n, %s1, %at : tensor<i64>, !onnx.seq<tensor<*xf32>>, tensor<*xf32>
}

// -----

// A run-time position, wrapped if negative and checked against the length,
// reads through a Gather over the stacked elements.
// CHECK-LABEL: @runtime_at
// CHECK: %[[NEG:.*]] = "onnx.Less"(%arg2,
// CHECK: %[[WRAPPED:.*]] = "onnx.Add"(%arg2,
// CHECK: %[[P:.*]] = "onnx.Where"(%[[NEG]], %[[WRAPPED]], %arg2)
// CHECK: onnx.Check {{.*}}"SequenceAt: the position is out of range for the sequence's length"
// CHECK: %[[U0:.*]] = "onnx.Unsqueeze"(%arg0
// CHECK: %[[U1:.*]] = "onnx.Unsqueeze"(%arg1
// CHECK: %[[ALL:.*]] = "onnx.Concat"(%[[U0]], %[[U1]]) <{axis = 0 : i64}> {{.*}} -> tensor<2x4xf32>
// CHECK: "onnx.Gather"(%[[ALL]], %[[P]]) <{axis = 0 : i64}> : (tensor<2x4xf32>, tensor<i64>) -> tensor<4xf32>
func.func @runtime_at(%a: tensor<4xf32>, %b: tensor<4xf32>, %p: tensor<i64>) -> tensor<*xf32> {
  %s = "onnx.SequenceConstruct"(%a, %b) : (tensor<4xf32>, tensor<4xf32>) -> !onnx.seq<tensor<*xf32>>
  %at = "onnx.SequenceAt"(%s, %p) : (!onnx.seq<tensor<*xf32>>, tensor<i64>) -> tensor<*xf32>
  return %at : tensor<*xf32>
}

// -----

// SplitToSequence without split: one piece per index, squeezed (keepdims 0);
// ConcatFromSequence with new_axis stacks them back.
// CHECK-LABEL: @split_and_stack
// CHECK: "onnx.Split"(%arg0, %{{.*}}) <{axis = 1 : i64}> {{.*}} -> (tensor<2x1xf32>, tensor<2x1xf32>, tensor<2x1xf32>)
// CHECK-COUNT-3: "onnx.Squeeze"
// CHECK-COUNT-3: "onnx.Unsqueeze"
// CHECK: "onnx.Concat"{{.*}} -> tensor<3x2xf32>
func.func @split_and_stack(%x: tensor<2x3xf32>) -> tensor<*xf32> {
  %none = "onnx.NoValue"() : () -> none
  %s = "onnx.SplitToSequence"(%x, %none) <{axis = 1 : i64, keepdims = 0 : i64}> : (tensor<2x3xf32>, none) -> !onnx.seq<tensor<*xf32>>
  %y = "onnx.ConcatFromSequence"(%s) <{axis = 0 : i64, new_axis = 1 : i64}> : (!onnx.seq<tensor<*xf32>>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// SequenceMap clones its body per element, each clone typed for its element.
// CHECK-LABEL: @map_shapes
// CHECK-SAME: -> (tensor<2xi64> {onnx.name = "y.0"}, tensor<3xi64> {onnx.name = "y.1"})
// CHECK: "onnx.Shape"(%arg0) {{.*}} -> tensor<2xi64>
// CHECK: "onnx.Shape"(%arg1) {{.*}} -> tensor<3xi64>
func.func @map_shapes(%a: tensor<2x5xf32>, %b: tensor<1x2x3xf32>) -> (!onnx.seq<tensor<*xi64>> {onnx.name = "y"}) {
  %s = "onnx.SequenceConstruct"(%a, %b) : (tensor<2x5xf32>, tensor<1x2x3xf32>) -> !onnx.seq<tensor<*xf32>>
  %y = "onnx.SequenceMap"(%s) ({
  ^bb0(%e: tensor<*xf32>):
    %sh = "onnx.Shape"(%e) : (tensor<*xf32>) -> tensor<*xi64>
    "onnx.Yield"(%sh) : (tensor<*xi64>) -> ()
  }) : (!onnx.seq<tensor<*xf32>>) -> !onnx.seq<tensor<*xi64>>
  return %y : !onnx.seq<tensor<*xi64>>
}

// -----

// A Loop carrying a sequence is unrolled: trip count and condition fold.
// CHECK-LABEL: @unrolled_loop
// CHECK-SAME: -> (tensor<2xf32> {onnx.name = "s.0"}, tensor<2xf32> {onnx.name = "s.1"})
// CHECK-NOT: onnx.Loop
// CHECK-COUNT-2: "onnx.Add"
func.func @unrolled_loop(%x: tensor<2xf32>) -> (!onnx.seq<tensor<*xf32>> {onnx.name = "s"}) {
  %n = "onnx.Constant"() <{value = dense<2> : tensor<i64>}> : () -> tensor<i64>
  %none = "onnx.NoValue"() : () -> none
  %e = "onnx.SequenceEmpty"() <{dtype = 1 : i64}> : () -> !onnx.seq<tensor<*xf32>>
  %s = "onnx.Loop"(%n, %none, %e) ({
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %acc: !onnx.seq<tensor<*xf32>>):
    %f = "onnx.Cast"(%i) <{to = 1 : i64}> : (tensor<i64>) -> tensor<*xf32>
    %v = "onnx.Add"(%f, %x) : (tensor<*xf32>, tensor<2xf32>) -> tensor<*xf32>
    %none2 = "onnx.NoValue"() : () -> none
    %acc2 = "onnx.SequenceInsert"(%acc, %v, %none2) : (!onnx.seq<tensor<*xf32>>, tensor<*xf32>, none) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%c, %acc2) : (tensor<i1>, !onnx.seq<tensor<*xf32>>) -> ()
  }) : (tensor<i64>, none, !onnx.seq<tensor<*xf32>>) -> !onnx.seq<tensor<*xf32>>
  return %s : !onnx.seq<tensor<*xf32>>
}

// -----

// An If yielding sequences of one structure gets one result per tensor
// (generic syntax prints the else branch first).
// CHECK-LABEL: @if_sequences
// CHECK: %[[IF:.*]] = "onnx.If"(%arg0) ({
// CHECK:   "onnx.Yield"(%arg2) : (tensor<3xf32>) -> ()
// CHECK: }, {
// CHECK:   "onnx.Yield"(%arg1) : (tensor<3xf32>) -> ()
// CHECK: }) : (tensor<i1>) -> tensor<3xf32>
// CHECK: return %[[IF]] : tensor<3xf32>
func.func @if_sequences(%c: tensor<i1>, %a: tensor<3xf32>, %b: tensor<3xf32>) -> (!onnx.seq<tensor<*xf32>> {onnx.name = "r"}) {
  %r = "onnx.If"(%c) ({
    %s = "onnx.SequenceConstruct"(%b) : (tensor<3xf32>) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%s) : (!onnx.seq<tensor<*xf32>>) -> ()
  }, {
    %s = "onnx.SequenceConstruct"(%a) : (tensor<3xf32>) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%s) : (!onnx.seq<tensor<*xf32>>) -> ()
  }) : (tensor<i1>) -> !onnx.seq<tensor<*xf32>>
  return %r : !onnx.seq<tensor<*xf32>>
}

// -----

// Optionals: presence is fixed, so HasElement folds and GetElement forwards.
// CHECK-LABEL: @optionals
// CHECK: %[[T:.*]] = "onnx.Constant"() <{value = dense<true> : tensor<i1>}>
// CHECK: %[[F:.*]] = "onnx.Constant"() <{value = dense<false> : tensor<i1>}>
// CHECK: return %[[T]], %[[F]], %arg0
func.func @optionals(%a: tensor<4xf32>) -> (tensor<i1> {onnx.name = "h"}, tensor<i1> {onnx.name = "e"}, tensor<*xf32> {onnx.name = "g"}) {
  %none = "onnx.NoValue"() : () -> none
  %o = "onnx.Optional"(%a) : (tensor<4xf32>) -> !onnx.opt<tensor<*xf32>>
  %empty = "onnx.Optional"(%none) <{type = tensor<*xf32>}> : (none) -> !onnx.opt<tensor<*xf32>>
  %h = "onnx.OptionalHasElement"(%o) : (!onnx.opt<tensor<*xf32>>) -> tensor<i1>
  %e = "onnx.OptionalHasElement"(%empty) : (!onnx.opt<tensor<*xf32>>) -> tensor<i1>
  %g = "onnx.OptionalGetElement"(%o) : (!onnx.opt<tensor<*xf32>>) -> tensor<*xf32>
  return %h, %e, %g : tensor<i1>, tensor<i1>, tensor<*xf32>
}

// -----

func.func @runtime_position_mixed_shapes(%a: tensor<2xf32>, %b: tensor<3xf32>, %p: tensor<i64>) -> tensor<*xf32> {
  %s = "onnx.SequenceConstruct"(%a, %b) : (tensor<2xf32>, tensor<3xf32>) -> !onnx.seq<tensor<*xf32>>
  // expected-error @+1 {{has a run-time position over elements of different or unknown types}}
  %at = "onnx.SequenceAt"(%s, %p) : (!onnx.seq<tensor<*xf32>>, tensor<i64>) -> tensor<*xf32>
  return %at : tensor<*xf32>
}

// -----

// An optional absent in one branch and present in the other: its presence
// becomes a run-time flag, output "r.has_value", next to the payload "r"
// (zeros from the absent branch).
// CHECK-LABEL: @if_optional_presence
// CHECK-SAME: -> (tensor<i1> {onnx.name = "r.has_value"}, tensor<3xf32> {onnx.name = "r"})
// CHECK: "onnx.If"
// CHECK: %[[Z:.*]] = "onnx.Constant"() <{value = dense<0.000000e+00> : tensor<3xf32>}>
// CHECK: %[[F:.*]] = "onnx.Constant"() <{value = dense<false> : tensor<i1>}>
// CHECK: "onnx.Yield"(%[[F]], %[[Z]])
// CHECK: %[[T:.*]] = "onnx.Constant"() <{value = dense<true> : tensor<i1>}>
// CHECK: "onnx.Yield"(%[[T]], %arg1)
func.func @if_optional_presence(%c: tensor<i1>, %a: tensor<3xf32>) -> (!onnx.opt<tensor<*xf32>> {onnx.name = "r"}) {
  %r = "onnx.If"(%c) ({
    %none = "onnx.NoValue"() : () -> none
    %o = "onnx.Optional"(%none) <{type = tensor<*xf32>}> : (none) -> !onnx.opt<tensor<*xf32>>
    "onnx.Yield"(%o) : (!onnx.opt<tensor<*xf32>>) -> ()
  }, {
    %o = "onnx.Optional"(%a) : (tensor<3xf32>) -> !onnx.opt<tensor<*xf32>>
    "onnx.Yield"(%o) : (!onnx.opt<tensor<*xf32>>) -> ()
  }) : (tensor<i1>) -> !onnx.opt<tensor<*xf32>>
  return %r : !onnx.opt<tensor<*xf32>>
}

// -----

// The payload needs static types (the absent branch makes zeros of them).
func.func @if_structures_differ(%c: tensor<i1>, %a: tensor<?xf32>) -> (!onnx.opt<tensor<*xf32>> {onnx.name = "r"}) {
  // expected-error @+1 {{result #0 is an optional holding a tensor in the then branch and an absent optional in the else branch}}
  %r = "onnx.If"(%c) ({
    %none = "onnx.NoValue"() : () -> none
    %o = "onnx.Optional"(%none) <{type = tensor<*xf32>}> : (none) -> !onnx.opt<tensor<*xf32>>
    "onnx.Yield"(%o) : (!onnx.opt<tensor<*xf32>>) -> ()
  }, {
    %o = "onnx.Optional"(%a) : (tensor<?xf32>) -> !onnx.opt<tensor<*xf32>>
    "onnx.Yield"(%o) : (!onnx.opt<tensor<*xf32>>) -> ()
  }) : (tensor<i1>) -> !onnx.opt<tensor<*xf32>>
  return %r : !onnx.opt<tensor<*xf32>>
}

// -----

func.func @loop_runtime_trips(%n: tensor<i64>, %x: tensor<2xf32>) -> (!onnx.seq<tensor<*xf32>> {onnx.name = "s"}) {
  %none = "onnx.NoValue"() : () -> none
  %e = "onnx.SequenceEmpty"() <{dtype = 1 : i64}> : () -> !onnx.seq<tensor<*xf32>>
  // expected-error @+1 {{--loop-bound=N must give the most iterations a run may take}}
  %s = "onnx.Loop"(%n, %none, %e) ({
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %acc: !onnx.seq<tensor<*xf32>>):
    %none2 = "onnx.NoValue"() : () -> none
    %acc2 = "onnx.SequenceInsert"(%acc, %x, %none2) : (!onnx.seq<tensor<*xf32>>, tensor<2xf32>, none) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%c, %acc2) : (tensor<i1>, !onnx.seq<tensor<*xf32>>) -> ()
  }) : (tensor<i64>, none, !onnx.seq<tensor<*xf32>>) -> !onnx.seq<tensor<*xf32>>
  return %s : !onnx.seq<tensor<*xf32>>
}

// -----

func.func @position_out_of_range(%a: tensor<2xf32>) -> tensor<*xf32> {
  %s = "onnx.SequenceConstruct"(%a) : (tensor<2xf32>) -> !onnx.seq<tensor<*xf32>>
  %p = "onnx.Constant"() <{value = dense<3> : tensor<i64>}> : () -> tensor<i64>
  // expected-error @+1 {{position 3 is out of range for a sequence of 1}}
  %at = "onnx.SequenceAt"(%s, %p) : (!onnx.seq<tensor<*xf32>>, tensor<i64>) -> tensor<*xf32>
  return %at : tensor<*xf32>
}
