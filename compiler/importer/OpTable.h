//===- OpTable.h - the importer's view of every onnx op ---------*- C++ -*-===//
#ifndef ONNXC_COMPILER_IMPORTER_OPTABLE_H
#define ONNXC_COMPILER_IMPORTER_OPTABLE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <vector>

namespace onnxc {

enum class AttrKind {
  Float, Int, String, Tensor, Graph, SparseTensor, TypeProto,
  Floats, Ints, Strings, Tensors, Graphs, SparseTensors, TypeProtos
};

struct AttrInfo {
  const char *onnxName;
  const char *odsName;
  AttrKind kind;
  bool required;
};

struct OpInfo {
  llvm::StringRef type;
  /// One letter per formal input/output: S single, O optional, V variadic.
  llvm::StringRef inputs, outputs;
  /// since_versions of every version of the op; the dialect models the last.
  std::vector<int> versions;
  std::vector<AttrInfo> attrs;
  /// Element type of each output when nothing else says: the index of an
  /// input with the same type, 1000 + a fixed ONNX dtype, 2000 (a sequence),
  /// 3000 (an optional), or -1.
  std::vector<int> outputTypes;
  /// "" for ai.onnx, else the op's domain (ai.onnx.preview.training).
  llvm::StringRef domain = "";

  const AttrInfo *findAttr(llvm::StringRef onnxName) const;
  /// The since_version in force at `opset`, or 0 if the op is newer.
  int versionAt(int64_t opset) const;
};

/// The op named `type` in `domain` ("" or "ai.onnx" for the default one),
/// or null.
const OpInfo *lookupOp(llvm::StringRef domain, llvm::StringRef type);

} // namespace onnxc

#endif
