//===- Compiler.h - onnxc's pipeline: ONNX file -> object code --*- C++ -*-===//
#ifndef ONNXC_COMPILER_DRIVER_COMPILER_H
#define ONNXC_COMPILER_DRIVER_COMPILER_H

#include "compiler/importer/Importer.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/SmallVector.h"
#include <string>
#include <vector>

namespace onnxc {

struct CompileOptions {
  /// Prefix of every emitted symbol and file (a C identifier).
  std::string name = "model";
  /// Target triple / CPU / features; empty means the host.
  std::string triple, cpu, features;
  ImportOptions import;
  /// Print the IR after each pass (debugging) / pass timings.
  bool printIR = false, timePasses = false;
  /// Split large loops for the support runtime's onnxc_parallel_for (false:
  /// single-threaded code that never calls it).
  bool parallel = true;
  /// Object files a large model's code may be split into, optimised and
  /// compiled in parallel (Codegen.h); 1: one object file.
  unsigned codegenParts = 1;
  /// 3x3 stride-1 convolutions as Winograd F(2x2)/F(4x4) (fewer
  /// multiplications; results differ from direct convolution by rounding).
  bool winograd = true;
  /// Bytes per string element: strings are NUL-padded fixed-width records
  /// (a multiple of 16; longer strings are an ONNXC_ERR_DATA at run time and
  /// an error for constants).
  int64_t stringBytes = 32;
  /// Most iterations of a Loop that carries sequences or optionals and whose
  /// trip count or condition is a run-time value (it is unrolled; a run that
  /// needs more fails with ONNXC_ERR_DATA); 0: such a loop is an error.
  int64_t loopBound = 0;
  /// SIMD shape of the target, for the GEMM lowering; compileModel fills it
  /// from the target machine (the defaults suit any 64-bit target).
  struct Simd {
    int64_t vectorBits = 128;
    bool fma = false;
  } simd;
};

struct TensorSignature {
  std::string name;
  int64_t dtype = 0;
  int64_t elemBytes = 0;                // string records: CompileOptions::stringBytes
  llvm::SmallVector<int64_t> dims;      // -1 for symbolic
  std::vector<std::string> dimParams;   // "" for static dims
};

struct ModelSignature {
  std::string name;
  std::vector<TensorSignature> inputs, outputs;
  int64_t arenaSize = 0, arenaAlign = 64;
  /// The first 4 bytes of the arena hold a status that run-time checks set
  /// (ONNXC_ERR_DATA); the entry point clears it before and returns it after.
  bool statusWord = false;
};

struct CompiledModel {
  ModelSignature signature;
  std::string llvmIR;            // filled when asked for
  std::vector<llvm::SmallVector<char, 0>> objects; // at most codegenParts
};

/// Import only: the onnx-dialect module (with shapes inferred).
mlir::OwningOpRef<mlir::ModuleOp> importModel(mlir::MLIRContext &ctx,
                                              llvm::StringRef path,
                                              const CompileOptions &options);

/// The whole pipeline. Diagnostics go to `ctx`'s handlers; returns false on
/// any error. `wantIR` keeps the optimised LLVM IR text.
bool compileModel(mlir::MLIRContext &ctx, llvm::StringRef path,
                  const CompileOptions &options, CompiledModel &out,
                  bool wantIR = false);

/// Lowers an onnx-dialect module in place to the LLVM dialect (used by
/// compileModel and by tests).
mlir::LogicalResult lowerToLLVMDialect(mlir::ModuleOp module,
                                       const CompileOptions &options);

} // namespace onnxc

#endif
