//===- RuntimeCheck.h - run-time checks of input values --------*- C++ -*-===//
//
// Conversion emits `func.call @__onnxc_check(%ok)` where input values must
// agree with the compiled shapes (data-dependent shapes); onnxc-plan-arena
// turns each call into a store of ONNXC_ERR_DATA into the arena's first word
// when %ok is false, and the entry point returns that word.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_COMPILER_CONVERSION_RUNTIMECHECK_H
#define ONNXC_COMPILER_CONVERSION_RUNTIMECHECK_H

namespace onnxc {
constexpr const char *kRuntimeCheckCallee = "__onnxc_check";
} // namespace onnxc

#endif
