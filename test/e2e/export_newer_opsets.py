#!/usr/bin/python3
"""Writes a model of ops added or changed after ONNX 1.12 (dialects/onnx/
schema/overlay.json), checked against ONNX Runtime, which implements them:
export_newer_opsets.py OUTDIR -> model.onnx, input.npy (opset 23, seed 0).

Reductions (18): axes as an input, keepdims 0/1, noop_with_empty_axes;
BitwiseAnd/Or/Xor/Not (18), Mish (18), Split with num_outputs (18), Pad with
axes (18), CenterCropPad (18), Col2Im (18), Gelu exact and tanh (20),
AffineGrid 2-D/3-D with and without align_corners (20), GroupNormalization per
channel (21), RMSNormalization (23), RotaryEmbedding 4-D with position ids
and partial rotation, 3-D interleaved with a per-token cache (23), Resize with
axes (18) and half_pixel_symmetric (19), Attention 4-D with grouped-query heads
and a float or bool mask, 3-D causal with past key/value, softcap, scale and
every output (23), DeformConv with groups, offset groups, mask, bias,
stride and padding, and with dilation only (19; offsets reach outside X);
LpPool with ceil_mode and dilations for p = 1, 2, 3 (18), AveragePool with
dilations (19), Pad wrap (19), Resize keep_aspect_ratio_policy and antialias
(18), DFT with axis and dft_length inputs (20).
Outputs are cast to float, flattened and concatenated into "output"."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
inits = [numpy_helper.from_array(np.array([-1], dtype=np.int64), "flat"),
         numpy_helper.from_array(np.array([0, 2], dtype=np.int64), "axes02"),
         numpy_helper.from_array(np.array([-1], dtype=np.int64), "axes_last"),
         numpy_helper.from_array(np.array([], dtype=np.int64), "no_axes"),
         numpy_helper.from_array(np.array(20, dtype=np.float32), "twenty"),
         numpy_helper.from_array(np.array([2, 3, 4], dtype=np.int64), "shape234"),
         numpy_helper.from_array(np.array([1, 0, 2, 1], dtype=np.int64), "pads"),
         numpy_helper.from_array(np.array([-1, 0], dtype=np.int64), "pad_axes"),
         numpy_helper.from_array(np.array([0.5, 2.0, -1.0, 1.5], dtype=np.float32), "gn_scale"),
         numpy_helper.from_array(np.array([0.1, 0.0, 0.3, -0.2], dtype=np.float32), "gn_bias"),
         numpy_helper.from_array(np.array([5, 1], dtype=np.int64), "ccp_shape"),
         # Col2Im: 1 x (2 channels * 2x2 block) x L columns for a 3x4 image
         # (pads 1/0 top, 0/1 bottom-right, stride 1x2): blocks 3 x 2 -> L = 6.
         numpy_helper.from_array(rng.standard_normal((1, 8, 6)).astype(np.float32), "cols"),
         numpy_helper.from_array(np.array([3, 4], dtype=np.int64), "image_shape"),
         numpy_helper.from_array(np.array([2, 2], dtype=np.int64), "block_shape"),
         numpy_helper.from_array(rng.standard_normal((2, 2, 3)).astype(np.float32), "theta2"),
         numpy_helper.from_array(np.array([2, 1, 3, 4], dtype=np.int64), "size2"),
         numpy_helper.from_array(rng.standard_normal((1, 3, 4)).astype(np.float32), "theta3"),
         numpy_helper.from_array(np.array([1, 1, 2, 3, 2], dtype=np.int64), "size3"),
         numpy_helper.from_array(rng.standard_normal((3, 4)).astype(np.float32), "rms_scale"),
         numpy_helper.from_array(np.array([1.5, 2.0], dtype=np.float32), "scales_hw"),
         numpy_helper.from_array(np.array([1.7], dtype=np.float32), "scales_h"),
         numpy_helper.from_array(np.array([5], dtype=np.int64), "sizes_w"),
         # RotaryEmbedding: X [B=2, H=2, S=3, D=6] rotating 4 features by
         # positions into an 8-entry cache; X [2, 3, 2 heads * 4] with caches
         # per token [2, 3, 2].
         numpy_helper.from_array(rng.standard_normal((2, 2, 3, 6)).astype(np.float32), "rx4"),
         numpy_helper.from_array(np.cos(np.arange(16).reshape(8, 2) * 0.3).astype(np.float32), "cos_pos"),
         numpy_helper.from_array(np.sin(np.arange(16).reshape(8, 2) * 0.3).astype(np.float32), "sin_pos"),
         numpy_helper.from_array(np.array([[0, 1, 2], [5, 7, 3]], dtype=np.int64), "pos_ids"),
         numpy_helper.from_array(rng.standard_normal((2, 3, 8)).astype(np.float32), "rx3"),
         numpy_helper.from_array(np.cos(np.arange(12).reshape(2, 3, 2) * 0.7).astype(np.float32), "cos_tok"),
         numpy_helper.from_array(np.sin(np.arange(12).reshape(2, 3, 2) * 0.7).astype(np.float32), "sin_tok"),
         # Attention: 4 query heads over 2 KV heads (3 queries, 5 keys),
         # masks broadcast from [3, 5]; 3-D: 2 heads of 4, 3 new tokens
         # after 2 cached ones.
         numpy_helper.from_array(rng.standard_normal((2, 4, 3, 8)).astype(np.float32), "aq4"),
         numpy_helper.from_array(rng.standard_normal((2, 2, 5, 8)).astype(np.float32), "ak4"),
         numpy_helper.from_array(rng.standard_normal((2, 2, 5, 6)).astype(np.float32), "av4"),
         numpy_helper.from_array(rng.standard_normal((3, 5)).astype(np.float32), "amask_f"),
         numpy_helper.from_array(rng.uniform(size=(3, 5)) > 0.3, "amask_b"),
         numpy_helper.from_array(rng.standard_normal((1, 3, 8)).astype(np.float32), "aq3"),
         numpy_helper.from_array(rng.standard_normal((1, 3, 8)).astype(np.float32), "ak3"),
         numpy_helper.from_array(rng.standard_normal((1, 3, 8)).astype(np.float32), "av3"),
         numpy_helper.from_array(rng.standard_normal((1, 2, 2, 4)).astype(np.float32), "apast_k"),
         numpy_helper.from_array(rng.standard_normal((1, 2, 2, 4)).astype(np.float32), "apast_v"),
         # DeformConv: X [1, 4, 5, 6]; 6 filters in 2 groups, 2 offset groups,
         # 3x3, pads 1, strides 1x2 -> [1, 6, 5, 3]; and 3 filters of 2x2
         # dilated 2x1 -> [1, 3, 3, 5].
         numpy_helper.from_array(rng.standard_normal((1, 4, 5, 6)).astype(np.float32), "dc_x"),
         numpy_helper.from_array(rng.standard_normal((6, 2, 3, 3)).astype(np.float32), "dc_w"),
         numpy_helper.from_array((rng.standard_normal((1, 36, 5, 3)) * 1.5).astype(np.float32), "dc_off"),
         numpy_helper.from_array(rng.uniform(size=(1, 18, 5, 3)).astype(np.float32), "dc_mask"),
         numpy_helper.from_array(rng.standard_normal(6).astype(np.float32), "dc_b"),
         numpy_helper.from_array(rng.standard_normal((3, 4, 2, 2)).astype(np.float32), "dc_w2"),
         numpy_helper.from_array((rng.standard_normal((1, 8, 3, 5)) * 2).astype(np.float32), "dc_off2")]
nodes, parts = [], []


def emit(node_name, op, inputs, cast=False, **attrs):
    nodes.append(helper.make_node(op, inputs, [node_name], **attrs))
    src = node_name
    if cast:
        nodes.append(helper.make_node("Cast", [node_name], [node_name + "_f"], to=TensorProto.FLOAT))
        src = node_name + "_f"
    nodes.append(helper.make_node("Reshape", [src, "flat"], [node_name + "_flat"]))
    parts.append(node_name + "_flat")


# Positive data for the logarithms.
nodes.append(helper.make_node("Abs", ["input"], ["pos"]))
nodes.append(helper.make_node("Reshape", ["input", "shape_1432"], ["input4"]))
inits.append(numpy_helper.from_array(np.array([1, 4, 3, 2], dtype=np.int64), "shape_1432"))
for op in ("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
           "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"):
    src = "pos" if op == "ReduceLogSum" else "input"
    emit(op + "_02", op, [src, "axes02"], keepdims=1)
    emit(op + "_last", op, [src, "axes_last"], keepdims=0)
    emit(op + "_all", op, [src])                                   # no axes: everything
    emit(op + "_noop", op, [src, "no_axes"], noop_with_empty_axes=1)  # empty axes: identity
# Integers for the bitwise ops: floor(20 x) as int32, and a shifted copy.
nodes += [helper.make_node("Mul", ["input", "twenty"], ["x20"]),
          helper.make_node("Floor", ["x20"], ["x20f"]),
          helper.make_node("Cast", ["x20f"], ["xi"], to=TensorProto.INT32),
          helper.make_node("Transpose", ["xi"], ["xt"], perm=[0, 2, 1]),
          helper.make_node("Reshape", ["xt", "shape234"], ["yi"])]
for op in ("BitwiseAnd", "BitwiseOr", "BitwiseXor"):
    emit(op, op, ["xi", "yi"], cast=True)
emit("BitwiseNot", "BitwiseNot", ["xi"], cast=True)
emit("Mish", "Mish", ["input"])
emit("Gelu", "Gelu", ["input"])
emit("Gelu_tanh", "Gelu", ["input"], approximate="tanh")
nodes.append(helper.make_node("Split", ["input"], ["split0", "split1"], axis=2, num_outputs=3 - 1))
for n in ("split0", "split1"):
    nodes.append(helper.make_node("Reshape", [n, "flat"], [n + "_flat"]))
    parts.append(n + "_flat")
emit("Pad_axes", "Pad", ["input", "pads", "", "pad_axes"], mode="constant")
emit("GroupNorm", "GroupNormalization", ["input4", "gn_scale", "gn_bias"], num_groups=2, epsilon=1e-3)
emit("CenterCropPad", "CenterCropPad", ["input", "ccp_shape"], axes=[1, 2])   # pad 3->5, crop 4->1
emit("Col2Im", "Col2Im", ["cols", "image_shape", "block_shape"], strides=[1, 2], pads=[1, 0, 0, 1],
     dilations=[1, 1])
for align in (0, 1):
    emit("AffineGrid2d_%d" % align, "AffineGrid", ["theta2", "size2"], align_corners=align)
    emit("AffineGrid3d_%d" % align, "AffineGrid", ["theta3", "size3"], align_corners=align)
emit("Resize_axes_linear", "Resize", ["input4", "", "scales_hw"], mode="linear", axes=[2, 3],
     coordinate_transformation_mode="half_pixel_symmetric")
emit("Resize_axes_cubic", "Resize", ["input4", "", "scales_h"], mode="cubic", axes=[-2])
emit("Resize_axes_nearest", "Resize", ["input4", "", "", "sizes_w"], mode="nearest", axes=[-1],
     coordinate_transformation_mode="half_pixel_symmetric")
emit("Rotary4d", "RotaryEmbedding", ["rx4", "cos_pos", "sin_pos", "pos_ids"], rotary_embedding_dim=4)
emit("Rotary3d", "RotaryEmbedding", ["rx3", "cos_tok", "sin_tok"], num_heads=2, interleaved=1)
emit("Attn_gqa_mask", "Attention", ["aq4", "ak4", "av4", "amask_f"])
emit("Attn_bool_mask", "Attention", ["aq4", "ak4", "av4", "amask_b"], scale=0.2)
nodes.append(helper.make_node("Attention", ["aq3", "ak3", "av3", "", "apast_k", "apast_v"],
                              ["Attn3d", "Attn3d_pk", "Attn3d_pv", "Attn3d_qk"], q_num_heads=2,
                              kv_num_heads=2, is_causal=1, softcap=2.0, scale=0.3, qk_matmul_output_mode=3))
for n in ("Attn3d", "Attn3d_pk", "Attn3d_pv", "Attn3d_qk"):
    nodes.append(helper.make_node("Reshape", [n, "flat"], [n + "_flat"]))
    parts.append(n + "_flat")
emit("RMSNorm", "RMSNormalization", ["input", "rms_scale"], axis=-2, epsilon=1e-3)
emit("DeformConv", "DeformConv", ["dc_x", "dc_w", "dc_off", "dc_b", "dc_mask"], group=2, offset_group=2,
     pads=[1, 1, 1, 1], strides=[1, 2])
emit("DeformConv_dilated", "DeformConv", ["dc_x", "dc_w2", "dc_off2"], dilations=[2, 1])
# Resize keep_aspect_ratio_policy (18): one scale for the listed axes, the
# min (not_larger) or max (not_smaller) of sizes / in. (Not with
# align_corners: where scale * in is not whole, ORT divides by the rounded
# length and the reference, which onnxc follows, by the exact one.)
inits.append(numpy_helper.from_array(rng.standard_normal((1, 2, 6, 8)).astype(np.float32), "rs_x"))
inits.append(numpy_helper.from_array(np.array([9, 7], dtype=np.int64), "rs_sizes_97"))
inits.append(numpy_helper.from_array(np.array([4, 5], dtype=np.int64), "rs_sizes_45"))
inits.append(numpy_helper.from_array(np.array([11, 13], dtype=np.int64), "rs_sizes_1113"))
inits.append(numpy_helper.from_array(np.array([1, 2, 3, 20], dtype=np.int64), "rs_sizes_all"))
emit("Resize_not_larger", "Resize", ["rs_x", "", "", "rs_sizes_97"], mode="linear", axes=[2, 3],
     keep_aspect_ratio_policy="not_larger")
emit("Resize_not_smaller", "Resize", ["rs_x", "", "", "rs_sizes_97"], mode="linear", axes=[2, 3],
     keep_aspect_ratio_policy="not_smaller")
emit("Resize_not_smaller_cubic", "Resize", ["rs_x", "", "", "rs_sizes_45"], mode="cubic", axes=[2, 3],
     keep_aspect_ratio_policy="not_smaller")
emit("Resize_not_larger_hps", "Resize", ["rs_x", "", "", "rs_sizes_1113"], mode="linear", axes=[3, 2],
     keep_aspect_ratio_policy="not_larger", coordinate_transformation_mode="half_pixel_symmetric")
emit("Resize_not_larger_nearest", "Resize", ["rs_x", "", "", "rs_sizes_all"], mode="nearest",
     keep_aspect_ratio_policy="not_larger")
# DFT-20: axis as an input (default -2), dft_length padding and cutting,
# inverse, onesided on a real signal.
inits.append(numpy_helper.from_array(rng.standard_normal((1, 8, 6, 2)).astype(np.float32), "dft_x"))
inits.append(numpy_helper.from_array(rng.standard_normal((1, 8, 6, 1)).astype(np.float32), "dft_real"))
inits.append(numpy_helper.from_array(np.array(1, dtype=np.int64), "dft_axis1"))
inits.append(numpy_helper.from_array(np.array(12, dtype=np.int64), "dft_len12"))
inits.append(numpy_helper.from_array(np.array(5, dtype=np.int64), "dft_len5"))
emit("DFT_default_axis", "DFT", ["dft_x"])
emit("DFT_padded", "DFT", ["dft_x", "dft_len12", "dft_axis1"])
emit("DFT_cut_inverse", "DFT", ["dft_x", "dft_len5", "dft_axis1"], inverse=1)
emit("DFT_onesided", "DFT", ["dft_real", "dft_len12", "dft_axis1"], onesided=1)
# Resize antialias (18): linear and cubic downsampling with the filter widened
# by 1 / scale (scales and sizes, exclude_outside, align_corners), and an
# axis that upsamples (no widening).
inits.append(numpy_helper.from_array(rng.standard_normal((1, 2, 12, 10)).astype(np.float32), "aa_x"))
inits.append(numpy_helper.from_array(np.array([1, 1, 0.6, 0.3], dtype=np.float32), "aa_scales"))
inits.append(numpy_helper.from_array(np.array([1, 1, 2.0, 0.4], dtype=np.float32), "aa_scales_up"))
inits.append(numpy_helper.from_array(np.array([1, 2, 4, 5], dtype=np.int64), "aa_sizes"))
inits.append(numpy_helper.from_array(np.array([1, 2, 7, 4], dtype=np.int64), "aa_sizes_ac"))
emit("Resize_aa_linear", "Resize", ["aa_x", "", "aa_scales"], mode="linear", antialias=1)
emit("Resize_aa_linear_up", "Resize", ["aa_x", "", "aa_scales_up"], mode="linear", antialias=1)
emit("Resize_aa_cubic", "Resize", ["aa_x", "", "aa_scales"], mode="cubic", antialias=1)
emit("Resize_aa_cubic_excl", "Resize", ["aa_x", "", "", "aa_sizes"], mode="cubic", antialias=1,
     exclude_outside=1)
emit("Resize_aa_cubic_ac", "Resize", ["aa_x", "", "", "aa_sizes_ac"], mode="cubic", antialias=1,
     coordinate_transformation_mode="align_corners", cubic_coeff_a=-0.5)
# Pad wrap (19): the data as a torus, pads beyond the size and a crop.
inits.append(numpy_helper.from_array(np.array([1, 3, -1, 2, 5, 0], dtype=np.int64), "wrap_pads"))
emit("Pad_wrap", "Pad", ["input", "wrap_pads"], mode="wrap")
# Pooling on a 1x2x7x8 map: LpPool (18: ceil_mode, dilations; p = 1, 2, 3)
# and AveragePool (19: dilations, with and without the padding counted).
inits.append(numpy_helper.from_array(rng.standard_normal((1, 2, 7, 8)).astype(np.float32), "pool_x"))
emit("LpPool_p2_ceil", "LpPool", ["pool_x"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
     ceil_mode=1)
emit("LpPool_p1_dilated", "LpPool", ["pool_x"], kernel_shape=[2, 3], dilations=[2, 1], p=1)
emit("LpPool_p3_same", "LpPool", ["pool_x"], kernel_shape=[3, 2], auto_pad="SAME_UPPER", p=3)
emit("AvgPool_dilated", "AveragePool", ["pool_x"], kernel_shape=[2, 2], dilations=[2, 2],
     pads=[1, 1, 1, 1])
emit("AvgPool_dilated_ceil", "AveragePool", ["pool_x"], kernel_shape=[3, 2], dilations=[1, 2],
     strides=[2, 2], pads=[1, 0, 1, 0], count_include_pad=1, ceil_mode=1)
nodes.append(helper.make_node("Concat", parts, ["output"], axis=0))
graph = helper.make_graph(
    nodes, "newer_opsets", [helper.make_tensor_value_info("input", TensorProto.FLOAT, [2, 3, 4])],
    [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["n"])], inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 23)])
model.ir_version = 11
onnx.save(model, os.path.join(out, "model.onnx"))
np.save(os.path.join(out, "input.npy"), (rng.standard_normal((2, 3, 4)) * 0.7).astype(np.float32))
