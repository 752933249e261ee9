#!/usr/bin/python3
"""Writes a model whose 3x3 convolutions take onnxc's Winograd paths, on
sizes that are not multiples of the tiles: export_winograd.py OUTDIR ->
model.onnx, input.npy (opset 13, seed 0). Batch 2, 16 channels, 15x14:
  conv1 16->24 pad 1 + bias + Relu           F(4x4), ragged edge tiles
  conv2 24->24 pad 1 + bias, + residual, Relu  F(4x4), epilogue reads another buffer
  conv3 24->16 no pad, no bias                F(4x4), 13x12 output
  MaxPool 2 -> 7x7, conv4 24->32 pad 1        F(2x2)
Outputs are flattened and concatenated into "output"."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)


def weight(name, f, c):
    return numpy_helper.from_array((rng.standard_normal((f, c, 3, 3)) / np.sqrt(9 * c))
                                   .astype(np.float32), name)


def bias(name, f):
    return numpy_helper.from_array(rng.standard_normal(f).astype(np.float32), name)


inits = [weight("w1", 24, 16), bias("b1", 24), weight("w2", 24, 24), bias("b2", 24),
         weight("w3", 16, 24), weight("w4", 32, 24), bias("b4", 32),
         numpy_helper.from_array(np.array([2, -1], np.int64), "flat")]
nodes = [
    helper.make_node("Conv", ["input", "w1", "b1"], ["c1"], pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c1"], ["r1"]),
    helper.make_node("Conv", ["r1", "w2", "b2"], ["c2"], pads=[1, 1, 1, 1]),
    helper.make_node("Add", ["c2", "r1"], ["s2"]),
    helper.make_node("Relu", ["s2"], ["r2"]),
    helper.make_node("Conv", ["r2", "w3"], ["c3"]),
    helper.make_node("MaxPool", ["r2"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Conv", ["p", "w4", "b4"], ["c4"], pads=[1, 1, 1, 1]),
]
for name in ("r2", "c3", "c4"):
    nodes.append(helper.make_node("Reshape", [name, "flat"], [name + "_flat"]))
nodes.append(helper.make_node("Concat", ["r2_flat", "c3_flat", "c4_flat"], ["output"], axis=1))
graph = helper.make_graph(nodes, "winograd",
                          [helper.make_tensor_value_info("input", TensorProto.FLOAT, [2, 16, 15, 14])],
                          [helper.make_tensor_value_info("output", TensorProto.FLOAT, [2, None])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "input.npy"), rng.standard_normal((2, 16, 15, 14)).astype(np.float32))
