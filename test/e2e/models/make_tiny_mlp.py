#!/usr/bin/python3
"""Writes tiny_mlp.onnx (4 -> 8 -> 3, Gemm/Relu/Gemm/Sigmoid, fixed weights)
and tiny_mlp_ref.txt (input and expected output, computed with numpy) next to
this script. Checked in; rerun to regenerate."""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(42)
w1 = rng.standard_normal((8, 4)).astype(np.float32)
b1 = rng.standard_normal(8).astype(np.float32)
w2 = rng.standard_normal((3, 8)).astype(np.float32)
b2 = rng.standard_normal(3).astype(np.float32)
nodes = [helper.make_node("Gemm", ["x", "w1", "b1"], ["h"], transB=1, name="fc1"),
         helper.make_node("Relu", ["h"], ["r"], name="relu"),
         helper.make_node("Gemm", ["r", "w2", "b2"], ["z"], transB=1, name="fc2"),
         helper.make_node("Sigmoid", ["z"], ["y"], name="sigmoid")]
g = helper.make_graph(nodes, "tiny_mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 4])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3])],
                      [numpy_helper.from_array(a, n) for a, n in ((w1, "w1"), (b1, "b1"), (w2, "w2"), (b2, "b2"))])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(m)
onnx.save(m, os.path.join(HERE, "tiny_mlp.onnx"))
x = rng.standard_normal((2, 4)).astype(np.float32)
y = 1 / (1 + np.exp(-(np.maximum(x @ w1.T + b1, 0) @ w2.T + b2)))
with open(os.path.join(HERE, "tiny_mlp_ref.txt"), "w") as f:
    f.write(" ".join("%.9g" % v for v in x.ravel()) + "\n")
    f.write(" ".join("%.9g" % v for v in y.ravel()) + "\n")
