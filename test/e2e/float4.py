#!/usr/bin/python3
"""float4e2m1 (opset 23) against the operator specification's rules, which
ONNX Runtime 1.30 does not implement: float4.py ONNXC WORKDIR.
One model: Cast f32 -> float4 -> f32 over the rounding boundaries (ties to
even), saturation, infinities and NaN; DequantizeLinear of a float4
initializer packed two per byte (odd count); QuantizeLinear to float4 with a
per-axis scale; a float4 graph input and output (one value per byte). The
expected values follow the reference: magnitudes 0, 0.5, 1, 1.5, 2, 3, 4, 6,
beyond 6 (and infinity) saturate, NaN becomes +6."""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

onnxc, work = sys.argv[1:3]
os.makedirs(work, exist_ok=True)
F4 = 23  # TensorProto.FLOAT4E2M1 (python3-onnx 1.12 predates it)
VALUES = np.array([0, 0.5, 1, 1.5, 2, 3, 4, 6], np.float32)


def to_code(v):
    """The reference's float32 -> float4e2m1 code (sign in bit 3)."""
    if np.isnan(v):
        return 0x7
    m, s = abs(float(v)), 0x8 if np.signbit(v) else 0
    for bound, code, closed in ((5, 7, False), (3.5, 6, True), (2.5, 5, False), (1.75, 4, True),
                                (1.25, 3, False), (0.75, 2, True), (0.25, 1, False)):
        if m > bound or (closed and m == bound):
            return code | s
    return s


def decode(c):
    return (-1 if c & 8 else 1) * VALUES[c & 7]


x = np.array([0, 0.25, 0.26, 0.75, 1.25, 1.3, 1.75, 2.5, 2.6, 3.5, 5, 5.1, 7, 1e9, -0.3, -1.0, -3.2,
              -100, np.inf, -np.inf, np.nan, -0.0, 0.74, 4.4], np.float32)
# DequantizeLinear: 7 float4 codes packed low nibble first, scale 0.5.
codes = np.array([0x1, 0x7, 0x9, 0xF, 0x4, 0xD, 0x2], np.uint8)
packed = bytes(int(codes[i]) | (int(codes[i + 1]) << 4 if i + 1 < len(codes) else 0)
               for i in range(0, len(codes), 2))
dq_w = onnx.TensorProto(name="dq_w", data_type=F4, dims=[7], raw_data=packed)
# QuantizeLinear per axis 1 of [2, 3] with scales [0.5, 1, 4].
qx = np.array([[0.3, 1.6, 9.0], [-2.2, 3.3, -30.0]], np.float32)
q_scale = np.array([0.5, 1.0, 4.0], np.float32)
q_zero = onnx.TensorProto(name="q_zero", data_type=F4, dims=[3], raw_data=bytes([0, 0]))
inits = [dq_w, numpy_helper.from_array(np.array(0.5, np.float32), "dq_scale"),
         numpy_helper.from_array(qx, "qx"), numpy_helper.from_array(q_scale, "q_scale"), q_zero,
         numpy_helper.from_array(np.array([-1], np.int64), "flat")]
nodes = [
    helper.make_node("Cast", ["input"], ["f4"], to=F4),
    helper.make_node("Cast", ["f4"], ["roundtrip"], to=TensorProto.FLOAT),
    helper.make_node("DequantizeLinear", ["dq_w", "dq_scale"], ["dq"]),
    helper.make_node("QuantizeLinear", ["qx", "q_scale", "q_zero"], ["q"], axis=1),
    helper.make_node("Cast", ["q"], ["q_f"], to=TensorProto.FLOAT),
    helper.make_node("Reshape", ["q_f", "flat"], ["q_flat"]),
    helper.make_node("Concat", ["roundtrip", "dq", "q_flat"], ["output"], axis=0),
    helper.make_node("Identity", ["f4"], ["f4_out"]),
]
graph = helper.make_graph(nodes, "float4", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [24])],
                          [helper.make_tensor_value_info("output", TensorProto.FLOAT, [37]),
                           helper.make_tensor_value_info("f4_out", F4, [24])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 23)])
model.ir_version = 11
path = os.path.join(work, "model.onnx")
onnx.save(model, path)
np.save(os.path.join(work, "input.npy"), x)
r = subprocess.run([onnxc, "run", path, "--input", "input=" + os.path.join(work, "input.npy"),
                    "--output-dir", os.path.join(work, "onnxc")], capture_output=True, text=True)
if r.returncode:
    sys.exit("float4: onnxc run failed: " + r.stderr.strip())
expect = np.concatenate([
    np.array([decode(to_code(v)) for v in x], np.float32),
    np.array([decode(c) * 0.5 for c in codes], np.float32),
    np.array([decode(to_code(v)) for v in (qx / q_scale).reshape(-1)], np.float32)])
got = np.load(os.path.join(work, "onnxc", "output.npy"))
bits = np.load(os.path.join(work, "onnxc", "f4_out.npy"))
want_bits = np.array([to_code(v) for v in x])
bad = [i for i in range(len(expect))
       if not (got[i] == expect[i] and np.signbit(got[i]) == np.signbit(expect[i]))]
bad_bits = [i for i in range(len(x)) if int(bits[i]) & 0xF != want_bits[i]]
for i in bad:
    print("value %d: got %r, expected %r" % (i, got[i], expect[i]))
for i in bad_bits:
    print("f4_out %d (from %r): got 0x%x, expected 0x%x" % (i, x[i], int(bits[i]), want_bits[i]))
print("float4: %d of %d values and %d of %d output codes as specified"
      % (len(expect) - len(bad), len(expect), len(x) - len(bad_bits), len(x)))
sys.exit(1 if bad or bad_bits else 0)
