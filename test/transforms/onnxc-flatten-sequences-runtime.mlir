// RUN: onnxc-opt %s -split-input-file -onnxc-flatten-sequences=loop-bound=2 -verify-diagnostics | FileCheck %s

// A Loop with a run-time trip count that grows a sequence is unrolled up to
// the bound, one If per iteration on whether it runs; the sequence comes out
// with the length the run decides ("s.length") and one slot per possible
// element, zeros past the length. A slot the later iterations leave alone is
// not yielded again. A run needing more iterations than the bound fails the
// onnx.Check.
// CHECK-LABEL: @loop_runtime_trips
// CHECK-SAME: -> (tensor<i64> {onnx.name = "s.length"}, tensor<2xf32> {onnx.name = "s.0"}, tensor<2xf32> {onnx.name = "s.1"})
// CHECK: %[[LESS0:.*]] = "onnx.Less"
// CHECK: %[[ACTIVE0:.*]] = "onnx.And"(%[[LESS0]],
// CHECK: %[[IT0:.*]]:3 = "onnx.If"(%[[ACTIVE0]])
// CHECK: "onnx.Yield"(%{{.*}}, %{{.*}}, %arg1) : (tensor<i1>, tensor<i64>, tensor<2xf32>)
// CHECK: %[[ACTIVE1:.*]] = "onnx.And"(%{{.*}}, %[[IT0]]#0)
// CHECK: %[[IT1:.*]]:3 = "onnx.If"(%[[ACTIVE1]])
// CHECK: "onnx.Yield"(%{{.*}}, %[[IT0]]#1, %{{.*}}) : (tensor<i1>, tensor<i64>, tensor<2xf32>)
// CHECK: %[[MORE:.*]] = "onnx.Not"
// CHECK: onnx.Check %[[MORE]], "Loop: the run needs more iterations than --loop-bound=2"
// CHECK-NOT: onnx.Sequence
// CHECK-NOT: onnx.Loop
// CHECK: return %[[IT1]]#1, %[[IT0]]#2, %[[IT1]]#2
func.func @loop_runtime_trips(%n: tensor<i64>, %x: tensor<2xf32>) -> (!onnx.seq<tensor<*xf32>> {onnx.name = "s"}) {
  %none = "onnx.NoValue"() : () -> none
  %e = "onnx.SequenceEmpty"() <{dtype = 1 : i64}> : () -> !onnx.seq<tensor<*xf32>>
  %s = "onnx.Loop"(%n, %none, %e) ({
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %acc: !onnx.seq<tensor<*xf32>>):
    %none2 = "onnx.NoValue"() : () -> none
    %acc2 = "onnx.SequenceInsert"(%acc, %x, %none2) : (!onnx.seq<tensor<*xf32>>, tensor<2xf32>, none) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%c, %acc2) : (tensor<i1>, !onnx.seq<tensor<*xf32>>) -> ()
  }) : (tensor<i64>, none, !onnx.seq<tensor<*xf32>>) -> !onnx.seq<tensor<*xf32>>
  return %s : !onnx.seq<tensor<*xf32>>
}

// -----

// With a constant trip count and a run-time condition the trip count bounds
// the unrolling: no check, no bound needed. Each If yields the condition,
// the length and only the new slot (every slot holds %x). SequenceLength and
// SequenceAt read the run-time length (SequenceAt checks its position).
// CHECK-LABEL: @loop_runtime_condition
// CHECK-SAME: -> (tensor<i64> {onnx.name = "n"}, tensor<2xf32> {onnx.name = "last"})
// CHECK: "onnx.If"(%arg0)
// CHECK: "onnx.If"
// CHECK: %[[R:.*]]:3 = "onnx.If"
// CHECK-NOT: onnx.Check{{.*}}loop-bound
// CHECK: onnx.Check {{.*}}"SequenceAt: the position is out of range for the sequence's length"
// CHECK: %[[AT:.*]] = "onnx.Gather"
// CHECK: return %[[R]]#1, %[[AT]]
func.func @loop_runtime_condition(%go: tensor<i1>, %x: tensor<2xf32>) -> (tensor<i64> {onnx.name = "n"}, tensor<*xf32> {onnx.name = "last"}) {
  %three = "onnx.Constant"() <{value = dense<3> : tensor<i64>}> : () -> tensor<i64>
  %e = "onnx.SequenceEmpty"() <{dtype = 1 : i64}> : () -> !onnx.seq<tensor<*xf32>>
  %s = "onnx.Loop"(%three, %go, %e) ({
  ^bb0(%i: tensor<i64>, %c: tensor<i1>, %acc: !onnx.seq<tensor<*xf32>>):
    %none2 = "onnx.NoValue"() : () -> none
    %acc2 = "onnx.SequenceInsert"(%acc, %x, %none2) : (!onnx.seq<tensor<*xf32>>, tensor<2xf32>, none) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%c, %acc2) : (tensor<i1>, !onnx.seq<tensor<*xf32>>) -> ()
  }) : (tensor<i64>, tensor<i1>, !onnx.seq<tensor<*xf32>>) -> !onnx.seq<tensor<*xf32>>
  %n = "onnx.SequenceLength"(%s) : (!onnx.seq<tensor<*xf32>>) -> tensor<i64>
  %m1 = "onnx.Constant"() <{value = dense<-1> : tensor<i64>}> : () -> tensor<i64>
  %last = "onnx.SequenceAt"(%s, %m1) : (!onnx.seq<tensor<*xf32>>, tensor<i64>) -> tensor<*xf32>
  return %n, %last : tensor<i64>, tensor<*xf32>
}

// -----

// Branches yielding sequences of different lengths whose common elements
// agree: the length becomes a run-time value, the shorter branch yields
// zeros for the missing slot.
// CHECK-LABEL: @if_lengths_differ
// CHECK-SAME: -> (tensor<i64> {onnx.name = "r.length"}, tensor<3xf32> {onnx.name = "r.0"}, tensor<2xf32> {onnx.name = "r.1"})
// CHECK: "onnx.If"
// CHECK: %[[ZEROS:.*]] = "onnx.Constant"() <{value = dense<0.000000e+00> : tensor<2xf32>}>
// CHECK: %[[ONE:.*]] = "onnx.Constant"() <{value = dense<1> : tensor<i64>}>
// CHECK: "onnx.Yield"(%[[ONE]], %arg1, %[[ZEROS]])
// CHECK: %[[TWO:.*]] = "onnx.Constant"() <{value = dense<2> : tensor<i64>}>
// CHECK: "onnx.Yield"(%[[TWO]], %arg1, %arg2)
func.func @if_lengths_differ(%c: tensor<i1>, %a: tensor<3xf32>, %b: tensor<2xf32>) -> (!onnx.seq<tensor<*xf32>> {onnx.name = "r"}) {
  // (Regions in generic form: else_branch, then then_branch.)
  %r = "onnx.If"(%c) ({
    %s = "onnx.SequenceConstruct"(%a) : (tensor<3xf32>) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%s) : (!onnx.seq<tensor<*xf32>>) -> ()
  }, {
    %s = "onnx.SequenceConstruct"(%a, %b) : (tensor<3xf32>, tensor<2xf32>) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%s) : (!onnx.seq<tensor<*xf32>>) -> ()
  }) : (tensor<i1>) -> !onnx.seq<tensor<*xf32>>
  return %r : !onnx.seq<tensor<*xf32>>
}

// -----

// An If on a condition known at compile time keeps only the taken branch
// (the other may read what does not exist, e.g. an absent optional).
// CHECK-LABEL: @if_constant_condition
// CHECK-NOT: onnx.If
// CHECK-NOT: onnx.Optional
// CHECK: return %arg0
func.func @if_constant_condition(%a: tensor<3xf32>) -> (tensor<*xf32> {onnx.name = "r"}) {
  %none = "onnx.NoValue"() : () -> none
  %o = "onnx.Optional"(%none) <{type = tensor<3xf32>}> : (none) -> !onnx.opt<tensor<*xf32>>
  %has = "onnx.OptionalHasElement"(%o) : (!onnx.opt<tensor<*xf32>>) -> tensor<i1>
  %absent = "onnx.Not"(%has) : (tensor<i1>) -> tensor<i1>
  %r = "onnx.If"(%absent) ({
    %g = "onnx.OptionalGetElement"(%o) : (!onnx.opt<tensor<*xf32>>) -> tensor<*xf32>
    "onnx.Yield"(%g) : (tensor<*xf32>) -> ()
  }, {
    "onnx.Yield"(%a) : (tensor<3xf32>) -> ()
  }) : (tensor<i1>) -> tensor<*xf32>
  return %r : tensor<*xf32>
}

// -----

// Inserting at a run-time position among elements of different shapes:
// each slot that may hold either becomes its elements flat, zero-padded to
// the larger, plus its shape ("s.k.shape").
// CHECK-LABEL: @insert_mixed_shapes
// CHECK-SAME: -> (tensor<3xi64> {onnx.name = "s.0"}, tensor<1xi64> {onnx.name = "s.0.shape"}, tensor<3xi64> {onnx.name = "s.1"}, tensor<1xi64> {onnx.name = "s.1.shape"})
// CHECK-DAG: %[[SHAPE3:.*]] = "onnx.Constant"() <{value = dense<3> : tensor<1xi64>}>
// CHECK-DAG: %[[SHAPE2:.*]] = "onnx.Constant"() <{value = dense<2> : tensor<1xi64>}>
// CHECK: %[[PAD:.*]] = "onnx.Concat"
// CHECK: "onnx.Where"({{.*}}, %[[PAD]])
// CHECK: "onnx.Where"({{.*}}, %[[SHAPE3]], %[[SHAPE2]])
func.func @insert_mixed_shapes(%s0: tensor<3xi64>, %t: tensor<2xi64>, %p: tensor<1xi64>) -> (!onnx.seq<tensor<*xi64>> {onnx.name = "s"}) {
  %s = "onnx.SequenceConstruct"(%s0) : (tensor<3xi64>) -> !onnx.seq<tensor<*xi64>>
  %r = "onnx.SequenceInsert"(%s, %t, %p) : (!onnx.seq<tensor<*xi64>>, tensor<2xi64>, tensor<1xi64>) -> !onnx.seq<tensor<*xi64>>
  return %r : !onnx.seq<tensor<*xi64>>
}

// -----

// Insert and Erase on a sequence whose length the run decides: positions
// count from that length (checked by the run), and the length moves by one.
// CHECK-LABEL: @insert_erase_runtime_length
// CHECK-SAME: -> (tensor<i64> {onnx.name = "r.length"}, tensor<2xf32> {onnx.name = "r.0"})
// CHECK: %[[IF:.*]]:2 = "onnx.If"
// CHECK: %[[PLUS:.*]] = "onnx.Add"(%[[IF]]#0,
// CHECK: onnx.Check {{.*}}"SequenceInsert: the position is out of range for the sequence's length"
// CHECK: %[[MINUS:.*]] = "onnx.Sub"(%[[PLUS]],
// CHECK: onnx.Check {{.*}}"SequenceErase: the position is out of range for the sequence's length"
// CHECK: return %[[MINUS]],
func.func @insert_erase_runtime_length(%c: tensor<i1>, %a: tensor<2xf32>, %b: tensor<2xf32>) -> (!onnx.seq<tensor<*xf32>> {onnx.name = "r"}) {
  %s = "onnx.If"(%c) ({
    %s1 = "onnx.SequenceConstruct"(%a) : (tensor<2xf32>) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%s1) : (!onnx.seq<tensor<*xf32>>) -> ()
  }, {
    %e = "onnx.SequenceEmpty"() <{dtype = 1 : i64}> : () -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%e) : (!onnx.seq<tensor<*xf32>>) -> ()
  }) : (tensor<i1>) -> !onnx.seq<tensor<*xf32>>
  %zero = "onnx.Constant"() <{value = dense<0> : tensor<i64>}> : () -> tensor<i64>
  %i = "onnx.SequenceInsert"(%s, %b, %zero) : (!onnx.seq<tensor<*xf32>>, tensor<2xf32>, tensor<i64>) -> !onnx.seq<tensor<*xf32>>
  %none = "onnx.NoValue"() : () -> none
  %r = "onnx.SequenceErase"(%i, %none) : (!onnx.seq<tensor<*xf32>>, none) -> !onnx.seq<tensor<*xf32>>
  return %r : !onnx.seq<tensor<*xf32>>
}

// -----

// Branches yielding sequences whose elements differ in shape: inside a
// sequence the element takes a run-time shape (flat values + shape).
// CHECK-LABEL: @if_element_shapes_differ
// CHECK-SAME: -> (tensor<3xf32> {onnx.name = "r.0"}, tensor<1xi64> {onnx.name = "r.0.shape"})
// CHECK: "onnx.If"
// CHECK-DAG: "onnx.Constant"() <{value = dense<3> : tensor<1xi64>}>
// CHECK-DAG: "onnx.Reshape"(%arg1
// CHECK: "onnx.Yield"
// CHECK-DAG: "onnx.Constant"() <{value = dense<2> : tensor<1xi64>}>
// CHECK-DAG: "onnx.Concat"
// CHECK: "onnx.Yield"
func.func @if_element_shapes_differ(%c: tensor<i1>, %a: tensor<3xf32>, %b: tensor<2xf32>) -> (!onnx.seq<tensor<*xf32>> {onnx.name = "r"}) {
  %r = "onnx.If"(%c) ({
    %s = "onnx.SequenceConstruct"(%a) : (tensor<3xf32>) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%s) : (!onnx.seq<tensor<*xf32>>) -> ()
  }, {
    %s = "onnx.SequenceConstruct"(%b) : (tensor<2xf32>) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%s) : (!onnx.seq<tensor<*xf32>>) -> ()
  }) : (tensor<i1>) -> !onnx.seq<tensor<*xf32>>
  return %r : !onnx.seq<tensor<*xf32>>
}

// -----

// Reading an optional the run may leave absent: the run checks its flag.
// CHECK-LABEL: @get_runtime_optional
// CHECK: %[[R:.*]]:2 = "onnx.If"
// CHECK: onnx.Check %[[R]]#0, "OptionalGetElement: the optional is absent"
// CHECK: return %[[R]]#1
func.func @get_runtime_optional(%c: tensor<i1>, %a: tensor<3xf32>) -> (tensor<*xf32> {onnx.name = "y"}) {
  %r = "onnx.If"(%c) ({
    %none = "onnx.NoValue"() : () -> none
    %o = "onnx.Optional"(%none) <{type = tensor<*xf32>}> : (none) -> !onnx.opt<tensor<*xf32>>
    "onnx.Yield"(%o) : (!onnx.opt<tensor<*xf32>>) -> ()
  }, {
    %o = "onnx.Optional"(%a) : (tensor<3xf32>) -> !onnx.opt<tensor<*xf32>>
    "onnx.Yield"(%o) : (!onnx.opt<tensor<*xf32>>) -> ()
  }) : (tensor<i1>) -> !onnx.opt<tensor<*xf32>>
  %y = "onnx.OptionalGetElement"(%r) : (!onnx.opt<tensor<*xf32>>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// SequenceMap over a sequence whose length the run decides: the body runs
// in an If per slot on whether the element exists; the result keeps the
// length.
// CHECK-LABEL: @map_runtime_length
// CHECK-SAME: -> (tensor<i64> {onnx.name = "r.length"}, tensor<2xf32> {onnx.name = "r.0"})
// CHECK: %[[S:.*]]:2 = "onnx.If"(%arg0)
// CHECK: %[[EXISTS:.*]] = "onnx.Less"(%{{.*}}, %[[S]]#0)
// CHECK: %[[M:.*]] = "onnx.If"(%[[EXISTS]])
// CHECK: "onnx.Constant"() <{value = dense<0.000000e+00> : tensor<2xf32>}>
// CHECK: "onnx.Neg"(%[[S]]#1)
// CHECK: return %[[S]]#0, %[[M]]
func.func @map_runtime_length(%c: tensor<i1>, %a: tensor<2xf32>) -> (!onnx.seq<tensor<*xf32>> {onnx.name = "r"}) {
  %s = "onnx.If"(%c) ({
    %s1 = "onnx.SequenceConstruct"(%a) : (tensor<2xf32>) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%s1) : (!onnx.seq<tensor<*xf32>>) -> ()
  }, {
    %e = "onnx.SequenceEmpty"() <{dtype = 1 : i64}> : () -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%e) : (!onnx.seq<tensor<*xf32>>) -> ()
  }) : (tensor<i1>) -> !onnx.seq<tensor<*xf32>>
  %r = "onnx.SequenceMap"(%s) ({
  ^bb0(%x: tensor<2xf32>):
    %n = "onnx.Neg"(%x) : (tensor<2xf32>) -> tensor<2xf32>
    "onnx.Yield"(%n) : (tensor<2xf32>) -> ()
  }) : (!onnx.seq<tensor<*xf32>>) -> !onnx.seq<tensor<*xf32>>
  return %r : !onnx.seq<tensor<*xf32>>
}

// -----

// A run-time condition must be one boolean.
func.func @loop_condition_not_scalar(%go: tensor<2xi1>, %x: tensor<2xf32>) -> (!onnx.seq<tensor<*xf32>> {onnx.name = "s"}) {
  %none = "onnx.NoValue"() : () -> none
  %e = "onnx.SequenceEmpty"() <{dtype = 1 : i64}> : () -> !onnx.seq<tensor<*xf32>>
  // expected-error @+1 {{has a condition of type 'tensor<2xi1>', not one boolean}}
  %s = "onnx.Loop"(%none, %go, %e) ({
  ^bb0(%i: tensor<i64>, %c: tensor<2xi1>, %acc: !onnx.seq<tensor<*xf32>>):
    %none2 = "onnx.NoValue"() : () -> none
    %acc2 = "onnx.SequenceInsert"(%acc, %x, %none2) : (!onnx.seq<tensor<*xf32>>, tensor<2xf32>, none) -> !onnx.seq<tensor<*xf32>>
    "onnx.Yield"(%c, %acc2) : (tensor<2xi1>, !onnx.seq<tensor<*xf32>>) -> ()
  }) : (none, tensor<2xi1>, !onnx.seq<tensor<*xf32>>) -> !onnx.seq<tensor<*xf32>>
  return %s : !onnx.seq<tensor<*xf32>>
}
