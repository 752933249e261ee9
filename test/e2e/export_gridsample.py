#!/usr/bin/python3
"""Writes a model with GridSample in every mode x padding_mode x align_corners
combination on a grid that reaches outside [-1, 1]: export_gridsample.py
OUTDIR -> model.onnx, input.npy (opset 16, seed 0). Outputs are flattened and
concatenated into "output"."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
grid = rng.uniform(-1.3, 1.3, (2, 4, 7, 2)).astype(np.float32)
inits = [numpy_helper.from_array(grid, "grid"),
         numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat")]
nodes, parts = [], []
for mode in ("nearest", "bilinear", "bicubic"):
    for pad in ("zeros", "border", "reflection"):
        for align in (0, 1):
            name = "%s_%s_%d" % (mode, pad, align)
            nodes.append(helper.make_node("GridSample", ["input", "grid"], [name], mode=mode,
                                          padding_mode=pad, align_corners=align))
            nodes.append(helper.make_node("Reshape", [name, "flat"], [name + "_flat"]))
            parts.append(name + "_flat")
nodes.append(helper.make_node("Concat", parts, ["output"], axis=0))
graph = helper.make_graph(
    nodes, "gridsample", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [2, 3, 5, 6])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["n"])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 16)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "input.npy"), rng.standard_normal((2, 3, 5, 6)).astype(np.float32))
