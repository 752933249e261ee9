//===- MakeSignless.cpp - unsigned integer tensors -> signless ------------===//
#include "compiler/transforms/Passes.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace onnxc {
#define GEN_PASS_DEF_MAKESIGNLESS
#include "compiler/transforms/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {

bool isUnsignedTensor(Type t) {
  auto tt = dyn_cast<TensorType>(t);
  auto it = tt ? dyn_cast<IntegerType>(tt.getElementType()) : nullptr;
  return it && it.isUnsigned();
}

Type signless(Type t) {
  if (!isUnsignedTensor(t))
    return t;
  auto tt = cast<TensorType>(t);
  return tt.clone(IntegerType::get(t.getContext(), tt.getElementType().getIntOrFloatBitWidth()));
}

struct MakeSignless : onnxc::impl::MakeSignlessBase<MakeSignless> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    Builder b(&getContext());
    // Record which operands were unsigned before anything is retyped.
    func.walk([&](Operation *op) {
      if (!isa<onnxc::onnx::OnnxDialect>(op->getDialect()))
        return;
      SmallVector<bool> flags;
      bool any = false;
      for (Value v : op->getOperands()) {
        flags.push_back(isUnsignedTensor(v.getType()));
        any |= flags.back();
      }
      if (any)
        op->setAttr("onnxc.unsigned_operands", b.getDenseBoolArrayAttr(flags));
    });
    // Constants: same bytes, signless element type.
    func.walk([&](onnxc::onnx::ConstantOp c) {
      auto v = c.getValue();
      if (!v || !isUnsignedTensor(v->getType()))
        return;
      auto newType = cast<ShapedType>(signless(v->getType()));
      Attribute nv;
      if (auto d = dyn_cast<DenseElementsAttr>(*v))
        nv = d.bitcast(newType.getElementType());
      else if (auto r = dyn_cast<DenseResourceElementsAttr>(*v))
        nv = DenseResourceElementsAttr::get(newType, r.getRawHandle());
      if (nv)
        c.setValueAttr(cast<ElementsAttr>(nv));
    });
    onnxc::retypeFunction(func, signless);
  }
};

} // namespace

void onnxc::retypeFunction(func::FuncOp func, llvm::function_ref<Type(Type)> convert) {
  auto retype = [&](Value v) { v.setType(convert(v.getType())); };
  func.walk([&](Operation *op) {
    for (Region &r : op->getRegions())
      for (Block &blk : r)
        for (BlockArgument a : blk.getArguments())
          retype(a);
    for (Value r : op->getResults())
      retype(r);
  });
  SmallVector<Type> ins, outs;
  for (Type t : func.getArgumentTypes())
    ins.push_back(convert(t));
  for (Type t : func.getResultTypes())
    outs.push_back(convert(t));
  func.setFunctionType(FunctionType::get(func.getContext(), ins, outs));
}
