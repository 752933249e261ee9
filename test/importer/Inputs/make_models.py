#!/usr/bin/python3
"""Writes the small ONNX files the importer tests read: make_models.py OUTDIR."""
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)


def save(name, nodes, inputs, outputs, inits=(), opset=13, functions=(), check=True):
    g = helper.make_graph(nodes, name, inputs, outputs, list(inits))
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset),
                                            helper.make_opsetid("com.example", 1)],
                          functions=list(functions))
    if check:
        onnx.checker.check_model(m)
    onnx.save(m, os.path.join(out, name + ".onnx"))
    return m


f32 = TensorProto.FLOAT
w = numpy_helper.from_array(rng.standard_normal((4, 3)).astype(np.float32), "w")
b = numpy_helper.from_array(np.zeros(3, np.float32), "b")
mlp = save("mlp", [helper.make_node("MatMul", ["x", "w"], ["h"], name="mm"),
                   helper.make_node("Add", ["h", "b"], ["a"], name="add"),
                   helper.make_node("Relu", ["a"], ["y"], name="relu")],
           [helper.make_tensor_value_info("x", f32, ["N", 4])],
           [helper.make_tensor_value_info("y", f32, ["N", 3])], [w, b])
with open(os.path.join(out, "truncated.onnx"), "wb") as f:
    f.write(mlp.SerializeToString()[:57])
with open(os.path.join(out, "garbage.onnx"), "wb") as f:
    f.write(b"this is not a protobuf \xff\xff\xff\xff")

save("unsupported", [helper.make_node("LpNormalization", ["x"], ["h1"], name="hm1"),
                     helper.make_node("MyOp", ["h1"], ["c"], name="mine", domain="com.example"),
                     helper.make_node("LpNormalization", ["c"], ["y"], name="hm2")],
     [helper.make_tensor_value_info("x", f32, [2, 3])],
     [helper.make_tensor_value_info("y", f32, [2, 3])], check=False)

conv_bad = helper.make_node("Conv", ["x", "wc"], ["y"], name="conv_bad")
conv_bad.attribute.append(helper.make_attribute("group", 1.5))
save("bad_attr", [conv_bad],
     [helper.make_tensor_value_info("x", f32, [1, 1, 4, 4])],
     [helper.make_tensor_value_info("y", f32, None)],
     [numpy_helper.from_array(np.ones((1, 1, 3, 3), np.float32), "wc")], check=False)

save("missing_input", [helper.make_node("Relu", ["x"], ["r"], name="r0"),
                       helper.make_node("Add", ["r", "q"], ["y"], name="add_q")],
     [helper.make_tensor_value_info("x", f32, [2])],
     [helper.make_tensor_value_info("y", f32, [2])], check=False)

save("reduce11", [helper.make_node("ReduceSum", ["x"], ["y"], axes=[1], keepdims=0, name="rs")],
     [helper.make_tensor_value_info("x", f32, [2, 3])],
     [helper.make_tensor_value_info("y", f32, [2])], opset=11)

save("gather_axis", [helper.make_node("Gather", ["x", "i"], ["y"], axis=4, name="gather_3")],
     [helper.make_tensor_value_info("x", f32, [2, 3])],
     [helper.make_tensor_value_info("y", f32, None)],
     [numpy_helper.from_array(np.array([0, 1], np.int64), "i")], check=False)

# External data next to the model, and one that tries to leave its folder.
big = rng.standard_normal((16, 16)).astype(np.float32)
for name, location in (("external", "weights.bin"), ("escaping", "../../etc/passwd")):
    t = numpy_helper.from_array(big, "wx")
    t.ClearField("raw_data")
    t.data_location = TensorProto.EXTERNAL
    for k, v in (("location", location), ("offset", "0"), ("length", str(big.nbytes))):
        e = t.external_data.add()
        e.key, e.value = k, v
    save(name, [helper.make_node("MatMul", ["x", "wx"], ["y"], name="mm")],
         [helper.make_tensor_value_info("x", f32, [1, 16])],
         [helper.make_tensor_value_info("y", f32, [1, 16])], [t], check=False)
big.tofile(os.path.join(out, "weights.bin"))

# A model-local function, inlined at import.
fn = helper.make_function("com.example", "AddRelu", ["a", "b"], ["c"],
                          [helper.make_node("Add", ["a", "b"], ["s"]),
                           helper.make_node("Relu", ["s"], ["c"])],
                          [helper.make_opsetid("", 13)])
save("function", [helper.make_node("AddRelu", ["x", "x"], ["y"], domain="com.example", name="call")],
     [helper.make_tensor_value_info("x", f32, [3])],
     [helper.make_tensor_value_info("y", f32, [3])], functions=[fn], check=False)

# A sequence input (structure from --shape) and a sequence output.
save("sequence", [helper.make_node("SequenceInsert", ["s", "x"], ["t"], name="ins")],
     [helper.make_tensor_sequence_value_info("s", f32, ["n"]),
      helper.make_tensor_value_info("x", f32, [2])],
     [helper.make_tensor_sequence_value_info("t", f32, None)], opset=13)

# GroupNormalization-18: scale and bias per group, expanded to per channel.
save("groupnorm18", [helper.make_node("GroupNormalization", ["x", "s", "b"], ["y"], num_groups=2, name="gn")],
     [helper.make_tensor_value_info("x", f32, [1, 4, 3]), helper.make_tensor_value_info("s", f32, [2]),
      helper.make_tensor_value_info("b", f32, [2])],
     [helper.make_tensor_value_info("y", f32, [1, 4, 3])], opset=18, check=False)

# Scan-8: batch-major, a reversed scan input; with and without sequence_lens.
scan_body = helper.make_graph(
    [helper.make_node("Add", ["s_in", "v"], ["s_out"]), helper.make_node("Identity", ["s_out"], ["o"])], "body",
    [helper.make_tensor_value_info("s_in", f32, [2]), helper.make_tensor_value_info("v", f32, [2])],
    [helper.make_tensor_value_info("s_out", f32, [2]), helper.make_tensor_value_info("o", f32, [2])])
for name, lens in (("scan8", ""), ("scan8_lens", "lens")):
    save(name, [helper.make_node("Scan", [lens, "init", "x"], ["s", "y"], body=scan_body, num_scan_inputs=1,
                                 directions=[1], name="scan")],
         [helper.make_tensor_value_info("init", f32, [2, 2]), helper.make_tensor_value_info("x", f32, [2, 3, 2])] +
         ([helper.make_tensor_value_info("lens", TensorProto.INT32, [2])] if lens else []),
         [helper.make_tensor_value_info("s", f32, [2, 2]), helper.make_tensor_value_info("y", f32, [2, 3, 2])],
         opset=8, check=False)

# int4/uint4 initializers: two values per byte, low nibble first, an odd count.
def packed4(values):
    nib = [v & 15 for v in values] + ([0] if len(values) % 2 else [])
    return bytes(nib[i] | nib[i + 1] << 4 for i in range(0, len(nib), 2))


int4s = []
for name, dtype, vals in (("i4", 22, [-8, -1, 0, 1, 7, 3, -5]), ("u4", 21, [15, 0, 9])):
    t = onnx.TensorProto()
    t.name, t.data_type, t.raw_data = name, dtype, packed4(vals)
    t.dims.append(len(vals))
    int4s.append(t)
save("int4", [helper.make_node("Identity", ["i4"], ["a"]), helper.make_node("Identity", ["u4"], ["b"])], [],
     [helper.make_tensor_value_info("a", 22, [7]), helper.make_tensor_value_info("b", 21, [3])], int4s,
     opset=21, check=False)

# Gradient (ai.onnx.preview.training): z = (a - b) / a, dz/da and dz/db; and
# one through an op it cannot differentiate.
def gradient_model(name, nodes, opset=13):
    g = helper.make_graph(nodes, name, [helper.make_tensor_value_info("a", f32, [2]),
                                        helper.make_tensor_value_info("b", f32, [2])],
                          [helper.make_tensor_value_info(n, f32, [2]) for n in ("z", "dz_da", "dz_db")])
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", opset),
                                            helper.make_opsetid("ai.onnx.preview.training", 1)])
    onnx.save(m, os.path.join(out, name + ".onnx"))


gradient_model("gradient_div", [
    helper.make_node("Sub", ["a", "b"], ["d"]), helper.make_node("Div", ["d", "a"], ["z"]),
    helper.make_node("Gradient", ["a", "b"], ["dz_da", "dz_db"], xs=["a", "b"], y="z",
                     domain="ai.onnx.preview.training", name="grad")])
gradient_model("gradient_relu", [
    helper.make_node("Relu", ["a"], ["r"], name="relu"), helper.make_node("Add", ["r", "b"], ["z"]),
    helper.make_node("Gradient", ["a", "b"], ["dz_da", "dz_db"], xs=["a", "b"], y="z",
                     domain="ai.onnx.preview.training", name="grad")])
