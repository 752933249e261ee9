#!/usr/bin/python3
"""Part by part against ONNX Runtime:
parts_vs_ort.py ONNXC WORKDIR SOURCE_ROOT EXPORT_SCRIPT.
EXPORT_SCRIPT writes model.onnx (input "input", output "output" = Concat of
parts) and input.npy. Each Concat input becomes a model of its own (the rest
pruned), run by onnxc and by ONNX Runtime and compared (rtol 1e-3, atol
1e-4). For models that ONNX Runtime 1.30 gets wrong as a whole: with the
float8/int4 parts of export_narrow_types.py in one graph it returned zeros
for values it computes correctly in a graph of one part."""
import os
import subprocess
import sys

import numpy as np
import onnx

onnxc, work, root, export = sys.argv[1:5]
os.makedirs(work, exist_ok=True)
if not os.path.exists(os.path.join(work, "model.onnx")):
    subprocess.run(["/usr/bin/python3", export, work], check=True)
model = onnx.load(os.path.join(work, "model.onnx"))
concat = next(n for n in model.graph.node if n.output[0] == "output")
parts = list(concat.input)
x = os.path.join(work, "input.npy")
failures = []
for part in parts:
    del concat.input[:]
    concat.input.append(part)
    d = os.path.join(work, part)
    os.makedirs(os.path.join(d, "ort"), exist_ok=True)
    path = os.path.join(d, "model.onnx")
    onnx.save(model, path)
    r1 = subprocess.run([onnxc, "run", path, "--input", "input=" + x, "--output-dir", os.path.join(d, "onnxc")],
                        capture_output=True, text=True)
    r2 = subprocess.run(["node", os.path.join(root, "tools/ort/run.js"), path, os.path.join(d, "ort"), "input=" + x],
                        capture_output=True, text=True)
    if r1.returncode or r2.returncode:
        print("%-28s FAIL %s" % (part, (r1.stderr + r2.stderr).strip()[:300]))
        failures.append(part)
        continue
    got, ref = np.load(os.path.join(d, "onnxc", "output.npy")), np.load(os.path.join(d, "ort", "output.npy"))
    ok = got.shape == ref.shape and np.allclose(got, ref, rtol=1e-3, atol=1e-4)
    err = np.abs(got.astype(np.float64) - ref).max() if got.shape == ref.shape else float("nan")
    print("%-28s %5d values, max abs error %.3g %s" % (part, ref.size, err, "" if ok else "FAIL"))
    if not ok:
        failures.append(part)
print("parts_vs_ort: %d/%d parts match%s" % (len(parts) - len(failures), len(parts), "" if not failures else " -- FAILED"))
sys.exit(1 if failures else 0)
