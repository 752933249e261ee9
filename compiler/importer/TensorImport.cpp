//===- TensorImport.cpp - TensorProto -> ElementsAttr ---------------------===//
//
// Large tensors become DenseResourceElementsAttr blobs that take over the
// protobuf's raw_data string (or an mmap of the external file), so a 500 MB
// model is held once, not copied into the context. Small ones become dense
// attributes so that shape inference and folding can read them.
//
//===----------------------------------------------------------------------===//
#include "compiler/importer/TensorImport.h"
#include "dialects/onnx/DataType.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cstring>

using namespace mlir;

namespace onnxc {

namespace {
using DT = proto::TensorProto;

/// Packs the typed repeated fields into little-endian bytes.
std::string packTypedData(const DT &t, int64_t elemSize) {
  std::string out;
  auto append = [&](const void *p, size_t n) {
    out.append(static_cast<const char *>(p), n);
  };
  switch (t.data_type()) {
  case DT::FLOAT:
    append(t.float_data().data(), t.float_data_size() * 4);
    break;
  case DT::DOUBLE:
    append(t.double_data().data(), t.double_data_size() * 8);
    break;
  case DT::INT64:
    append(t.int64_data().data(), t.int64_data_size() * 8);
    break;
  case DT::UINT32:
  case DT::UINT64:
    for (uint64_t v : t.uint64_data())
      append(&v, elemSize);
    break;
  case DT::COMPLEX64:
    append(t.float_data().data(), t.float_data_size() * 4);
    break;
  case DT::COMPLEX128:
    append(t.double_data().data(), t.double_data_size() * 8);
    break;
  default: // int32_data carries int32 and every narrower type, one per entry
    for (int32_t v : t.int32_data())
      append(&v, elemSize);
    break;
  }
  return out;
}

/// Loads external data (location/offset/length relative to the model's
/// folder). Paths leaving that folder are refused.
FailureOr<std::unique_ptr<llvm::MemoryBuffer>>
loadExternal(const DT &t, Location loc, const TensorImportContext &ctx) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const auto &kv : t.external_data()) {
    if (kv.key() == "location")
      location = kv.value();
    else if (kv.key() == "offset")
      offset = std::atoll(kv.value().c_str());
    else if (kv.key() == "length")
      length = std::atoll(kv.value().c_str());
  }
  if (location.empty())
    return emitError(loc) << "tensor '" << t.name()
                          << "': external data without a location", failure();
  llvm::SmallString<256> rel(location);
  llvm::sys::path::remove_dots(rel, /*remove_dot_dot=*/true);
  if (llvm::sys::path::is_absolute(rel) || llvm::StringRef(rel).starts_with(".."))
    return emitError(loc) << "tensor '" << t.name() << "': external data path '"
                          << location << "' escapes the model's folder",
           failure();
  llvm::SmallString<256> path(ctx.modelDir);
  llvm::sys::path::append(path, rel);
  uint64_t fileSize = 0;
  if (llvm::sys::fs::file_size(path, fileSize))
    return emitError(loc) << "tensor '" << t.name()
                          << "': cannot open external data file '" << path
                          << "'",
           failure();
  if (offset < 0 || uint64_t(offset) > fileSize ||
      (length >= 0 && uint64_t(offset + length) > fileSize))
    return emitError(loc) << "tensor '" << t.name() << "': external data range ["
                          << offset << ", +" << length << ") exceeds '" << path
                          << "' (" << fileSize << " bytes)",
           failure();
  if (length < 0)
    length = fileSize - offset;
  auto buf = llvm::MemoryBuffer::getFileSlice(path, length, offset);
  if (!buf)
    return emitError(loc) << "tensor '" << t.name() << "': reading '" << path
                          << "' failed: " << buf.getError().message(),
           failure();
  return std::move(*buf);
}
} // namespace

FailureOr<ElementsAttr> importTensor(DT &t, Location loc,
                                     const TensorImportContext &ctx) {
  MLIRContext *mctx = loc.getContext();
  Type elem = onnx::getElementType(mctx, t.data_type());
  if (!elem)
    return emitError(loc) << "tensor '" << t.name() << "': unsupported data type "
                          << t.data_type() << " ("
                          << onnx::getDataTypeName(t.data_type()) << ")",
           failure();
  SmallVector<int64_t> dims(t.dims().begin(), t.dims().end());
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0)
      return emitError(loc) << "tensor '" << t.name() << "': negative dim " << d,
             failure();
    count *= d;
  }
  auto type = RankedTensorType::get(dims, elem);

  if (t.data_type() == DT::STRING) {
    if (t.string_data_size() != count)
      return emitError(loc) << "tensor '" << t.name() << "': " << t.string_data_size()
                            << " strings for " << count << " elements",
             failure();
    SmallVector<StringRef> strs(t.string_data().begin(), t.string_data().end());
    return ElementsAttr(DenseStringElementsAttr::get(type, strs));
  }

  // 4-bit integers and float4e2m1: two per byte in the file (low nibble
  // first), one per byte in the compiler (the in-memory form of i4).
  if (t.data_type() == DT::INT4 || t.data_type() == DT::UINT4 || t.data_type() == DT::FLOAT4E2M1) {
    std::string packedBytes;
    if (t.data_location() == DT::EXTERNAL) {
      auto buf = loadExternal(t, loc, ctx);
      if (failed(buf))
        return failure();
      packedBytes = (*buf)->getBuffer().str();
    } else if (t.has_raw_data()) {
      packedBytes = t.raw_data();
    } else {
      for (int32_t v : t.int32_data())
        packedBytes.push_back(char(v));
    }
    if (int64_t(packedBytes.size()) != (count + 1) / 2)
      return emitError(loc) << "tensor '" << t.name() << "' of shape " << type << " needs "
                            << (count + 1) / 2 << " bytes of packed 4-bit values, has "
                            << packedBytes.size(),
             failure();
    bool isSigned = t.data_type() == DT::INT4;
    std::vector<char> unpacked(count);
    for (int64_t i = 0; i < count; ++i) {
      int v = (static_cast<unsigned char>(packedBytes[i / 2]) >> (4 * (i % 2))) & 0xF;
      unpacked[i] = char(isSigned && v >= 8 ? v - 16 : v);
    }
    if (count <= ctx.denseElementLimit)
      return ElementsAttr(DenseElementsAttr::getFromRawBuffer(type, unpacked));
    std::string name = t.name().empty() ? std::string("tensor") : t.name();
    return ElementsAttr(DenseResourceElementsAttr::get(
        type, name, HeapAsmResourceBlob::allocateAndCopyWithAlign(ArrayRef<char>(unpacked), alignof(std::max_align_t))));
  }

  int64_t elemSize = onnx::getDataTypeSize(t.data_type());
  if (elemSize == 0)
    return emitError(loc) << "tensor '" << t.name() << "': data type "
                          << onnx::getDataTypeName(t.data_type())
                          << " is not supported in initializers yet",
           failure();

  // Find the bytes: external file, raw_data, or typed fields.
  std::unique_ptr<llvm::MemoryBuffer> external;
  std::string packed;
  std::string *owned = nullptr;
  ArrayRef<char> bytes;
  if (t.data_location() == DT::EXTERNAL) {
    auto buf = loadExternal(t, loc, ctx);
    if (failed(buf))
      return failure();
    external = std::move(*buf);
    bytes = ArrayRef<char>(external->getBufferStart(), external->getBufferSize());
  } else if (t.has_raw_data()) {
    owned = t.release_raw_data();
    bytes = ArrayRef<char>(owned->data(), owned->size());
  } else {
    packed = packTypedData(t, elemSize);
    bytes = ArrayRef<char>(packed.data(), packed.size());
  }
  llvm::scope_exit freeOwned([&] { delete owned; });
  if (int64_t(bytes.size()) != count * elemSize)
    return emitError(loc) << "tensor '" << t.name() << "' of shape " << type
                          << " needs " << count * elemSize << " bytes, has "
                          << bytes.size(),
           failure();

  // Small tensors and bools (i1 has no byte-per-element resource encoding)
  // become dense attributes.
  if (count <= ctx.denseElementLimit || elem.isInteger(1)) {
    if (elem.isInteger(1)) {
      SmallVector<bool> bits;
      for (char c : bytes)
        bits.push_back(c != 0);
      return ElementsAttr(DenseElementsAttr::get(type, bits));
    }
    bool isSplat = false;
    if (!DenseElementsAttr::isValidRawBuffer(type, bytes, isSplat))
      return emitError(loc) << "tensor '" << t.name() << "': bad raw buffer",
             failure();
    return ElementsAttr(DenseElementsAttr::getFromRawBuffer(type, bytes));
  }

  // Large tensors: hand the storage to a blob without copying.
  AsmResourceBlob blob;
  if (owned) {
    std::string *s = owned;
    owned = nullptr;
    blob = AsmResourceBlob(ArrayRef<char>(s->data(), s->size()), alignof(std::max_align_t),
                           [s](void *, size_t, size_t) { delete s; },
                           /*dataIsMutable=*/false);
  } else if (external) {
    auto *buf = external.release();
    blob = AsmResourceBlob(bytes, elemSize,
                           [buf](void *, size_t, size_t) { delete buf; },
                           /*dataIsMutable=*/false);
  } else {
    blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(std::max_align_t));
  }
  std::string name = t.name().empty() ? std::string("tensor") : t.name();
  return ElementsAttr(DenseResourceElementsAttr::get(type, name, std::move(blob)));
}

} // namespace onnxc
