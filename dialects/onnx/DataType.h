//===- DataType.h - ONNX TensorProto.DataType <-> MLIR types ---*- C++ -*-===//
#ifndef ONNXC_DIALECTS_ONNX_DATATYPE_H
#define ONNXC_DIALECTS_ONNX_DATATYPE_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/APInt.h"
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

/// Strings after onnxc-lower-strings: one fixed-width record per element,
/// its bytes NUL-padded, held in a signless integer of 8 x `bytes` bits
/// (little-endian: byte 0 is the low byte). Records are wider than any ONNX
/// number (> 64 bits) and a multiple of 16 bytes, so that the integer's
/// in-memory size is exactly `bytes` on every target.
bool isStringRecord(mlir::Type t);
/// Whether string records may be `bytes` wide (a positive multiple of 16).
bool isValidStringRecordBytes(int64_t bytes);
mlir::Type getStringRecordType(mlir::MLIRContext *ctx, int64_t bytes);
/// Bytes of a string record type (0 if `t` is not one).
int64_t getStringRecordBytes(mlir::Type t);
/// The record of `s` in `bytes`-byte records, or nothing if it is longer.
std::optional<llvm::APInt> getStringRecord(llvm::StringRef s, int64_t bytes);

/// Whether an ONNX data type is an unsigned integer (uint4..uint64).
bool isUnsignedDataType(int64_t dataType);

/// Bytes per element, 0 for strings and sub-byte types.
int64_t getDataTypeSize(int64_t dataType);

} // namespace onnxc::onnx

#endif
