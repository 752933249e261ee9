#!/usr/bin/python3
"""String tensors end to end: strings.py ONNXC WORKDIR.
Strings are fixed-width NUL-padded records (--string-bytes). A model that
normalizes words (stopwords, case), gathers and concatenates them with a
string constant, parses numbers from strings and prints numbers back runs
through `onnxc run` and matches Python's own string and float semantics;
records of 16 bytes work too. Strings longer than a record, text that is
not a number and a kept-word count other than the declared one are
rejected (a clear error or ONNXC_ERR_DATA), and the generated C header
passes strings as char records."""
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

onnxc, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
failures = []
S, F = TensorProto.STRING, TensorProto.FLOAT

nodes = [
    helper.make_node("StringNormalizer", ["words"], ["kept"], case_change_action="UPPER",
                     stopwords=["the", "a"]),
    helper.make_node("Constant", [], ["tail"],
                     value=helper.make_tensor("tail", S, [1, 1], [b"end"])),
    helper.make_node("Concat", ["kept", "tail"], ["joined"], axis=1),
    helper.make_node("Transpose", ["joined"], ["column"]),
    helper.make_node("Cast", ["texts"], ["numbers"], to=F),
    helper.make_node("Mul", ["numbers", "numbers"], ["squares"]),
    helper.make_node("Cast", ["squares"], ["printed"], to=S),
    helper.make_node("Cast", ["counts"], ["count_texts"], to=S),
]
graph = helper.make_graph(
    nodes, "strings",
    [helper.make_tensor_value_info("words", S, [1, 6]), helper.make_tensor_value_info("texts", S, [5]),
     helper.make_tensor_value_info("counts", TensorProto.UINT16, [3])],
    [helper.make_tensor_value_info("column", S, [4, 1]), helper.make_tensor_value_info("numbers", F, [5]),
     helper.make_tensor_value_info("printed", S, [5]), helper.make_tensor_value_info("count_texts", S, [3])])
graph.value_info.append(helper.make_tensor_value_info("kept", S, [1, 3]))
path = os.path.join(work, "strings.onnx")
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)


def run(label, arrays, want, options=(), error=None):
    out = os.path.join(work, "out")
    args = [onnxc, "run", path, "--output-dir", out] + list(options)
    for n, a in arrays.items():
        f = os.path.join(work, n + ".npy")
        np.save(f, a)
        args += ["--input", "%s=%s" % (n, f)]
    r = subprocess.run(args, capture_output=True, text=True)
    if error:
        ok = r.returncode != 0 and error in r.stderr
        detail = "" if ok else "expected an error with '%s', got rc %d: %s" % (error, r.returncode, r.stderr.strip())
    elif r.returncode != 0:
        ok, detail = False, r.stderr.strip()
    else:
        ok, detail = True, ""
        for name, expected in want.items():
            got = np.load(os.path.join(out, name + ".npy"))
            if got.dtype.kind == "S":
                got = np.array([s.decode() for s in got.flat], dtype=object).reshape(got.shape)
                same = got.shape == expected.shape and all(g == w for g, w in zip(got.flat, expected.flat))
            else:
                same = np.array_equal(got, expected)
            if not same:
                ok, detail = False, "%s = %r, expected %r" % (name, got.tolist(), expected.tolist())
    print("%-58s %s %s" % (label, "ok" if ok else "FAIL", detail))
    if not ok:
        failures.append(label)


words = np.array([["The", "quick", "fox", "a", "jumps", "ünïcode"]], dtype=object)
texts = np.array(["1.5", "-2", "1e3", "inf", " 0.1"], dtype=object)
counts = np.array([0, 7, 65535], np.uint16)


def as_bytes(a):
    return np.array([s.encode() for s in a.flat]).reshape(a.shape)


def text(v):
    """The fewest digits that read back as float32 v; positional for
    1e-4 <= |v| < 1e8 (ONNX Runtime's layout)."""
    if not np.isfinite(v):
        return "NaN" if np.isnan(v) else "INF" if v > 0 else "-INF"
    p = next(p for p in range(1, 10) if np.float32(float("%.*e" % (p - 1, v))) == v)
    e = int(("%.*e" % (p - 1, v)).split("e")[1])
    return "%.*e" % (p - 1, v) if e < -4 or e >= 8 else "%.*f" % (max(p - 1 - e, 0), v)


numbers = np.array([float(t) for t in texts], np.float32)
want = {
    "numbers": numbers,
    "printed": np.array([text(v) for v in numbers * numbers], dtype=object),
    "count_texts": np.array(["0", "7", "65535"], dtype=object),
}
# "The" and "a" are stopwords in any case (is_case_sensitive is 0): 4 words
# stay here, the model declares 3 ("kept" is [1, 3]).
run("four words kept, three declared", {"words": as_bytes(words), "texts": as_bytes(texts), "counts": counts},
    {}, error="input values imply shapes")
words = np.array([["The", "quick", "a", "fox", "A", "jümps"]], dtype=object)
# Upper-casing is ASCII only: UTF-8 bytes above 0x7f stay as they are.
want["column"] = np.array([["QUICK"], ["FOX"], ["JüMPS"], ["end"]], dtype=object)
run("normalize, concat, parse, print", {"words": as_bytes(words), "texts": as_bytes(texts), "counts": counts}, want)
run("same with 16-byte records", {"words": as_bytes(words), "texts": as_bytes(texts), "counts": counts}, want,
    options=["--string-bytes=16"])
run("a 40-byte input string", {"words": as_bytes(np.array([["x" * 40] * 6], dtype=object)),
                               "texts": as_bytes(texts), "counts": counts},
    {}, error="has 40 bytes, more than the model's 32-byte strings")
run("text that is not a number", {"words": as_bytes(words), "texts": as_bytes(np.array(["1", "2", "x", "4", "5"],
                                                                                         dtype=object)),
                                  "counts": counts}, {}, error="input values imply shapes")
run("--string-bytes not a multiple of 16", {}, {}, options=["--string-bytes=20"], error="multiple of 16")

# The C interface: strings are ELEM_BYTES-byte char records.
lib = os.path.join(work, "lib")
r = subprocess.run([onnxc, path, "-o", lib, "--name", "strings"], capture_output=True, text=True)
header = open(os.path.join(lib, "strings.h")).read() if r.returncode == 0 else ""
for want_text in ("const char *words", "char *printed", "#define STRINGS_INPUT_0_ELEM_BYTES 32",
                  "#define STRINGS_INPUT_2_ELEM_BYTES 2"):
    ok = want_text in header
    print("%-58s %s" % ("header has '%s'" % want_text, "ok" if ok else "FAIL " + r.stderr.strip()))
    if not ok:
        failures.append(want_text)
print("strings: %s" % ("FAILED" if failures else "OK"))
sys.exit(1 if failures else 0)
