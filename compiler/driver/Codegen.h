//===- Codegen.h - LLVM IR -> object files, in parallel --------*- C++ -*-===//
//
// O3 and instruction selection take most of a large model's compile time,
// and both work one function at a time: a large module is split into
// independent parts (llvm::SplitModule; private symbols become hidden ones,
// prefixed with the model's name so that two models still link together),
// each optimised and compiled on its own thread in its own LLVMContext. The
// split depends only on the module and the part count, never on the
// machine's thread count, so the output is reproducible.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_COMPILER_DRIVER_CODEGEN_H
#define ONNXC_COMPILER_DRIVER_CODEGEN_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace onnxc {

using TargetMachineFactory = std::function<std::unique_ptr<llvm::TargetMachine>()>;

/// Optimises (O3) and compiles `module` into object files: one, or up to
/// `parts` when the module is large enough to gain from it. `prefix` makes
/// the private symbols of a split module unique (the model's name). With
/// `ir`, the optimised IR is printed there and the module is not split.
/// Returns an error message, empty on success.
std::string emitObjects(std::unique_ptr<llvm::Module> module, const TargetMachineFactory &factory,
                        unsigned parts, llvm::StringRef prefix, std::string *ir,
                        std::vector<llvm::SmallVector<char, 0>> &objects);

} // namespace onnxc

#endif
