#!/usr/bin/python3
"""Attention (23) with an attn_mask shorter than the keys, which the spec pads
to the total sequence length with -inf (False): attention_short_mask.py ONNXC
WORKDIR SOURCE_ROOT. ONNX Runtime 1.30 rejects a short mask, so the oracle is
ONNX Runtime on the same model with the mask padded as the spec says; onnxc
runs the short form. Cases: float and bool masks, 4-D with grouped-query
heads, 3-D with past key/value and is_causal."""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

onnxc, work, root = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
rng = np.random.default_rng(0)


def model(mask, q, k, v, past=None, **attrs):
    inits = [numpy_helper.from_array(a, n) for n, a in (("k", k), ("v", v), ("mask", mask))]
    ins = ["input", "k", "v", "mask"]
    if past is not None:
        inits += [numpy_helper.from_array(past[0], "pk"), numpy_helper.from_array(past[1], "pv")]
        ins += ["pk", "pv"]
    # ORT needs the present key/value outputs when a past is given.
    outs = ["output"] + (["present_key", "present_value"] if past is not None else [])
    node = helper.make_node("Attention", ins, outs, **attrs)
    graph = helper.make_graph([node], "attention_short_mask",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, q.shape)],
                              [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outs], inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 23)])
    m.ir_version = 11
    return m


def padded(mask, total):
    pad = [(0, 0)] * (mask.ndim - 1) + [(0, total - mask.shape[-1])]
    return np.pad(mask, pad, constant_values=False if mask.dtype == np.bool_ else -np.inf)


f32 = np.float32
q4, k4, v4 = (rng.standard_normal(s).astype(f32) for s in ((2, 4, 3, 8), (2, 2, 6, 8), (2, 2, 6, 5)))
q3, k3, v3 = (rng.standard_normal((1, 3, 8)).astype(f32) for _ in range(3))
past = (rng.standard_normal((1, 2, 2, 4)).astype(f32), rng.standard_normal((1, 2, 2, 4)).astype(f32))
cases = {
    "float_4d_gqa": (rng.standard_normal((3, 4)).astype(f32), q4, k4, v4, None, {}, 6),
    "bool_4d": (rng.uniform(size=(2, 1, 3, 5)) > 0.3, q4, k4, v4, None, {"scale": 0.2}, 6),
    "float_3d_past_causal": (rng.standard_normal((3, 3)).astype(f32), q3, k3, v3, past,
                             {"q_num_heads": 2, "kv_num_heads": 2, "is_causal": 1}, 5),
}
failures = 0
for name, (mask, q, k, v, pst, attrs, total) in cases.items():
    d = os.path.join(work, name)
    os.makedirs(os.path.join(d, "ort"), exist_ok=True)
    np.save(os.path.join(d, "input.npy"), q)
    onnx.save(model(mask, q, k, v, pst, **attrs), os.path.join(d, "short.onnx"))
    onnx.save(model(padded(mask, total), q, k, v, pst, **attrs), os.path.join(d, "padded.onnx"))
    x = "input=" + os.path.join(d, "input.npy")
    r1 = subprocess.run([onnxc, "run", os.path.join(d, "short.onnx"), "--input", x,
                         "--output-dir", os.path.join(d, "onnxc")], capture_output=True, text=True)
    r2 = subprocess.run(["node", os.path.join(root, "tools/ort/run.js"), os.path.join(d, "padded.onnx"),
                         os.path.join(d, "ort"), x], capture_output=True, text=True)
    if r1.returncode or r2.returncode:
        print("%-22s FAIL %s" % (name, (r1.stderr + r2.stderr).strip()[:300]))
        failures += 1
        continue
    a = np.load(os.path.join(d, "onnxc", "output.npy"))
    b = np.load(os.path.join(d, "ort", "output.npy"))
    err = float(np.abs(a - b).max()) if a.shape == b.shape else float("inf")
    ok = a.shape == b.shape and np.allclose(a, b, rtol=1e-3, atol=1e-4)
    print("%-22s %s  shape %s  max abs error %.2e" % (name, "ok  " if ok else "FAIL", a.shape, err))
    failures += not ok
print("%d of %d cases agree" % (len(cases) - failures, len(cases)))
sys.exit(1 if failures else 0)
