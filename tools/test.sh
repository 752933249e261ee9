#!/usr/bin/env bash
# The README's second command: builds onnxc (if needed) and runs every test
# suite through ctest: lit/FileCheck, GoogleTest units, end-to-end programs
# (incl. resnet18 and the demo against ONNX Runtime) and ONNX conformance.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${ONNXC_BUILD_DIR:-$ROOT/build}"
"$ROOT/tools/build.sh"
cd "$BUILD"
ctest --output-on-failure -j 2 "$@"
