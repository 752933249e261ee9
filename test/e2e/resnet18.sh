#!/usr/bin/env bash
# resnet18 (torchvision, random weights, seed 0) compiled by onnxc against
# ONNX Runtime on the same input: resnet18.sh ONNXC WORKDIR SOURCE_ROOT
set -euo pipefail
ONNXC=$1 WORK=$2 ROOT=$3
mkdir -p "$WORK/onnxc" "$WORK/ort"
[ -f "$WORK/resnet18.onnx" ] || /usr/bin/python3 "$ROOT/test/e2e/export_resnet18.py" "$WORK"
"$ONNXC" run "$WORK/resnet18.onnx" --input input="$WORK/input.npy" --output-dir "$WORK/onnxc"
node "$ROOT/tools/ort/run.js" "$WORK/resnet18.onnx" "$WORK/ort" input="$WORK/input.npy"
/usr/bin/python3 "$ROOT/test/e2e/compare_npy.py" "$WORK/onnxc/logits.npy" "$WORK/ort/logits.npy" \
  --rtol 1e-3 --atol 1e-4
