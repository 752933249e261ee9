#!/usr/bin/python3
"""Writes a model with RoiAlign in avg and max mode, fixed and adaptive
sampling (sampling_ratio 2 and 0) and both coordinate transformations, on
regions that reach outside the image: export_roialign.py OUTDIR ->
model.onnx, input.npy (opset 16, seed 0). Outputs are flattened and
concatenated into "output"."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
rois = np.array([[0.5, 1.0, 6.5, 5.0], [-2.0, -1.5, 3.0, 9.5], [2.0, 2.0, 2.4, 2.2],
                 [1.0, 0.0, 11.0, 7.0], [3.3, 4.1, 8.9, 6.2]], np.float32)
inits = [numpy_helper.from_array(rois, "rois"),
         numpy_helper.from_array(np.array([0, 1, 1, 0, 1], np.int64), "batch"),
         numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat")]
nodes, parts = [], []
for mode in ("avg", "max"):
    for ratio in (0, 2):
        for ctm in ("half_pixel", "output_half_pixel"):
            name = "%s_%d_%s" % (mode, ratio, ctm)
            nodes.append(helper.make_node("RoiAlign", ["input", "rois", "batch"], [name], mode=mode,
                                          sampling_ratio=ratio, coordinate_transformation_mode=ctm,
                                          output_height=3, output_width=4, spatial_scale=0.9))
            nodes.append(helper.make_node("Reshape", [name, "flat"], [name + "_flat"]))
            parts.append(name + "_flat")
nodes.append(helper.make_node("Concat", parts, ["output"], axis=0))
graph = helper.make_graph(
    nodes, "roialign", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [2, 3, 8, 10])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["n"])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 16)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "input.npy"), rng.standard_normal((2, 3, 8, 10)).astype(np.float32))
