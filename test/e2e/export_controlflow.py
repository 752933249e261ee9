#!/usr/bin/python3
"""Writes a model with If and Scan subgraphs: export_controlflow.py OUTDIR ->
model.onnx, input.npy (opset 13, seed 0). Both If branches compute on a
value of the enclosing graph (the condition comes from the input's sum, and
a second If takes its negation, so both branches run); a
Scan carries two states (running sum and max) over the reversed rows of the
input and stacks two scan outputs, one along axis 1. Everything is
flattened and concatenated into "output"."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
F = TensorProto.FLOAT
then_g = helper.make_graph(
    [helper.make_node("Relu", ["input"], ["r"]), helper.make_node("Add", ["r", "one"], ["then_out"])],
    "then", [], [helper.make_tensor_value_info("then_out", F, [4, 3])])
else_g = helper.make_graph([helper.make_node("Mul", ["input", "two"], ["else_out"])], "else", [],
                           [helper.make_tensor_value_info("else_out", F, [4, 3])])
body = helper.make_graph(
    [helper.make_node("Add", ["s_in", "row"], ["s_out"]),
     helper.make_node("Max", ["m_in", "row"], ["m_out"]),
     helper.make_node("Mul", ["s_out", "two"], ["scan_a"]),
     helper.make_node("Sub", ["row", "m_out"], ["scan_b"])],
    "body", [helper.make_tensor_value_info(n, F, [3]) for n in ("s_in", "m_in", "row")],
    [helper.make_tensor_value_info(n, F, [3]) for n in ("s_out", "m_out", "scan_a", "scan_b")])
nodes = [
    helper.make_node("ReduceSum", ["input"], ["total"], keepdims=0),
    helper.make_node("Greater", ["total", "zero"], ["cond"]),
    helper.make_node("If", ["cond"], ["picked"], then_branch=then_g, else_branch=else_g),
    helper.make_node("Not", ["cond"], ["not_cond"]),
    helper.make_node("If", ["not_cond"], ["picked2"], then_branch=then_g, else_branch=else_g),
    helper.make_node("Scan", ["zeros3", "minus_inf3", "input"], ["s", "m", "a", "b"], body=body,
                     num_scan_inputs=1, scan_input_directions=[1], scan_output_axes=[0, 1]),
]
parts = ["picked", "picked2", "s", "m", "a", "b"]
for p in parts:
    nodes.append(helper.make_node("Reshape", [p, "flat"], [p + "_flat"]))
nodes.append(helper.make_node("Concat", [p + "_flat" for p in parts], ["output"], axis=0))
inits = [numpy_helper.from_array(np.array(v, np.float32), n) for n, v in
         (("one", 1.0), ("two", 2.0), ("zero", 0.0), ("zeros3", [0, 0, 0]), ("minus_inf3", [-np.inf] * 3))]
inits.append(numpy_helper.from_array(np.array([-1], np.int64), "flat"))
graph = helper.make_graph(nodes, "controlflow", [helper.make_tensor_value_info("input", F, [4, 3])],
                          [helper.make_tensor_value_info("output", F, ["n"])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "input.npy"), np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32))
