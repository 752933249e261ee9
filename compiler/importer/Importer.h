//===- Importer.h - ONNX ModelProto -> onnx dialect -----------*- C++ -*-===//
#ifndef ONNXC_COMPILER_IMPORTER_IMPORTER_H
#define ONNXC_COMPILER_IMPORTER_IMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include <string>

namespace onnxc {

struct ImportOptions {
  /// Name of the entry function (the model's graph).
  std::string funcName = "main";
  /// Fixes symbolic input dims (dim_param) to a size: --dim batch=1.
  llvm::StringMap<int64_t> dimValues;
  /// Fixes a graph input's structure (--shape NAME=SPEC): a tensor's shape
  /// ("2x3", "scalar"), a sequence's element shapes ("[2x3,4x3]", "[]"), an
  /// optional's absence ("none") or its value's structure.
  llvm::StringMap<std::string> inputShapes;
  /// Tensors with at most this many elements are imported as dense
  /// attributes (visible to folding); larger ones as resource blobs that
  /// share the protobuf's storage.
  int64_t denseElementLimit = 64;
};

/// Reads `path` (an ONNX ModelProto, external data relative to its folder)
/// into a module holding one func.func of onnx ops. Errors are reported as
/// diagnostics on `ctx` (file, node name, op type and index) and yield null.
mlir::OwningOpRef<mlir::ModuleOp> importModelFile(mlir::MLIRContext &ctx,
                                                  llvm::StringRef path,
                                                  const ImportOptions &options);

/// Same, from bytes already in memory; `path` names them in diagnostics and
/// anchors external data.
mlir::OwningOpRef<mlir::ModuleOp> importModelBytes(mlir::MLIRContext &ctx,
                                                   llvm::StringRef bytes,
                                                   llvm::StringRef path,
                                                   const ImportOptions &options);

/// Registers the dialects the importer produces.
void registerImporterDialects(mlir::DialectRegistry &registry);

} // namespace onnxc

#endif
