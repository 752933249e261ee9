//===- TensorImport.h - TensorProto -> ElementsAttr ------------*- C++ -*-===//
#ifndef ONNXC_COMPILER_IMPORTER_TENSORIMPORT_H
#define ONNXC_COMPILER_IMPORTER_TENSORIMPORT_H

#include "onnx.pb.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

namespace onnxc {

struct TensorImportContext {
  /// Folder that external data locations are relative to.
  std::string modelDir;
  int64_t denseElementLimit = 64;
};

/// Converts a TensorProto; `tensor` may be modified (raw_data is moved into
/// the resulting blob instead of copied). Emits an error at `loc` on failure.
mlir::FailureOr<mlir::ElementsAttr>
importTensor(proto::TensorProto &tensor, mlir::Location loc,
             const TensorImportContext &ctx);

} // namespace onnxc

#endif
