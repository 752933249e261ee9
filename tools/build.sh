#!/usr/bin/env bash
# Configures (once) and builds onnxc in ./build with Ninja and ccache.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${ONNXC_BUILD_DIR:-$ROOT/build}"
# ccache hits across clones in different folders need a common base dir.
export CCACHE_BASEDIR="$ROOT"
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -G Ninja -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$BUILD"
