#!/usr/bin/python3
"""Writes a model of depthwise convolutions and pooling windows on padded,
odd-sized inputs (onnxc reads the unpadded tensor and checks the window's
rows and lanes): export_windows.py OUTDIR -> model.onnx, input.npy (opset 13,
seed 0). Input 1x16x15x13:
  dw1 3x3 pad 1 + bias + Clip(0, 6)   dw2 3x3 stride 2 pad 1 on dw1
  dw3 5x5 pad 2 dilation 1            dw4 3x3 pad 1 dilation 2
  max 3x3 stride 2 pad 1 (ceil) on dw1, average 3x3 pad 1 without and with
  the padding counted, max 2x2 stride 2 without padding.
Outputs are flattened and concatenated into "output"."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
C = 16


def dw(name, k):
    return numpy_helper.from_array((rng.standard_normal((C, 1, k, k)) / k).astype(np.float32), name)


inits = [dw("w1", 3), numpy_helper.from_array(rng.standard_normal(C).astype(np.float32), "b1"),
         dw("w2", 3), dw("w3", 5), dw("w4", 3),
         numpy_helper.from_array(np.array(0, np.float32), "lo"),
         numpy_helper.from_array(np.array(6, np.float32), "hi"),
         numpy_helper.from_array(np.array([1, -1], np.int64), "flat")]
nodes = [
    helper.make_node("Conv", ["input", "w1", "b1"], ["c1"], group=C, pads=[1, 1, 1, 1]),
    helper.make_node("Clip", ["c1", "lo", "hi"], ["dw1"]),
    helper.make_node("Conv", ["dw1", "w2"], ["dw2"], group=C, pads=[1, 1, 1, 1], strides=[2, 2]),
    helper.make_node("Conv", ["input", "w3"], ["dw3"], group=C, pads=[2, 2, 2, 2]),
    helper.make_node("Conv", ["input", "w4"], ["dw4"], group=C, pads=[1, 1, 1, 1], dilations=[2, 2]),
    helper.make_node("MaxPool", ["dw1"], ["max1"], kernel_shape=[3, 3], strides=[2, 2],
                     pads=[1, 1, 1, 1], ceil_mode=1),
    helper.make_node("AveragePool", ["input"], ["avg1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    helper.make_node("AveragePool", ["input"], ["avg2"], kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                     count_include_pad=1),
    helper.make_node("MaxPool", ["input"], ["max2"], kernel_shape=[2, 2], strides=[2, 2]),
]
parts = ["dw1", "dw2", "dw3", "dw4", "max1", "avg1", "avg2", "max2"]
for name in parts:
    nodes.append(helper.make_node("Reshape", [name, "flat"], [name + "_flat"]))
nodes.append(helper.make_node("Concat", [p + "_flat" for p in parts], ["output"], axis=1))
graph = helper.make_graph(nodes, "windows",
                          [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, C, 15, 13])],
                          [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, None])],
                          inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "input.npy"), rng.standard_normal((1, C, 15, 13)).astype(np.float32))
