//===- LowerStrings.cpp - string tensors -> fixed-width records -----------===//
//
// A string element becomes a NUL-padded record of `string-bytes` bytes in
// a wide signless integer (onnx::isStringRecord). Copies, gathers, concats
// and comparisons of records need nothing string-specific; the ops that
// look inside strings (StringNormalizer, Cast) lower from the record type.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/IR/BuiltinAttributes.h"

namespace onnxc {
#define GEN_PASS_DEF_LOWERSTRINGS
#include "compiler/transforms/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace {

struct LowerStrings : onnxc::impl::LowerStringsBase<LowerStrings> {
  using LowerStringsBase::LowerStringsBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!onnx::isValidStringRecordBytes(stringBytes)) {
      func.emitError("string-bytes must be a positive multiple of 16, not ") << int64_t(stringBytes);
      return signalPassFailure();
    }
    Type record = onnx::getStringRecordType(&getContext(), stringBytes);
    auto convert = [&](Type t) -> Type {
      auto tt = dyn_cast<TensorType>(t);
      return tt && isa<onnx::StringType>(tt.getElementType()) ? tt.clone(record) : t;
    };
    bool failed = false;
    func.walk([&](onnx::ConstantOp c) {
      auto v = c.getValue();
      auto strings = v ? dyn_cast<DenseStringElementsAttr>(*v) : nullptr;
      if (!strings)
        return;
      SmallVector<APInt> records;
      for (StringRef s : strings.getRawStringData()) {
        std::optional<APInt> r = onnx::getStringRecord(s, stringBytes);
        if (!r) {
          c.emitError() << "string constant \"" << s.take_front(40)
                        << (s.size() > 40 ? "..." : "") << "\" has " << s.size()
                        << " bytes, more than the " << int64_t(stringBytes)
                        << "-byte string records (raise --string-bytes)";
          failed = true;
          return;
        }
        records.push_back(*r);
      }
      c.setValueAttr(DenseElementsAttr::get(cast<ShapedType>(convert(strings.getType())), records));
    });
    if (failed)
      return signalPassFailure();
    onnxc::retypeFunction(func, convert);
  }
};

} // namespace
