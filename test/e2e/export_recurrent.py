#!/usr/bin/python3
"""Writes a model exercising the recurrent ops where the node tests do not:
export_recurrent.py OUTDIR -> model.onnx, input.npy (opset 14; random weights,
seed 0). A bidirectional LSTM with peepholes, clip, initial states and
sequence lengths shorter than the input; a reversed GRU with bias and
linear_before_reset=0 on the same lengths; a bidirectional RNN with Relu and
Tanh. All of Y and Y_h (and LSTM's Y_c), flattened and concatenated, are the
output "output"."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
T, B, I, H = 5, 3, 4, 6


def w(name, *shape):
    return numpy_helper.from_array((rng.standard_normal(shape) * 0.5).astype(np.float32), name)


inits = [
    numpy_helper.from_array(np.array([5, 3, 1], dtype=np.int32), "lens"),
    w("lw", 2, 4 * H, I), w("lr", 2, 4 * H, H), w("lb", 2, 8 * H), w("lp", 2, 3 * H),
    w("lh0", 2, B, H), w("lc0", 2, B, H),
    w("gw", 1, 3 * H, I), w("gr", 1, 3 * H, H), w("gb", 1, 6 * H),
    w("rw", 2, H, I), w("rr", 2, H, H), w("rb", 2, 2 * H),
    numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat"),
]
nodes = [
    helper.make_node("LSTM", ["input", "lw", "lr", "lb", "lens", "lh0", "lc0", "lp"],
                     ["ly", "lyh", "lyc"], hidden_size=H, direction="bidirectional", clip=2.5),
    helper.make_node("GRU", ["input", "gw", "gr", "gb", "lens"], ["gy", "gyh"], hidden_size=H,
                     direction="reverse"),
    helper.make_node("RNN", ["input", "rw", "rr", "rb"], ["ry", "ryh"], hidden_size=H,
                     direction="bidirectional", activations=["Relu", "Tanh"]),
]
parts = ["ly", "lyh", "lyc", "gy", "gyh", "ry", "ryh"]
for p in parts:
    nodes.append(helper.make_node("Reshape", [p, "flat"], [p + "_flat"]))
nodes.append(helper.make_node("Concat", [p + "_flat" for p in parts], ["output"], axis=0))
graph = helper.make_graph(
    nodes, "recurrent", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [T, B, I])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["n"])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "input.npy"), rng.standard_normal((T, B, I)).astype(np.float32))
