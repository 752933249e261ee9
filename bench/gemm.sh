#!/usr/bin/env bash
# GEMM: onnxc-compiled MatMul (both operands are run-time inputs) against
# OpenBLAS cblas_sgemm with its fastest kernel for this CPU (SkylakeX where
# the CPU reports AVX-512, else Haswell), at 1 and 2 threads:
#   bench/gemm.sh WORKDIR [MxKxN ...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${ONNXC_BUILD_DIR:-$ROOT/build}"
WORK="$1"; shift
SIZES="${*:-256x256x256 512x512x512 1000x1000x1000 1024x1024x1024 2048x2048x2048 197x768x3072}"
mkdir -p "$WORK"
CORETYPE=Haswell
grep -qw avx512f /proc/cpuinfo && CORETYPE=SkylakeX
echo "OpenBLAS kernel: OPENBLAS_CORETYPE=$CORETYPE"
echo "| M x K x N | threads | onnxc GFLOP/s (% peak) | OpenBLAS GFLOP/s (% peak) | onnxc/OpenBLAS | peak GFLOP/s | max abs diff |"
echo "|---|---|---|---|---|---|---|"
for s in $SIZES; do
  IFS=x read -r M K N <<<"$s"
  name="gemm_${M}_${K}_${N}"
  /usr/bin/python3 - "$WORK/$name.onnx" "$M" "$K" "$N" <<'PY'
import sys
from onnx import TensorProto, helper, save
path, m, k, n = sys.argv[1], *map(int, sys.argv[2:])
g = helper.make_graph([helper.make_node("MatMul", ["A", "B"], ["C"])], "gemm",
                      [helper.make_tensor_value_info("A", TensorProto.FLOAT, [m, k]),
                       helper.make_tensor_value_info("B", TensorProto.FLOAT, [k, n])],
                      [helper.make_tensor_value_info("C", TensorProto.FLOAT, [m, n])])
save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)]), path)
PY
  "$BUILD/bin/onnxc" "$WORK/$name.onnx" --name "$name" -o "$WORK/$name"
  clang-22 -O2 -std=c11 -I"$ROOT/runtime-support/include" -I/usr/include/x86_64-linux-gnu/openblas-pthread \
    -DMODEL_INFO="${name}_info" "$ROOT/bench/gemm.c" "$WORK/$name/lib$name.a" \
    "$BUILD/runtime-support/libonnxc_runtime.a" -lopenblas -lm -lpthread -o "$WORK/$name/gemm"
  for t in 1 2; do
    OPENBLAS_CORETYPE=$CORETYPE OPENBLAS_L2_SIZE=1048576 ONNXC_NUM_THREADS=$t "$WORK/$name/gemm" "$t"
  done
done
