#!/usr/bin/python3
"""Data-dependent shapes checked at run time: runtime_checks.py ONNXC WORKDIR.
Models whose ReduceSum axes, Slice starts/ends, TopK's K, OneHot's depth and
a Loop's trip count are graph inputs compile for
their declared output shapes (a Loop that grows a sequence: for --loop-bound); values consistent with those shapes run and
give numpy's result, other values make `onnxc run` fail with the model's
ONNXC_ERR_DATA status instead of reading or writing out of bounds."""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

onnxc, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
failures = []


def model(name, node, inputs, out_shape):
    outs = [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)]
    if node.op_type == "TopK":
        outs.append(helper.make_tensor_value_info("i", TensorProto.INT64, out_shape))
    g = helper.make_graph([node], name, [helper.make_tensor_value_info(n, t, s) for n, t, s in inputs], outs)
    path = os.path.join(work, name + ".onnx")
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), path)
    return path


def run(path, arrays, want, extra=()):
    args = [onnxc, "run", path, "--output-dir", os.path.join(work, "out")] + list(extra)
    for n, a in arrays.items():
        f = os.path.join(work, n + ".npy")
        np.save(f, a)
        args += ["--input", "%s=%s" % (n, f)]
    r = subprocess.run(args, capture_output=True, text=True)
    label = "%s %s" % (os.path.basename(path), {k: v.tolist() for k, v in arrays.items() if k != "x"})
    if want is None:
        ok = r.returncode != 0 and "input values imply shapes" in r.stderr
        print("%-60s %s" % (label, "rejected" if ok else "NOT REJECTED"))
    else:
        got = np.load(os.path.join(work, "out", "y.npy")) if r.returncode == 0 else None
        ok = got is not None and np.allclose(got, want)
        print("%-60s %s" % (label, "ok" if ok else "FAIL " + r.stderr.strip()))
    if not ok:
        failures.append(label)


x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
red = model("reduce", helper.make_node("ReduceSum", ["x", "axes"], ["y"], keepdims=1),
            [("x", TensorProto.FLOAT, [2, 3, 4]), ("axes", TensorProto.INT64, [1])], [2, 1, 4])
run(red, {"x": x, "axes": np.array([1])}, x.sum(axis=1, keepdims=True))
run(red, {"x": x, "axes": np.array([-2])}, x.sum(axis=1, keepdims=True))
run(red, {"x": x, "axes": np.array([2])}, None)   # implies [2, 3, 1]
run(red, {"x": x, "axes": np.array([7])}, None)   # out of range
sl = model("slice", helper.make_node("Slice", ["x", "starts", "ends", "axes", "steps"], ["y"]),
           [("x", TensorProto.FLOAT, [2, 3, 4])] +
           [(n, TensorProto.INT64, [1]) for n in ("starts", "ends", "axes", "steps")], [2, 3, 2])
run(sl, {"x": x, "starts": np.array([1]), "ends": np.array([3]), "axes": np.array([2]), "steps": np.array([1])},
    x[:, :, 1:3])
run(sl, {"x": x, "starts": np.array([-1]), "ends": np.array([-9]), "axes": np.array([2]), "steps": np.array([-2])},
    x[:, :, ::-2])
run(sl, {"x": x, "starts": np.array([0]), "ends": np.array([3]), "axes": np.array([2]), "steps": np.array([1])},
    None)   # three columns, not two
run(sl, {"x": x, "starts": np.array([0]), "ends": np.array([2]), "axes": np.array([2]), "steps": np.array([0])},
    None)   # step 0
tk = model("topk", helper.make_node("TopK", ["x", "k"], ["y", "i"], axis=-1),
           [("x", TensorProto.FLOAT, [2, 3, 4]), ("k", TensorProto.INT64, [1])], [2, 3, 2])
run(tk, {"x": x[:, :, ::-1].copy(), "k": np.array([2])}, np.sort(x, axis=-1)[:, :, ::-1][:, :, :2])
run(tk, {"x": x, "k": np.array([3])}, None)
oh = model("onehot", helper.make_node("OneHot", ["idx", "depth", "values"], ["y"]),
           [("idx", TensorProto.INT64, [3]), ("depth", TensorProto.INT64, [1]), ("values", TensorProto.FLOAT, [2])],
           [3, 4])
run(oh, {"idx": np.array([0, -1, 2]), "depth": np.array([4]), "values": np.array([0, 5], np.float32)},
    np.array([[5, 0, 0, 0], [0, 0, 0, 5], [0, 0, 5, 0]], np.float32))
run(oh, {"idx": np.array([0, 1, 2]), "depth": np.array([5]), "values": np.array([0, 1], np.float32)}, None)
# Loop with a run-time trip count: the scan output has its declared length 3.
body = helper.make_graph(
    [helper.make_node("Identity", ["c_in"], ["c_out"]),
     helper.make_node("Cast", ["i"], ["fi"], to=TensorProto.FLOAT),
     helper.make_node("Mul", ["x2", "fi"], ["step"]),
     helper.make_node("Add", ["s_in", "step"], ["s_out"]),
     helper.make_node("Identity", ["s_out"], ["scan"])],
    "body", [helper.make_tensor_value_info("i", TensorProto.INT64, []),
             helper.make_tensor_value_info("c_in", TensorProto.BOOL, []),
             helper.make_tensor_value_info("s_in", TensorProto.FLOAT, [2])],
    [helper.make_tensor_value_info(n, t, s) for n, t, s in
     (("c_out", TensorProto.BOOL, []), ("s_out", TensorProto.FLOAT, [2]), ("scan", TensorProto.FLOAT, [2]))])
g = helper.make_graph(
    [helper.make_node("Loop", ["m", "c", "x2"], ["s", "y"], body=body)], "loop",
    [helper.make_tensor_value_info("m", TensorProto.INT64, []), helper.make_tensor_value_info("c", TensorProto.BOOL, []),
     helper.make_tensor_value_info("x2", TensorProto.FLOAT, [2])],
    [helper.make_tensor_value_info("s", TensorProto.FLOAT, [2]), helper.make_tensor_value_info("y", TensorProto.FLOAT, [3, 2])])
lp = os.path.join(work, "loop.onnx")
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), lp)
x2 = np.array([1, 2], np.float32)
run(lp, {"m": np.array(3), "c": np.array(True), "x2": x2}, np.array([x2, 2 * x2, 4 * x2]))
run(lp, {"m": np.array(4), "c": np.array(True), "x2": x2}, None)    # a fourth step has no slot
run(lp, {"m": np.array(3), "c": np.array(False), "x2": x2}, None)   # no step: slots left unwritten
# A Loop with a run-time trip count that grows a sequence, unrolled up to
# --loop-bound 4: y is its last element (SequenceAt -1 against the run-time
# length), n its length. More than 4 iterations, or none (SequenceAt on an
# empty sequence), fail the run.
body = helper.make_graph(
    [helper.make_node("Identity", ["c_in"], ["c_out"]),
     helper.make_node("Cast", ["i"], ["fi"], to=TensorProto.FLOAT),
     helper.make_node("Mul", ["x2", "fi"], ["elem"]),
     helper.make_node("SequenceInsert", ["seq_in", "elem"], ["seq_out"])],
    "body", [helper.make_tensor_value_info("i", TensorProto.INT64, []),
             helper.make_tensor_value_info("c_in", TensorProto.BOOL, []),
             helper.make_tensor_sequence_value_info("seq_in", TensorProto.FLOAT, [2])],
    [helper.make_tensor_value_info("c_out", TensorProto.BOOL, []),
     helper.make_tensor_sequence_value_info("seq_out", TensorProto.FLOAT, [2])])
g = helper.make_graph(
    [helper.make_node("SequenceEmpty", [], ["empty"], dtype=TensorProto.FLOAT),
     helper.make_node("Loop", ["m", "", "empty"], ["seq"], body=body),
     helper.make_node("Constant", [], ["last"], value=helper.make_tensor("last", TensorProto.INT64, [], [-1])),
     helper.make_node("SequenceAt", ["seq", "last"], ["y"]),
     helper.make_node("SequenceLength", ["seq"], ["n"])], "seqloop",
    [helper.make_tensor_value_info("m", TensorProto.INT64, []),
     helper.make_tensor_value_info("x2", TensorProto.FLOAT, [2])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2]), helper.make_tensor_value_info("n", TensorProto.INT64, [])])
sp = os.path.join(work, "seqloop.onnx")
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), sp)
for m, want in ((3, 2 * x2), (4, 3 * x2), (1, 0 * x2), (5, None), (0, None)):
    run(sp, {"m": np.array(m), "x2": x2}, want, ["--loop-bound", "4"])
    if want is not None and np.load(os.path.join(work, "out", "n.npy")) != m:
        failures.append("seqloop m=%d: length %s" % (m, np.load(os.path.join(work, "out", "n.npy"))))
print("runtime_checks: %s" % ("FAILED" if failures else "OK"))
sys.exit(1 if failures else 0)
