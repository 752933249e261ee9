#!/usr/bin/python3
"""Writes a model of the ops whose form changed after ONNX 1.12, at their new
opset (checked against ONNX Runtime, which implements them):
export_opset18.py OUTDIR -> model.onnx, input.npy (opset 18, seed 0).

Reductions (opset 18): axes as an input, keepdims 0/1, noop_with_empty_axes.
Outputs are flattened and concatenated into "output"."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
inits = [numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat"),
         numpy_helper.from_array(np.array([0, 2], dtype=np.int64), "axes02"),
         numpy_helper.from_array(np.array([-1], dtype=np.int64), "axes_last"),
         numpy_helper.from_array(np.array([], dtype=np.int64), "no_axes")]
nodes, parts = [], []


def emit(node_name, op, inputs, **attrs):
    nodes.append(helper.make_node(op, inputs, [node_name], **attrs))
    nodes.append(helper.make_node("Reshape", [node_name, "flat"], [node_name + "_flat"]))
    parts.append(node_name + "_flat")


# Positive data for the logarithms.
nodes.append(helper.make_node("Abs", ["input"], ["pos"]))
for op in ("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
           "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"):
    src = "pos" if op == "ReduceLogSum" else "input"
    emit(op + "_02", op, [src, "axes02"], keepdims=1)
    emit(op + "_last", op, [src, "axes_last"], keepdims=0)
    emit(op + "_all", op, [src])                                   # no axes: everything
    emit(op + "_noop", op, [src, "no_axes"], noop_with_empty_axes=1)  # empty axes: identity
nodes.append(helper.make_node("Concat", parts, ["output"], axis=0))
graph = helper.make_graph(
    nodes, "opset18", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [2, 3, 4])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["n"])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
model.ir_version = 8
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "input.npy"), (rng.standard_normal((2, 3, 4)) * 0.7).astype(np.float32))
