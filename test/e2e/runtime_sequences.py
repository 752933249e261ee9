#!/usr/bin/python3
"""Sequences whose length and element shapes the run decides, end to end:
runtime_sequences.py ONNXC WORKDIR. Each model is compiled once (Loops with a
run-time trip count unrolled up to --loop-bound 4) and run over several
inputs; its outputs, read as the README says ("y.length", "y.k.shape"), must
equal a Python reference of the ONNX semantics. Inputs outside what the model
was compiled for (more iterations than the bound, a position out of range,
reading an absent optional) must fail the run with ONNXC_ERR_DATA."""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

onnxc, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
failures = []
BOUND = 4


def save(name, nodes, inputs, outputs):
    g = helper.make_graph(nodes, name, inputs, outputs)
    path = os.path.join(work, name + ".onnx")
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]), path)
    return path


def read_seq(out, name):
    """A sequence output: its length the run's, each element at its shape."""
    n = int(np.load(os.path.join(out, name + ".length.npy")))
    elems = []
    for k in range(n):
        a = np.load(os.path.join(out, "%s.%d.npy" % (name, k)))
        shape_file = os.path.join(out, "%s.%d.shape.npy" % (name, k))
        if os.path.exists(shape_file):
            shape = tuple(int(d) for d in np.load(shape_file))
            a = a.reshape(-1)[:int(np.prod(shape, dtype=np.int64))].reshape(shape)
        elems.append(a)
    return elems


def run(path, arrays, want, shapes=()):
    out = os.path.join(work, "out")
    args = [onnxc, "run", path, "--output-dir", out, "--loop-bound", str(BOUND)]
    for s in shapes:
        args += ["--shape", s]
    for n, a in arrays.items():
        f = os.path.join(work, n + ".npy")
        np.save(f, a)
        args += ["--input", "%s=%s" % (n, f)]
    for f in os.listdir(out) if os.path.isdir(out) else []:
        os.remove(os.path.join(out, f))
    r = subprocess.run(args, capture_output=True, text=True)
    label = "%s %s" % (os.path.basename(path), {k: v.tolist() for k, v in arrays.items()})
    if want is None:
        ok = r.returncode != 0 and "input values imply shapes" in r.stderr
        print("%-70s %s" % (label, "rejected" if ok else "NOT REJECTED"))
    else:
        if isinstance(want, np.ndarray):
            got = np.load(os.path.join(out, "y.npy")) if r.returncode == 0 else None
            ok = got is not None and got.shape == want.shape and np.array_equal(got, want)
            want = [want]
        else:
            got = read_seq(out, "y") if r.returncode == 0 else None
            ok = got is not None and len(got) == len(want) and all(
                g.shape == w.shape and np.array_equal(g, w) for g, w in zip(got, want))
        print("%-70s %s" % (label, "ok (%d elements)" % len(want) if ok else
                            "FAIL got %s want %s %s" % (got, want, r.stderr.strip()[-300:])))
    if not ok:
        failures.append(label)


i64 = TensorProto.INT64
x = np.arange(1, 6, dtype=np.int64)

# 1. A Loop (run-time trip count) that puts x[:i+1] at the front of its
# sequence: element 0 changes shape every iteration, so the slots take run-time
# shapes; then the last element is erased.
body = helper.make_graph(
    [helper.make_node("Identity", ["c_in"], ["c_out"]),
     helper.make_node("Constant", [], ["one"], value=helper.make_tensor("one", i64, [1], [1])),
     helper.make_node("Constant", [], ["zero"], value=helper.make_tensor("zero", i64, [1], [0])),
     helper.make_node("Unsqueeze", ["i", "zero"], ["i1"]),
     helper.make_node("Add", ["i1", "one"], ["end"]),
     helper.make_node("Slice", ["x", "zero", "end"], ["piece"]),
     helper.make_node("SequenceInsert", ["seq_in", "piece", "zero"], ["seq_out"])],
    "body", [helper.make_tensor_value_info("i", i64, []), helper.make_tensor_value_info("c_in", TensorProto.BOOL, []),
             helper.make_tensor_sequence_value_info("seq_in", i64, None)],
    [helper.make_tensor_value_info("c_out", TensorProto.BOOL, []),
     helper.make_tensor_sequence_value_info("seq_out", i64, None)])
prepend = save("prepend",
               [helper.make_node("SequenceEmpty", [], ["empty"], dtype=i64),
                helper.make_node("Loop", ["m", "", "empty"], ["seq"], body=body),
                helper.make_node("SequenceErase", ["seq"], ["y"])],
               [helper.make_tensor_value_info("m", i64, []), helper.make_tensor_value_info("x", i64, [5])],
               [helper.make_tensor_sequence_value_info("y", i64, None)])
for m in range(1, BOUND + 1):
    run(prepend, {"m": np.array(m), "x": x}, [x[:k + 1] for k in reversed(range(1, m))])
run(prepend, {"m": np.array(0), "x": x}, None)          # erasing from an empty sequence
run(prepend, {"m": np.array(BOUND + 1), "x": x}, None)  # more iterations than the bound

# 1b. The same Loop appending instead (element k has shape [k+1] whatever
# the trip count), then SequenceMap: the body runs on the elements that
# exist (one If per slot), the result keeps the run-time length.
append_body = helper.make_graph(
    list(body.node[:-1]) + [helper.make_node("SequenceInsert", ["seq_in", "piece"], ["seq_out"])],
    "append_body", list(body.input), list(body.output))
map_body = helper.make_graph([helper.make_node("Add", ["e", "e"], ["e2"])], "map_body",
                             [helper.make_tensor_value_info("e", i64, None)],
                             [helper.make_tensor_value_info("e2", i64, None)])
mapped = save("mapped",
              [helper.make_node("SequenceEmpty", [], ["empty"], dtype=i64),
               helper.make_node("Loop", ["m", "", "empty"], ["seq"], body=append_body),
               helper.make_node("SequenceMap", ["seq"], ["y"], body=map_body)],
              [helper.make_tensor_value_info("m", i64, []), helper.make_tensor_value_info("x", i64, [5])],
              [helper.make_tensor_sequence_value_info("y", i64, None)])
for m in range(0, BOUND + 1):
    run(mapped, {"m": np.array(m), "x": x}, [2 * x[:k + 1] for k in range(m)])

# 1c. A while loop (no trip count; the body's condition decides) that adds x to
# an accumulator until it reaches a limit, appending each partial sum.
f32 = TensorProto.FLOAT
while_body = helper.make_graph(
    [helper.make_node("Add", ["acc_in", "x"], ["acc_out"]),
     helper.make_node("ReduceMin", ["acc_out"], ["low"], keepdims=0),
     helper.make_node("Less", ["low", "limit"], ["c_out"]),
     helper.make_node("SequenceInsert", ["s_in", "acc_out"], ["s_out"])],
    "while_body", [helper.make_tensor_value_info("i", i64, []), helper.make_tensor_value_info("c", TensorProto.BOOL, []),
                   helper.make_tensor_value_info("acc_in", f32, [2]),
                   helper.make_tensor_sequence_value_info("s_in", f32, [2])],
    [helper.make_tensor_value_info("c_out", TensorProto.BOOL, []), helper.make_tensor_value_info("acc_out", f32, [2]),
     helper.make_tensor_sequence_value_info("s_out", f32, [2])])
whileloop = save("whileloop",
                 [helper.make_node("SequenceEmpty", [], ["e"], dtype=f32),
                  helper.make_node("Loop", ["", "go", "acc0", "e"], ["acc", "y"], body=while_body)],
                 [helper.make_tensor_value_info("go", TensorProto.BOOL, []), helper.make_tensor_value_info("acc0", f32, [2]),
                  helper.make_tensor_value_info("x", f32, [2]), helper.make_tensor_value_info("limit", f32, [])],
                 [helper.make_tensor_value_info("acc", f32, [2]), helper.make_tensor_sequence_value_info("y", f32, [2])])
ones, zeros2 = np.ones(2, np.float32), np.zeros(2, np.float32)
for limit in (0.5, 2.5, 3.5):
    want = [ones * (k + 1) for k in range(int(np.ceil(limit)))]
    run(whileloop, {"go": np.array(True), "acc0": zeros2, "x": ones, "limit": np.array(limit, np.float32)}, want)
run(whileloop, {"go": np.array(False), "acc0": zeros2, "x": ones, "limit": np.array(2.5, np.float32)}, [])
run(whileloop, {"go": np.array(True), "acc0": zeros2, "x": ones, "limit": np.array(9, np.float32)}, None)

# 1d. Nested: an outer Loop (run-time m) whose body runs an inner Loop
# (run-time n) growing a sequence, and appends that sequence's length.
inner = helper.make_graph(
    [helper.make_node("Identity", ["ci"], ["ci_out"]), helper.make_node("SequenceInsert", ["si", "j"], ["si_out"])],
    "inner", [helper.make_tensor_value_info("j", i64, []), helper.make_tensor_value_info("ci", TensorProto.BOOL, []),
              helper.make_tensor_sequence_value_info("si", i64, [])],
    [helper.make_tensor_value_info("ci_out", TensorProto.BOOL, []), helper.make_tensor_sequence_value_info("si_out", i64, [])])
outer = helper.make_graph(
    [helper.make_node("Identity", ["co"], ["co_out"]),
     helper.make_node("SequenceEmpty", [], ["ie"], dtype=i64),
     helper.make_node("Loop", ["n", "", "ie"], ["iseq"], body=inner),
     helper.make_node("SequenceLength", ["iseq"], ["ilen"]),
     helper.make_node("SequenceInsert", ["so", "ilen"], ["so_out"])],
    "outer", [helper.make_tensor_value_info("k", i64, []), helper.make_tensor_value_info("co", TensorProto.BOOL, []),
              helper.make_tensor_sequence_value_info("so", i64, [])],
    [helper.make_tensor_value_info("co_out", TensorProto.BOOL, []), helper.make_tensor_sequence_value_info("so_out", i64, [])])
nested = save("nested", [helper.make_node("SequenceEmpty", [], ["e"], dtype=i64),
                         helper.make_node("Loop", ["m", "", "e"], ["y"], body=outer)],
              [helper.make_tensor_value_info("m", i64, []), helper.make_tensor_value_info("n", i64, [])],
              [helper.make_tensor_sequence_value_info("y", i64, [])])
for m, n in ((0, 1), (2, 3), (3, 0), (BOUND, BOUND)):
    run(nested, {"m": np.array(m), "n": np.array(n)}, [np.array(n)] * m)
run(nested, {"m": np.array(1), "n": np.array(BOUND + 1)}, None)

# 2. An If whose branches yield sequences of different lengths and element
# shapes; then an insert at a run-time position.
then_g = helper.make_graph([helper.make_node("SequenceConstruct", ["a"], ["s_then"])], "then", [],
                           [helper.make_tensor_sequence_value_info("s_then", i64, None)])
else_g = helper.make_graph([helper.make_node("SequenceConstruct", ["b", "a", "b"], ["s_else"])], "else", [],
                           [helper.make_tensor_sequence_value_info("s_else", i64, None)])
branches = save("branches",
                [helper.make_node("If", ["c"], ["s"], then_branch=then_g, else_branch=else_g),
                 helper.make_node("SequenceInsert", ["s", "a", "p"], ["y"])],
                [helper.make_tensor_value_info("c", TensorProto.BOOL, []),
                 helper.make_tensor_value_info("a", i64, [2]), helper.make_tensor_value_info("b", i64, [3]),
                 helper.make_tensor_value_info("p", i64, [])],
                [helper.make_tensor_sequence_value_info("y", i64, None)])
a, b = np.array([7, 8]), np.array([1, 2, 3])
for c in (True, False):
    base = [a] if c else [b, a, b]
    for p in range(-len(base), len(base) + 1):
        want = list(base)
        want.insert(p if p >= 0 else p + len(base), a)
        run(branches, {"c": np.array(c), "a": a, "b": b, "p": np.array(p)}, want)
run(branches, {"c": np.array(True), "a": a, "b": b, "p": np.array(2)}, None)    # past the end
run(branches, {"c": np.array(False), "a": a, "b": b, "p": np.array(-4)}, None)  # before the start

# 3. An optional that an If makes present or absent, read by
# OptionalGetElement: absent is an error the run reports.
then_g = helper.make_graph([helper.make_node("Optional", ["a"], ["o_then"])], "then", [],
                           [helper.make_tensor_value_info("o_then", i64, [2])])
else_g = helper.make_graph([helper.make_node("Optional", [], ["o_else"], type=helper.make_tensor_type_proto(i64, [2]))],
                           "else", [], [helper.make_tensor_value_info("o_else", i64, [2])])
for g_ in (then_g, else_g):
    g_.output[0].type.CopyFrom(helper.make_optional_type_proto(helper.make_tensor_type_proto(i64, [2])))
getter = save("getter",
              [helper.make_node("If", ["c"], ["o"], then_branch=then_g, else_branch=else_g),
               helper.make_node("OptionalGetElement", ["o"], ["y"])],
              [helper.make_tensor_value_info("c", TensorProto.BOOL, []), helper.make_tensor_value_info("a", i64, [2])],
              [helper.make_tensor_value_info("y", i64, [2])])
run(getter, {"c": np.array(True), "a": a}, a)
run(getter, {"c": np.array(False), "a": a}, None)  # absent

print("runtime_sequences: %s" % ("FAILED" if failures else "OK"))
sys.exit(1 if failures else 0)
