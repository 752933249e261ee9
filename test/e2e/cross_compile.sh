#!/usr/bin/env bash
# Compiles a model for targets this machine cannot run and checks the
# artifacts: the AVX-512 GEMM tiles (znver4), AArch64 NEON (cortex-a72) and
# the portable x86-64 baseline each produce an object defining NAME_run and
# NAME_info for that architecture.
#   cross_compile.sh ONNXC MODEL WORKDIR
set -euo pipefail
ONNXC=$1 MODEL=$2 WORK=$3
NM=/usr/lib/llvm-22/bin/llvm-nm
OBJDUMP=/usr/lib/llvm-22/bin/llvm-objdump
check() { # name, expected objdump format, onnxc options...
  local name=$1 format=$2
  shift 2
  rm -rf "$WORK/$name"
  "$ONNXC" "$MODEL" --name "$name" -o "$WORK/$name" "$@"
  "$NM" "$WORK/$name/lib$name.a" > "$WORK/$name/symbols.txt"
  grep -q " T ${name}_run$" "$WORK/$name/symbols.txt"
  grep -q " T ${name}_info$" "$WORK/$name/symbols.txt"
  "$OBJDUMP" -f "$WORK/$name/lib$name.a" > "$WORK/$name/format.txt"
  grep -q "$format" "$WORK/$name/format.txt"
  echo "$name: ok ($*)"
}
check avx512 "elf64-x86-64" --mcpu=znver4
check neon "elf64-littleaarch64" --target aarch64-linux-gnu --mcpu=cortex-a72
check portable "elf64-x86-64" --mcpu=x86-64 --threads=1
# The AVX-512 build really computes on 512-bit registers (files, not pipes:
# grep -q closing a pipe early fails the pipeline under pipefail).
"$OBJDUMP" -d "$WORK/avx512/libavx512.a" > "$WORK/avx512/disassembly.txt"
grep -q "vfmadd[0-9]*ps.*zmm" "$WORK/avx512/disassembly.txt"
echo "cross_compile: all targets ok"
