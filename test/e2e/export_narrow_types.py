#!/usr/bin/python3
"""Writes a model of the float8 and 4-bit integer types (opsets 19 and 21),
checked against ONNX Runtime: export_narrow_types.py OUTDIR -> model.onnx,
input.npy (opset 21, seed 0).

Cast float -> float8 -> float for E4M3FN, E4M3FNUZ, E5M2, E5M2FNUZ with
saturate 0 and 1; every one of the 256 codes of each format decoded;
QuantizeLinear/DequantizeLinear to float8, int4, uint4, int16, uint16 (with
zero points), blocked int4 scales and zero points (block_size, on tanh(x)
so that no value saturates: ONNX Runtime 1.30 gives 0 for saturated blocked
values), output_dtype without a zero point, a float16 scale; Cast float ->
int4/uint4 -> float (rounded half away from zero, low bits kept, as ONNX
Runtime does). Odd-sized packed int4 initializers are checked by the
importer's lit test (ONNX Runtime 1.30 folded one to zeros here). The input sweeps magnitudes from 2^-24 to
2^24 with both signs, rounding ties, +-0, +-inf and NaN; it leaves out
|x| in [480, 496) and [61440, 65536), where ONNX's reference code (and ONNX
Runtime) disagree with the spec's round-to-nearest-even for saturate=0:
E4M3FN gives 448 there (onnxc: NaN, the value rounds to 480, past the
largest), E5M2 gives NaN (onnxc: infinity, as the spec's table says). Outputs are mapped
NaN -> 12345, +inf -> 54321, -inf -> -54321 (so that they compare as
numbers), flattened and concatenated into "output"."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
F8 = {"e4m3fn": 17, "e4m3fnuz": 18, "e5m2": 19, "e5m2fnuz": 20}
UINT4, INT4 = 21, 22


def raw(name, dtype, dims, data):
    """A TensorProto from raw bytes (python3-onnx 1.12 knows none of these types)."""
    t = onnx.TensorProto()
    t.name, t.data_type = name, dtype
    t.dims.extend(dims)
    t.raw_data = bytes(data)
    return t


def packed4(values):
    nib = [v & 15 for v in values] + ([0] if len(values) % 2 else [])
    return [nib[i] | nib[i + 1] << 4 for i in range(0, len(nib), 2)]


n = 512
mags = np.exp2(rng.uniform(-24, 24, n - 64)) * rng.choice([-1, 1], n - 64)
# Ties of float8 rounding: odd multiples of half a quantum at a few binades.
ties = np.array([(2 * k + 1) * 2.0 ** (e - 4) for e in (-8, -3, 0, 4, 8) for k in range(6)], np.float64)
special = [0.0, -0.0, np.inf, -np.inf, np.nan, 448, 464, 470, 496, 240, 57344, 61439, 65536, 1e-9, -1e-9]
x = np.concatenate([mags, ties, -ties[:20], special]).astype(np.float32)
a = np.abs(x)
x = np.resize(x[~(((a >= 480) & (a < 496)) | ((a >= 61440) & (a < 65536)))], n)

inits = [numpy_helper.from_array(np.array(0.05, np.float32), "scale"),
         numpy_helper.from_array(np.array(1.5, np.float16), "scale_h"),
         numpy_helper.from_array(np.array([-1], np.int64), "flat"),
         numpy_helper.from_array(np.array([n // 8, 8], np.int64), "rows8"),
         numpy_helper.from_array(rng.uniform(0.2, 2, (n // 8, 2)).astype(np.float32), "block_scale"),
         numpy_helper.from_array(np.array(12345, np.float32), "nan_code"),
         numpy_helper.from_array(np.array(54321, np.float32), "inf_code"),
         numpy_helper.from_array(np.array(-54321, np.float32), "ninf_code"),
         numpy_helper.from_array(np.array(np.inf, np.float32), "inf"),
         numpy_helper.from_array(np.array(-np.inf, np.float32), "ninf"),
         raw("zp_i4", INT4, [], packed4([-3])), raw("zp_u4", UINT4, [], packed4([5])),
         numpy_helper.from_array(np.array(-300, np.int16), "zp_i16"),
         numpy_helper.from_array(np.array(1000, np.uint16), "zp_u16"),
         raw("block_zp", INT4, [n // 8, 2], packed4(list(rng.integers(-2, 3, n // 4))))]
for name, code in F8.items():
    inits.append(raw("zp_" + name, code, [], [0]))
    inits.append(raw("all_" + name, code, [256], range(256)))
nodes, parts = [], []


def emit(name, node, finite=False):
    """`node` makes `name` (any type): cast to float, specials mapped (unless
    `finite`), flattened."""
    nodes.append(node)
    f = name + "_f"
    nodes.append(helper.make_node("Cast", [name], [f], to=TensorProto.FLOAT))
    if finite:
        nodes.append(helper.make_node("Reshape", [f, "flat"], [f + "_flat"]))
        parts.append(f + "_flat")
        return
    nodes.extend([
        helper.make_node("IsNaN", [f], [f + "_isnan"]),
        helper.make_node("Where", [f + "_isnan", "nan_code", f], [f + "_a"]),
        # Equal, not IsInf: ONNX Runtime 1.30's IsInf with one detect_* flag
        # off gave wrong results in this graph.
        helper.make_node("Equal", [f + "_a", "inf"], [f + "_pinf"]),
        helper.make_node("Where", [f + "_pinf", "inf_code", f + "_a"], [f + "_b"]),
        helper.make_node("Equal", [f + "_b", "ninf"], [f + "_ninf"]),
        helper.make_node("Where", [f + "_ninf", "ninf_code", f + "_b"], [f + "_c"]),
        helper.make_node("Reshape", [f + "_c", "flat"], [f + "_flat"])])
    parts.append(f + "_flat")


for name, code in F8.items():
    for sat in (0, 1):
        q = "c_%s_%d" % (name, sat)
        nodes.append(helper.make_node("Cast", ["input"], [q], to=code, saturate=sat))
        emit(q + "_back", helper.make_node("Identity", [q], [q + "_back"]))
    emit("decode_" + name, helper.make_node("Identity", ["all_" + name], ["decode_" + name]))
for name in ("e4m3fn", "e5m2"):
    nodes.append(helper.make_node("QuantizeLinear", ["input", "scale", "zp_" + name], ["q_" + name]))
    emit("dq_" + name, helper.make_node("DequantizeLinear", ["q_" + name, "scale", "zp_" + name], ["dq_" + name]))
for zp in ("zp_i4", "zp_u4", "zp_i16", "zp_u16"):
    nodes.append(helper.make_node("QuantizeLinear", ["input", "scale", zp], ["q_" + zp]))
    emit("dq_" + zp, helper.make_node("DequantizeLinear", ["q_" + zp, "scale", zp], ["dq_" + zp]), finite=True)
nodes += [helper.make_node("Tanh", ["input"], ["tanh"]),
          helper.make_node("Reshape", ["tanh", "rows8"], ["x8"]),
          helper.make_node("QuantizeLinear", ["x8", "block_scale", "block_zp"], ["q_block"], axis=1, block_size=4)]
emit("dq_block", helper.make_node("DequantizeLinear", ["q_block", "block_scale", "block_zp"], ["dq_block"],
                                  axis=1, block_size=4), finite=True)
nodes.append(helper.make_node("QuantizeLinear", ["input", "scale"], ["q_dtype"], output_dtype=INT4))
emit("dq_dtype", helper.make_node("DequantizeLinear", ["q_dtype", "scale"], ["dq_dtype"]), finite=True)
emit("dq_half", helper.make_node("DequantizeLinear", ["q_zp_i4", "scale_h", "zp_i4"], ["dq_half"]), finite=True)
for name, code in (("i4", INT4), ("u4", UINT4)):
    emit("cast_" + name, helper.make_node("Cast", ["input"], ["cast_" + name], to=code), finite=True)
nodes.append(helper.make_node("Concat", parts, ["output"], axis=0))
graph = helper.make_graph(
    nodes, "narrow_types", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [n])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["m"])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 21)])
model.ir_version = 10
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "input.npy"), x)
