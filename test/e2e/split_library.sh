#!/usr/bin/env bash
# Large models compile into libraries of several object files (Codegen.h);
# two of them (the same network under two names, Winograd on and off) are
# linked into one C program and must agree with the unsplit JIT build:
#   split_library.sh ONNXC WORKDIR SOURCE_ROOT RUNTIME_LIB
set -euo pipefail
ONNXC=$1 WORK=$2 ROOT=$3 RUNTIME=$4
mkdir -p "$WORK"
[ -f "$WORK/model.onnx" ] || /usr/bin/python3 "$ROOT/test/e2e/export_resnet18.py" "$WORK"
"$ONNXC" "$WORK/model.onnx" --name first -o "$WORK/first"
"$ONNXC" "$WORK/model.onnx" --name second --winograd=false -o "$WORK/second"
for lib in first/libfirst.a second/libsecond.a; do
  members=$(ar t "$WORK/$lib" | wc -l)
  echo "$lib: $members object files"
  [ "$members" -ge 3 ] || { echo "expected a split library" >&2; exit 1; }
done
clang-22 -O1 -std=c11 -I"$ROOT/runtime-support/include" "$ROOT/test/e2e/split_library.c" \
  "$WORK/first/libfirst.a" "$WORK/second/libsecond.a" "$RUNTIME" -lm -lpthread \
  -o "$WORK/split_library"
"$ONNXC" run "$WORK/model.onnx" --input input="$WORK/input.npy" --output-dir "$WORK"
/usr/bin/python3 - "$WORK" <<'PY'
import sys
import numpy as np
work = sys.argv[1]
np.load(work + "/input.npy").astype(np.float32).tofile(work + "/input.f32")
PY
"$WORK/split_library" "$WORK/input.f32" "$WORK/first.f32" "$WORK/second.f32"
/usr/bin/python3 - "$WORK" <<'PY'
import sys
import numpy as np
work = sys.argv[1]
ref = np.load(work + "/output.npy")
for name in ("first", "second"):
    got = np.fromfile(work + "/" + name + ".f32", np.float32).reshape(ref.shape)
    err = float(np.abs(got - ref).max())
    print("%s: max abs error vs JIT %.3g (max |ref| %.3g)" % (name, err, float(np.abs(ref).max())))
    if not err <= 1e-3 * max(1.0, float(np.abs(ref).max())):
        sys.exit("%s differs from the JIT build" % name)
PY
