#!/usr/bin/python3
"""ONNX backend conformance runner for onnxc.

For every test folder (model.onnx + test_data_set_*/input_*.pb, output_*.pb)
under the given data roots: compiles and runs the model with
`onnxc run`, compares each output with the reference (rtol 1e-3, atol 1e-7,
as ONNX's own backend runner), prints one line per test and the totals, and
checks the result against a checked-in expectation list (random outputs are
checked by their properties and statistics: random_checks.py):

    expected-failures.txt   "<suite>/<test>  <reason>" per line

A listed test that passes, or an unlisted test that fails, fails the run, so
the list can only shrink. --update rewrites the list from this run.

    /usr/bin/python3 test/conformance/run.py --onnxc build/bin/onnxc [-j 2] [--filter RE]
"""
import argparse
import concurrent.futures
import glob
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import numpy_helper

import random_checks

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/usr/share/libonnx-testdata/data"
SUITES = ["node", "pytorch-converted", "pytorch-operator", "simple"]
LOOP_BOUND = 16


def load_value(path, type_proto):
    """A test input/output: an array, a list (sequence) or None/array/list
    (optional), as the graph's declared type says."""
    kind = type_proto.WhichOneof("value")
    with open(path, "rb") as f:
        data = f.read()
    if kind == "sequence_type":
        p = onnx.SequenceProto()
        p.ParseFromString(data)
        return numpy_helper.to_list(p)
    if kind == "optional_type":
        p = onnx.OptionalProto()
        p.ParseFromString(data)
        return numpy_helper.to_optional(p)
    t = onnx.TensorProto()
    t.ParseFromString(data)
    return numpy_helper.to_array(t)


def shape_spec(a):
    return "x".join(str(d) for d in a.shape) if a.ndim else "scalar"


def leaves(name, value):
    """onnxc's flat arguments/results for a value: (name, array) pairs."""
    if value is None:
        return []
    if isinstance(value, list):
        return [("%s.%d" % (name, k), a) for k, a in enumerate(value)]
    return [(name, value)]


def structure_spec(value):
    """--shape for a value: its shape, [element shapes] or none."""
    if value is None:
        return "none"
    if isinstance(value, list):
        return "[" + ",".join(shape_spec(a) for a in value) + "]"
    return shape_spec(value)


def is_static(type_proto):
    if type_proto.WhichOneof("value") != "tensor_type":
        return False
    t = type_proto.tensor_type
    return t.HasField("shape") and all(d.HasField("dim_value") for d in t.shape.dim)


def first_error(text):
    """A short reason from onnxc's stderr."""
    lines = [l for l in text.splitlines() if l.strip()]
    for i, l in enumerate(lines):
        m = re.search(r"unsupported op types? in the model:", l)
        if m:
            ops = [re.sub(r":.*", "", x.strip()) for x in lines[i + 1:] if x.startswith("  ")]
            return "unsupported: " + ", ".join(ops)
    for l in lines:
        if "error:" in l:
            msg = l.split("error:", 1)[1].strip()
            msg = re.sub(r"^\S+\.onnx: ", "", msg)
            return re.sub(r"/tmp/\S+", "<tmp>", msg)[:160]
    return (lines[-1] if lines else "no output")[:160]


def run_test(onnxc, suite, test_dir, timeout):
    name = "%s/%s" % (suite, os.path.basename(test_dir))
    model_path = os.path.join(test_dir, "model.onnx")
    try:
        model = onnx.load(model_path, load_external_data=False)
    except Exception as e:  # noqa: BLE001 - any unreadable model is a failure
        return name, False, "runner: cannot load model: %s" % e
    inits = {i.name for i in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in inits]
    outputs = list(model.graph.output)
    sets = sorted(glob.glob(os.path.join(test_dir, "test_data_set_*")))
    if not sets:
        return name, False, "runner: no test data"
    random = random_checks.is_random(model)
    with tempfile.TemporaryDirectory(prefix="onnxc-conf-") as tmp:
        for si, ds in enumerate(sets):
            # Loops that carry sequences with a run-time trip count are
            # unrolled: one bound for every test.
            args = [onnxc, "run", model_path, "--output-dir", os.path.join(tmp, "out%d" % si),
                    "--loop-bound", str(LOOP_BOUND)]
            given = []
            for i, vi in enumerate(inputs):
                try:
                    value = load_value(os.path.join(ds, "input_%d.pb" % i), vi.type)
                except Exception as e:  # noqa: BLE001
                    return name, False, "runner: cannot read input %d: %s" % (i, e)
                given.append(value)
                if not is_static(vi.type):
                    args += ["--shape", "%s=%s" % (vi.name, structure_spec(value))]
                for k, (leaf, a) in enumerate(leaves(vi.name, value)):
                    npy = os.path.join(tmp, "in%d_%d_%d.npy" % (si, i, k))
                    np.save(npy, to_npy(a))
                    args += ["--input", "%s=%s" % (leaf, npy)]
            try:
                r = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                return name, False, "timeout after %ds" % timeout
            if r.returncode < 0:
                return name, False, "crash: signal %d" % -r.returncode
            if r.returncode != 0:
                return name, False, first_error(r.stderr)
            gots = []
            out_dir = os.path.join(tmp, "out%d" % si)
            for i, vo in enumerate(outputs):
                ref = load_value(os.path.join(ds, "output_%d.pb" % i), vo.type)
                want = leaves(vo.name, ref)
                # What the run decides comes next to the values: an optional's
                # presence ("<name>.has_value"; an absent one's payload is
                # zeros), a sequence's length ("<name>.length"; the slots past
                # it are zeros) and an element's shape ("<leaf>.shape"; the
                # leaf holds its elements flat, zero-padded).
                flag_file = os.path.join(out_dir, npy_name(vo.name + ".has_value"))
                if os.path.exists(flag_file):
                    has = bool(np.load(flag_file))
                    if has != (ref is not None):
                        return name, False, "output '%s' has_value is %s, expected %s" % (
                            vo.name, has, ref is not None)
                    if ref is None:
                        continue
                length_file = os.path.join(out_dir, npy_name(vo.name + ".length"))
                if isinstance(ref, list) and os.path.exists(length_file):
                    length = int(np.load(length_file))
                    if length != len(ref):
                        return name, False, "output '%s' length is %d, expected %d" % (
                            vo.name, length, len(ref))
                else:
                    # Nothing beyond the reference's elements either.
                    extra = {vo.name, vo.name + ".0"} if ref is None else \
                        {"%s.%d" % (vo.name, len(ref))} if isinstance(ref, list) else set()
                    if any(os.path.exists(os.path.join(out_dir, npy_name(e))) for e in extra):
                        return name, False, "output '%s' has more values than the reference" % vo.name
                for leaf, want_a in want:
                    f = os.path.join(out_dir, npy_name(leaf))
                    if not os.path.exists(f):
                        return name, False, "output '%s' missing" % leaf
                    got = from_npy(np.load(f))
                    shape_file = os.path.join(out_dir, npy_name(leaf + ".shape"))
                    if os.path.exists(shape_file):
                        shape = tuple(int(d) for d in np.load(shape_file))
                        size = int(np.prod(shape, dtype=np.int64))
                        if size > got.size:
                            return name, False, "output '%s' shape %s exceeds its %d elements" % (
                                leaf, shape, got.size)
                        got = got.reshape(-1)[:size].reshape(shape)
                    if got.shape != want_a.shape:
                        return name, False, "output '%s' shape %s, expected %s" % (leaf, got.shape, want_a.shape)
                    if got.dtype != want_a.dtype:
                        return name, False, "output '%s' dtype %s, expected %s" % (leaf, got.dtype, want_a.dtype)
                    gots.append(got)
                    if random:
                        continue
                    if want_a.dtype == object:
                        if not np.array_equal(got, want_a):
                            bad = next(i for i, (g, w) in enumerate(zip(got.flat, want_a.flat)) if g != w)
                            return name, False, "output '%s' element %d is %r, expected %r" % (
                                leaf, bad, got.flat[bad], want_a.flat[bad])
                        continue
                    try:
                        np.testing.assert_allclose(got, want_a, rtol=1e-3, atol=1e-7)
                    except AssertionError:
                        err = np.max(np.abs(got.astype(np.float64) - want_a.astype(np.float64))) if got.size else 0
                        return name, False, "output '%s' differs (max abs error %.3g)" % (leaf, err)
            if random:
                reason = random_checks.check(model, given, gots)
                if reason:
                    return name, False, reason
    return name, True, ""


# Tests whose reference data contradict their own model (ONNX 1.12): the
# reason is appended so that the expectation list says why they fail.
DATA_BUGS = {
    "node/test_adam_multiple": "the reference used epsilon=1e-2, the node has the default 1e-6",
    "node/test_castlike_BFLOAT16_to_FLOAT": "input 'like' data is [1], the model declares [3, 4]",
    "node/test_castlike_BFLOAT16_to_FLOAT_expanded": "input 'like' data is [1], the model declares [3, 4]",
    "node/test_castlike_FLOAT_to_BFLOAT16": "input 'like' data is [1], the model declares [3, 4]",
    "node/test_castlike_FLOAT_to_BFLOAT16_expanded": "input 'like' data is [1], the model declares [3, 4]",
}


def to_npy(a):
    """Strings (object arrays of str/bytes) travel as numpy's fixed-width bytes."""
    if a.dtype != object:
        return a
    flat = [s.encode("utf-8") if isinstance(s, str) else bytes(s) for s in a.flat]
    return np.array(flat, dtype=bytes).reshape(a.shape)


def from_npy(a):
    if a.dtype.kind != "S":
        return a
    return np.array([s.decode("utf-8") for s in a.flat], dtype=object).reshape(a.shape)


def npy_name(leaf):
    return re.sub(r"[^A-Za-z0-9.-]", "_", leaf) + ".npy"


def read_expected(path):
    expected = {}
    if os.path.exists(path):
        for line in open(path):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 1)
            expected[parts[0]] = parts[1] if len(parts) > 1 else ""
    return expected


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--onnxc", required=True)
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--suites", default=",".join(SUITES))
    ap.add_argument("--expected", default=os.path.join(HERE, "expected-failures.txt"))
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--filter", default="")
    ap.add_argument("--timeout", type=int, default=120)
    ap.add_argument("--update", action="store_true", help="rewrite the expectation list")
    ap.add_argument("--report", help="write a per-op-type markdown report here")
    args = ap.parse_args()

    tests = []
    for suite in args.suites.split(","):
        for d in sorted(glob.glob(os.path.join(args.data, suite, "*"))):
            name = "%s/%s" % (suite, os.path.basename(d))
            if os.path.exists(os.path.join(d, "model.onnx")) and re.search(args.filter, name):
                tests.append((suite, d))
    start = time.time()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_test, args.onnxc, s, d, args.timeout) for s, d in tests]
        for fut in futures:
            results.append(fut.result())
    elapsed = time.time() - start

    expected = read_expected(args.expected)
    regressions, unexpected_passes = [], []
    print("%-70s %-6s %s" % ("test", "result", "reason"))
    for name, ok, reason in results:
        status = "PASS" if ok else "FAIL"
        if ok and name in expected:
            status = "XPASS"
            unexpected_passes.append(name)
        elif not ok and name in expected:
            status = "XFAIL"
        elif not ok:
            regressions.append(name)
        print("%-70s %-6s %s" % (name, status, reason))
    passed = sum(1 for _, ok, _ in results if ok)
    failed = len(results) - passed
    per_suite = {}
    for name, ok, _ in results:
        s = per_suite.setdefault(name.split("/")[0], [0, 0])
        s[0 if ok else 1] += 1
    print("\n%-20s %8s %8s %8s" % ("suite", "tests", "passed", "failed"))
    for s, (p, f) in per_suite.items():
        print("%-20s %8d %8d %8d" % (s, p + f, p, f))
    print("%-20s %8d %8d %8d   (%.1f%% pass, %.0f s)" % ("total", len(results), passed, failed,
                                                        100.0 * passed / max(1, len(results)), elapsed))

    if args.report:
        write_report(args.report, results, tests)
    if args.update:
        with open(args.expected, "w") as f:
            f.write("# Expected conformance failures: <suite>/<test> <reason>.\n"
                    "# Regenerate: test/conformance/run.py --onnxc build/bin/onnxc --update\n")
            for name, ok, reason in sorted(results):
                if not ok:
                    bug = DATA_BUGS.get(name)
                    f.write("%s %s\n" % (name, reason + (" [test data bug: %s]" % bug if bug else "")))
        print("conformance: wrote %s" % args.expected)
        return 0
    if regressions:
        print("\nconformance: %d unexpected failure(s) (not in %s):" % (len(regressions), os.path.basename(args.expected)))
        for n in regressions:
            print("  " + n)
    if unexpected_passes:
        print("\nconformance: %d listed failure(s) now pass; remove them from the list:" % len(unexpected_passes))
        for n in unexpected_passes:
            print("  " + n)
    ok = not regressions and not unexpected_passes
    print("conformance: %s (%d passed, %d expected failures)" % ("OK" if ok else "FAILED", passed, failed - len(regressions)))
    return 0 if ok else 1


def primary_op(test_name, ops, known):
    """The op a test is about: the longest known op type whose lower-case
    name prefixes the test's name without 'test_' and underscores (so that
    *_expanded tests count for the op they expand); else the graph's ops."""
    stem = test_name.split("/", 1)[1].lower().replace("test_", "", 1).replace("_", "")
    best = ""
    for op in known:
        if stem.startswith(op.lower()) and len(op) > len(best):
            best = op
    if best:
        return best
    return ops[0] if len(ops) == 1 else "+".join(ops[:3])


def write_report(path, results, tests):
    """Markdown table per op type: tests, passed, failed and the reasons."""
    from onnx import defs
    known = {s.name for s in defs.get_all_schemas_with_history()}
    by_op = {}
    dirs = {"%s/%s" % (s, os.path.basename(d)): d for s, d in tests}
    for name, ok, reason in results:
        try:
            m = onnx.load(os.path.join(dirs[name], "model.onnx"), load_external_data=False)
            ops = sorted({n.op_type for n in m.graph.node}) or ["(none)"]
        except Exception:  # noqa: BLE001
            ops = ["(unreadable)"]
        key = primary_op(name, ops, known)
        e = by_op.setdefault(key, [0, 0, set()])
        e[0 if ok else 1] += 1
        if not ok:
            e[2].add(re.sub(r"node '[^']*' \(#\d+\): ", "", reason).split(" (max")[0][:70])
    passed = sum(1 for _, ok, _ in results if ok)
    with open(path, "w") as f:
        f.write("# onnxc conformance report\n\n")
        f.write("Generated by `test/conformance/run.py --onnxc build/bin/onnxc --report %s`; "
                "%d of %d tests pass.\n\n" % (os.path.relpath(path, os.path.dirname(HERE) + "/.."),
                                               passed, len(results)))
        f.write("| op type | tests | passed | failed | failure reasons |\n|---|---|---|---|---|\n")
        for k in sorted(by_op, key=str.lower):
            p, fl, rs = by_op[k]
            f.write("| %s | %d | %d | %d | %s |\n" % (k, p + fl, p, fl, "; ".join(sorted(rs))[:300]))


if __name__ == "__main__":
    sys.exit(main())
