#!/usr/bin/python3
"""Random ops at sample sizes where statistics mean something:
random_stats.py ONNXC WORKDIR. One model draws RandomUniform(-1, 3),
RandomNormal(2, 0.5), Bernoulli(p = 0.3) and training Dropout(ratio 0.25)
over 200000 elements each; onnxc runs it twice. Checks moments against the
distributions (within 5 standard errors), that unseeded draws change between
runs and seeded ones do not."""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

onnxc, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
N = 200000
nodes = [
    helper.make_node("RandomUniform", [], ["u"], shape=[N], low=-1.0, high=3.0),
    helper.make_node("RandomNormal", [], ["z"], shape=[N], mean=2.0, scale=0.5),
    helper.make_node("RandomNormal", [], ["zs"], shape=[N], seed=7.0),
    helper.make_node("Bernoulli", ["p"], ["b"]),
    helper.make_node("Dropout", ["x", "ratio", "training"], ["d", "mask"]),
]
inits = [numpy_helper.from_array(np.full(N, 0.3, np.float32), "p"),
         numpy_helper.from_array(np.array(0.25, np.float32), "ratio"),
         numpy_helper.from_array(np.array(True), "training")]
outs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, [N]) for n in ("u", "z", "zs", "b", "d")]
outs.append(helper.make_tensor_value_info("mask", TensorProto.BOOL, [N]))
graph = helper.make_graph(nodes, "random", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [N])],
                          outs, inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
onnx.checker.check_model(model)
path = os.path.join(work, "random.onnx")
onnx.save(model, path)
np.save(os.path.join(work, "x.npy"), np.ones(N, np.float32))


def run(k):
    out = os.path.join(work, "run%d" % k)
    subprocess.run([onnxc, "run", path, "--input", "x=" + os.path.join(work, "x.npy"), "--output-dir", out],
                   check=True, stdout=subprocess.DEVNULL)
    return {n: np.load(os.path.join(out, n + ".npy")) for n in ("u", "z", "zs", "b", "d", "mask")}


failures = []


def expect(what, got, want, se):
    ok = abs(got - want) <= 5 * se
    print("%-28s %10.5f  expected %10.5f +- %.5f  %s" % (what, got, want, 5 * se, "ok" if ok else "FAIL"))
    if not ok:
        failures.append(what)


a, b = run(0), run(1)
u = a["u"].astype(np.float64)
expect("uniform mean", u.mean(), 1.0, 4 / np.sqrt(12 * N))
expect("uniform variance", u.var(), 16 / 12, 16 / 12 * np.sqrt(0.8 / N))
if u.min() < -1 or u.max() >= 3:
    failures.append("uniform range")
z = a["z"].astype(np.float64)
expect("normal mean", z.mean(), 2.0, 0.5 / np.sqrt(N))
expect("normal std", z.std(), 0.5, 0.5 / np.sqrt(2 * N))
expect("normal 4th moment / var^2", ((z - z.mean()) ** 4).mean() / z.var() ** 2, 3.0, np.sqrt(96 / N))
expect("bernoulli mean", a["b"].mean(), 0.3, np.sqrt(0.21 / N))
kept = a["mask"]
expect("dropout kept fraction", kept.mean(), 0.75, np.sqrt(0.1875 / N))
if not np.allclose(a["d"][kept], 1 / 0.75) or np.any(a["d"][~kept] != 0):
    failures.append("dropout values")
if np.array_equal(a["u"], b["u"]) or np.array_equal(a["mask"], b["mask"]):
    failures.append("unseeded draws repeat between runs")
if not np.array_equal(a["zs"], b["zs"]):
    failures.append("seeded draws change between runs")
print("random_stats: %s" % ("FAILED: " + ", ".join(failures) if failures else "OK"))
sys.exit(1 if failures else 0)
