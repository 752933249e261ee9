#!/usr/bin/python3
"""float8 and int4 at a model's boundary: narrow_io.py ONNXC WORKDIR.
A float8 E4M3FN input travels as its bytes (numpy uint8), an int4 output
one value per byte, sign-extended (numpy int8); the C header declares them
uint8_t / int8_t."""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

onnxc, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
nodes = [helper.make_node("Cast", ["x"], ["y"], to=TensorProto.FLOAT),
         helper.make_node("Cast", ["y"], ["z"], to=22)]
g = helper.make_graph(nodes, "narrow_io", [helper.make_tensor_value_info("x", 17, [5])],
                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, [5]),
                       helper.make_tensor_value_info("z", 22, [5])])
m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 21)])
m.ir_version = 10
path = os.path.join(work, "narrow_io.onnx")
onnx.save(m, path)
# E4M3FN bytes: 1, -1, 448, 2^-9 (smallest subnormal), -6.5.
np.save(os.path.join(work, "x.npy"), np.array([0x38, 0xB8, 0x7E, 0x01, 0xCD], np.uint8))
subprocess.run([onnxc, "run", path, "--input", "x=" + os.path.join(work, "x.npy"), "--output-dir",
                os.path.join(work, "out")], check=True, capture_output=True)
y, z = np.load(os.path.join(work, "out", "y.npy")), np.load(os.path.join(work, "out", "z.npy"))
checks = [("float8 input decoded", y.tolist() == [1.0, -1.0, 448.0, 2.0 ** -9, -6.5]),
          # 448 = 0x1C0 keeps its low nibble 0; -6.5 rounds half away to -7.
          ("int4 output sign-extended", z.dtype == np.int8 and z.tolist() == [1, -1, 0, 0, -7])]
subprocess.run([onnxc, path, "-o", os.path.join(work, "lib")], check=True, capture_output=True)
header = open(os.path.join(work, "lib", "narrow_io.h")).read()
checks.append(("header types", "const uint8_t *x, float *y, int8_t *z" in header))
for label, ok in checks:
    print("%-30s %s" % (label, "ok" if ok else "FAIL (y=%s z=%s)" % (y, z)))
ok = all(c[1] for c in checks)
print("narrow_io: %s" % ("OK" if ok else "FAILED"))
sys.exit(0 if ok else 1)
