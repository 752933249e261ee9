#!/usr/bin/env bash
# The benchmark, one command: builds onnxc, exports the models (once), compiles
# them with onnxc, and times each against ONNX Runtime at 1 and 2 threads,
# then the GEMM against OpenBLAS.
#   bench/run.sh [--models a,b] [--threads 1,2] [--runs 50] [--no-gemm]
# Work files go to $ONNXC_BENCH_DIR (default build/bench).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${ONNXC_BUILD_DIR:-$ROOT/build}"
WORK="${ONNXC_BENCH_DIR:-$BUILD/bench}"
MODELS=resnet18,resnet50,mobilenet_v2,squeezenet1_1,bert,mlp,identity
THREADS=1,2
RUNS=50
GEMM=1
while [ $# -gt 0 ]; do
  case "$1" in
    --models) MODELS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --no-gemm) GEMM=0; shift ;;
    *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

"$ROOT/tools/build.sh" >/dev/null
mkdir -p "$WORK"
CC=clang-22
RUNTIME_INC="$ROOT/runtime-support/include"
RUNTIME_LIB="$BUILD/runtime-support/libonnxc_runtime.a"
for m in ${MODELS//,/ }; do
  if [ ! -f "$WORK/$m/model.onnx" ]; then
    /usr/bin/python3 "$ROOT/bench/export_models.py" "$WORK" "$m" 2>&1 | grep -v -i warn || true
  fi
  start=$(date +%s%N)
  "$BUILD/bin/onnxc" "$WORK/$m/model.onnx" --name "$m" -o "$WORK/$m/out"
  echo "compiled $m in $(( ($(date +%s%N) - start) / 1000000 )) ms" >&2
  $CC -O2 -std=c11 -I"$RUNTIME_INC" -DMODEL_INFO="${m}_info" "$ROOT/bench/runner.c" \
    "$WORK/$m/out/lib$m.a" "$RUNTIME_LIB" -lm -lpthread -o "$WORK/$m/runner"
done

echo "# $(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
node "$ROOT/bench/bench.js" "$WORK" --models "$MODELS" --threads "$THREADS" --runs "$RUNS"
if [ "$GEMM" = 1 ]; then
  "$ROOT/bench/gemm.sh" "$WORK/gemm"
fi
