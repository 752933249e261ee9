#!/usr/bin/env bash
# A model exported by EXPORT_SCRIPT (writing model.onnx and input.npy, input
# "input", output "output"), compiled and run by onnxc and by ONNX Runtime on
# the same input, outputs compared:
#   model_vs_ort.sh ONNXC WORKDIR SOURCE_ROOT EXPORT_SCRIPT [ONNXC_RUN_OPTION ...]
set -euo pipefail
ONNXC=$1 WORK=$2 ROOT=$3 EXPORT=$4
shift 4
mkdir -p "$WORK/onnxc" "$WORK/ort"
[ -f "$WORK/model.onnx" ] || /usr/bin/python3 "$EXPORT" "$WORK"
"$ONNXC" run "$WORK/model.onnx" --input input="$WORK/input.npy" --output-dir "$WORK/onnxc" "$@"
node "$ROOT/tools/ort/run.js" "$WORK/model.onnx" "$WORK/ort" input="$WORK/input.npy"
/usr/bin/python3 "$ROOT/test/e2e/compare_npy.py" "$WORK/onnxc/output.npy" "$WORK/ort/output.npy" \
  --rtol 1e-3 --atol 1e-4
