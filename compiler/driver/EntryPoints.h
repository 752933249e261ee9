//===- EntryPoints.h - C entry points and reflection in LLVM IR -*- C++ -*-===//
#ifndef ONNXC_COMPILER_DRIVER_ENTRYPOINTS_H
#define ONNXC_COMPILER_DRIVER_ENTRYPOINTS_H

#include "compiler/driver/Compiler.h"
#include "llvm/IR/Module.h"

namespace onnxc {

/// Adds to `m`, around the lowered `implName` (which takes one expanded
/// memref descriptor per input, output and the arena):
///   int NAME_run(const T *in..., T *out..., void *arena);
///   int NAME_run_v(const void *const *ins, void *const *outs, void *arena);
///   const onnxc_model_info *NAME_info(void);
/// and makes `implName` internal.
mlir::LogicalResult emitEntryPoints(llvm::Module &m, llvm::StringRef implName,
                                    const ModelSignature &sig);

} // namespace onnxc

#endif
