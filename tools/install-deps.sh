#!/usr/bin/env bash
# Installs every Debian/npm package that building, testing and the demo need.
# Idempotent: packages already present are skipped. Run as root (or with sudo).
set -euo pipefail

APT_PKGS=(
  # toolchain + LLVM/MLIR 22
  llvm-22-dev libmlir-22-dev mlir-22-tools clang-22 lld-22 llvm-22-tools
  cmake ninja-build ccache
  # libraries
  protobuf-compiler libprotobuf-dev libfmt-dev libopenblas-dev libgtest-dev libbenchmark-dev
  # test data and python tooling (Debian's /usr/bin/python3)
  libonnx-testdata python3-onnx python3-numpy python3-sklearn python3-torch python3-torchvision
  # ONNX Runtime (reference) through node
  nodejs
)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi

missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    # nodejs may come from another source (e.g. NodeSource); node on PATH is enough.
    if [ "$p" = nodejs ] && command -v node >/dev/null && command -v npm >/dev/null; then continue; fi
    missing+=("$p")
  fi
done
if ! command -v npm >/dev/null && dpkg-query -W nodejs >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all apt packages present"
fi

# onnxruntime-node, the reference implementation, lives in tools/ort/node_modules (git-ignored).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ORT_DIR="$ROOT/tools/ort"
if [ ! -d "$ORT_DIR/node_modules/onnxruntime-node" ]; then
  echo "install-deps: installing onnxruntime-node into $ORT_DIR"
  (cd "$ORT_DIR" && ONNXRUNTIME_NODE_INSTALL=skip ONNXRUNTIME_NODE_INSTALL_CUDA=skip \
     npm install --no-audit --no-fund --loglevel=error)
else
  echo "install-deps: onnxruntime-node present"
fi
