//===- DataType.cpp - ONNX TensorProto.DataType <-> MLIR types ------------===//
#include "dialects/onnx/DataType.h"
#include "dialects/onnx/OnnxDialect.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace onnxc::onnx {

namespace {
// TensorProto.DataType values (onnx.proto).
enum : int64_t {
  kFloat = 1, kUint8 = 2, kInt8 = 3, kUint16 = 4, kInt16 = 5, kInt32 = 6,
  kInt64 = 7, kString = 8, kBool = 9, kFloat16 = 10, kDouble = 11,
  kUint32 = 12, kUint64 = 13, kComplex64 = 14, kComplex128 = 15,
  kBfloat16 = 16, kF8E4M3FN = 17, kF8E4M3FNUZ = 18, kF8E5M2 = 19,
  kF8E5M2FNUZ = 20, kUint4 = 21, kInt4 = 22, kF4E2M1 = 23,
};
} // namespace

Type getElementType(MLIRContext *ctx, int64_t dataType) {
  Builder b(ctx);
  auto u = [&](unsigned w) {
    return IntegerType::get(ctx, w, IntegerType::Unsigned);
  };
  switch (dataType) {
  case kFloat: return b.getF32Type();
  case kDouble: return b.getF64Type();
  case kFloat16: return b.getF16Type();
  case kBfloat16: return b.getBF16Type();
  case kInt8: return b.getI8Type();
  case kInt16: return b.getI16Type();
  case kInt32: return b.getI32Type();
  case kInt64: return b.getI64Type();
  case kUint8: return u(8);
  case kUint16: return u(16);
  case kUint32: return u(32);
  case kUint64: return u(64);
  case kBool: return b.getI1Type();
  case kString: return StringType::get(ctx);
  case kComplex64: return ComplexType::get(b.getF32Type());
  case kComplex128: return ComplexType::get(b.getF64Type());
  case kF8E4M3FN: return b.getType<Float8E4M3FNType>();
  case kF8E4M3FNUZ: return b.getType<Float8E4M3FNUZType>();
  case kF8E5M2: return b.getType<Float8E5M2Type>();
  case kF8E5M2FNUZ: return b.getType<Float8E5M2FNUZType>();
  case kUint4: return u(4);
  case kInt4: return b.getIntegerType(4);
  case kF4E2M1: return b.getType<Float4E2M1FNType>();
  default: return nullptr;
  }
}

std::optional<int64_t> getDataType(Type t) {
  if (t.isF32()) return kFloat;
  if (t.isF64()) return kDouble;
  if (t.isF16()) return kFloat16;
  if (t.isBF16()) return kBfloat16;
  if (isa<Float8E4M3FNType>(t)) return kF8E4M3FN;
  if (isa<Float8E4M3FNUZType>(t)) return kF8E4M3FNUZ;
  if (isa<Float8E5M2Type>(t)) return kF8E5M2;
  if (isa<Float8E5M2FNUZType>(t)) return kF8E5M2FNUZ;
  if (isa<Float4E2M1FNType>(t)) return kF4E2M1;
  if (isa<StringType>(t) || isStringRecord(t)) return kString;
  if (auto c = dyn_cast<ComplexType>(t))
    return c.getElementType().isF32() ? kComplex64 : kComplex128;
  if (auto i = dyn_cast<IntegerType>(t)) {
    bool uns = i.isUnsigned();
    switch (i.getWidth()) {
    case 1: return kBool;
    case 4: return uns ? kUint4 : kInt4;
    case 8: return uns ? kUint8 : kInt8;
    case 16: return uns ? kUint16 : kInt16;
    case 32: return uns ? kUint32 : kInt32;
    case 64: return uns ? kUint64 : kInt64;
    default: return std::nullopt;
    }
  }
  return std::nullopt;
}

bool isValidStringRecordBytes(int64_t bytes) { return bytes >= 16 && bytes % 16 == 0; }

bool isStringRecord(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  return i && i.isSignless() && i.getWidth() % 8 == 0 && isValidStringRecordBytes(i.getWidth() / 8);
}

std::optional<APInt> getStringRecord(StringRef s, int64_t bytes) {
  if (int64_t(s.size()) > bytes)
    return std::nullopt;
  // Little-endian: byte i of the string is bits [8i, 8i+8).
  APInt r(unsigned(bytes * 8), 0);
  for (size_t i = 0; i < s.size(); ++i)
    r.insertBits(uint64_t(static_cast<unsigned char>(s[i])), unsigned(8 * i), 8);
  return r;
}

bool isUnsignedDataType(int64_t dataType) {
  return dataType == kUint8 || dataType == kUint16 || dataType == kUint32 || dataType == kUint64 ||
         dataType == kUint4;
}

Type getStringRecordType(MLIRContext *ctx, int64_t bytes) {
  return IntegerType::get(ctx, unsigned(bytes * 8));
}

int64_t getStringRecordBytes(Type t) {
  return isStringRecord(t) ? cast<IntegerType>(t).getWidth() / 8 : 0;
}

StringRef getDataTypeName(int64_t dataType) {
  static const char *names[] = {
      "undefined", "float", "uint8", "int8", "uint16", "int16", "int32",
      "int64", "string", "bool", "float16", "double", "uint32", "uint64",
      "complex64", "complex128", "bfloat16", "float8e4m3fn",
      "float8e4m3fnuz", "float8e5m2", "float8e5m2fnuz", "uint4", "int4",
      "float4e2m1"};
  if (dataType < 0 || dataType >= int64_t(std::size(names)))
    return "unknown";
  return names[dataType];
}

int64_t getDataTypeSize(int64_t dataType) {
  switch (dataType) {
  case kBool: case kUint8: case kInt8: case kF8E4M3FN: case kF8E4M3FNUZ:
  case kF8E5M2: case kF8E5M2FNUZ:
    return 1;
  case kUint16: case kInt16: case kFloat16: case kBfloat16: return 2;
  case kFloat: case kInt32: case kUint32: return 4;
  case kInt64: case kUint64: case kDouble: case kComplex64: return 8;
  case kComplex128: return 16;
  default: return 0;
  }
}

} // namespace onnxc::onnx
