//===- Artifacts.h - libNAME.a, NAME.h, NAME.hpp ---------------*- C++ -*-===//
#ifndef ONNXC_COMPILER_DRIVER_ARTIFACTS_H
#define ONNXC_COMPILER_DRIVER_ARTIFACTS_H

#include "compiler/driver/Compiler.h"
#include "llvm/Support/Error.h"

namespace onnxc {

std::string renderCHeader(const ModelSignature &sig);
std::string renderCppHeader(const ModelSignature &sig);

/// Writes an ar archive holding the model's object files to `path`
/// (LLVM's archive writer, through a temporary file and a rename).
llvm::Error writeArchive(llvm::StringRef path, const ModelSignature &sig,
                         llvm::ArrayRef<llvm::SmallVector<char, 0>> objects);

/// Writes `data` to `path` through a temporary file in the same folder and
/// a rename, so that a failure never leaves a half-written file behind.
llvm::Error writeFileAtomically(llvm::StringRef path, llvm::StringRef data);

} // namespace onnxc

#endif
