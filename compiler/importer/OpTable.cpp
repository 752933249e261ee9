//===- OpTable.cpp - the importer's view of every onnx op -----------------===//
#include "compiler/importer/OpTable.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Twine.h"

#include <string>

namespace onnxc {

const AttrInfo *OpInfo::findAttr(llvm::StringRef onnxName) const {
  for (const AttrInfo &a : attrs)
    if (onnxName == a.onnxName)
      return &a;
  return nullptr;
}

int OpInfo::versionAt(int64_t opset) const {
  int best = 0;
  for (int v : versions)
    if (v <= opset)
      best = v;
  return best;
}

static std::string key(llvm::StringRef domain, llvm::StringRef type) {
  return domain.empty() || domain == "ai.onnx" ? type.str() : (llvm::Twine(domain) + ":" + type).str();
}

const OpInfo *lookupOp(llvm::StringRef domain, llvm::StringRef type) {
  static const llvm::StringMap<OpInfo> table = [] {
    static const OpInfo ops[] = {
#include "compiler/importer/OpImportTable.gen.inc"
    };
    llvm::StringMap<OpInfo> m;
    for (const OpInfo &op : ops)
      m[key(op.domain, op.type)] = op;
    return m;
  }();
  auto it = table.find(key(domain, type));
  return it == table.end() ? nullptr : &it->second;
}

} // namespace onnxc
