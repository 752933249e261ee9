//===- DataType.h - ONNX TensorProto.DataType <-> MLIR types ---*- C++ -*-===//
#ifndef ONNXC_DIALECTS_ONNX_DATATYPE_H
#define ONNXC_DIALECTS_ONNX_DATATYPE_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <optional>

namespace onnxc::onnx {

/// The MLIR element type of an ONNX data type (TensorProto.DataType), or null
/// for UNDEFINED and types onnxc cannot represent.
mlir::Type getElementType(mlir::MLIRContext *ctx, int64_t dataType);

/// The ONNX data type of an MLIR element type, if it has one.
std::optional<int64_t> getDataType(mlir::Type elementType);

/// ONNX's name of a data type ("float", "int64", ...).
llvm::StringRef getDataTypeName(int64_t dataType);

/// Bytes per element, 0 for strings and sub-byte types.
int64_t getDataTypeSize(int64_t dataType);

} // namespace onnxc::onnx

#endif
