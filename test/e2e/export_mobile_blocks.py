#!/usr/bin/python3
"""Writes two mobilenet_v2-style inverted residual blocks (1x1 expand + ReLU6,
3x3 depthwise + ReLU6, 1x1 project, residual add; the second block at stride
2), the pattern where onnxc folds the depthwise input's padding and moves a
reused buffer; then a squeezenet fire module (1x1 squeeze, 1x1 and 3x3 expand
with ReLU, Concat: the epilogues write the Concat's slices) and a third block
with 576 expanded channels (the residual add fused into a GEMM whose k exceeds
one k block): export_mobile_blocks.py OUTDIR -> model.onnx, input.npy (opset
13, seed 0). Input 1x16x28x28; output 1x96x14x14."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
inits = [numpy_helper.from_array(np.array(0, np.float32), "lo"),
         numpy_helper.from_array(np.array(6, np.float32), "hi")]
nodes = []


def conv(x, y, c_in, c_out, k, group=1, stride=1, relu6=True, relu=False):
    w = (rng.standard_normal((c_out, c_in // group, k, k)) / np.sqrt(c_in // group * k * k))
    inits.append(numpy_helper.from_array(w.astype(np.float32), y + "_w"))
    inits.append(numpy_helper.from_array(rng.standard_normal(c_out).astype(np.float32) * 0.1,
                                         y + "_b"))
    name = y + "_c" if relu6 or relu else y
    nodes.append(helper.make_node("Conv", [x, y + "_w", y + "_b"], [name], group=group,
                                  pads=[k // 2] * 4, strides=[stride, stride]))
    if relu6:
        nodes.append(helper.make_node("Clip", [name, "lo", "hi"], [y]))
    elif relu:
        nodes.append(helper.make_node("Relu", [name], [y]))


def block(x, y, c_in, c_out, stride):
    conv(x, y + "_e", c_in, 6 * c_in, 1)
    conv(y + "_e", y + "_d", 6 * c_in, 6 * c_in, 3, group=6 * c_in, stride=stride)
    conv(y + "_d", y + "_p" if c_in == c_out and stride == 1 else y, 6 * c_in, c_out, 1,
         relu6=False)
    if c_in == c_out and stride == 1:
        nodes.append(helper.make_node("Add", [y + "_p", x], [y]))


block("input", "b1", 16, 16, 1)
block("b1", "b2", 16, 24, 2)
conv("b2", "f_s", 24, 16, 1, relu6=False, relu=True)
conv("f_s", "f_e1", 16, 32, 1, relu6=False, relu=True)
conv("f_s", "f_e3", 16, 32, 3, relu6=False, relu=True)
nodes.append(helper.make_node("Concat", ["f_e1", "f_e3"], ["fire"], axis=1))
conv("fire", "b3_in", 64, 96, 1, relu6=False)
block("b3_in", "output", 96, 96, 1)
graph = helper.make_graph(nodes, "mobile_blocks",
                          [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 16, 28, 28])],
                          [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 96, 14, 14])],
                          inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "input.npy"), rng.standard_normal((1, 16, 28, 28)).astype(np.float32))
