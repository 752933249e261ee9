#!/usr/bin/env bash
# The README's first command: installs what is missing, builds onnxc, then
# compiles the bundled digits CNN into libdigits.a through CMake's
# onnxc_add_model(), links it into examples/digits/main.cpp, runs it, and
# checks its outputs against ONNX Runtime.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${ONNXC_BUILD_DIR:-$ROOT/build}"
"$ROOT/tools/install-deps.sh"
"$ROOT/tools/build.sh"
DEMO="$BUILD/demo"
cmake -G Ninja -S "$ROOT/examples/digits" -B "$DEMO" -Donnxc_DIR="$BUILD" >/dev/null
cmake --build "$DEMO"
echo
"$DEMO/digits_demo" "" "$DEMO/probabilities.bin"
node "$ROOT/tools/ort/compare-digits.js" "$ROOT/examples/digits/digits.onnx" \
  "$ROOT/examples/digits/digits_test.bin" "$DEMO/probabilities.bin"
