//===- FoldShapes.cpp - forward shape inference + constant folding --------===//
#include "compiler/transforms/Passes.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Transforms/FoldUtils.h"

namespace onnxc {
#define GEN_PASS_DEF_FOLDSHAPES
#include "compiler/transforms/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {
struct FoldShapes : onnxc::impl::FoldShapesBase<FoldShapes> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    OperationFolder folder(&getContext());
    SmallVector<Operation *> ops;
    func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (isa<onnxc::onnx::OnnxDialect>(op->getDialect()))
        ops.push_back(op);
    });
    bool failedAny = false;
    for (Operation *op : ops) {
      if (auto si = dyn_cast<onnxc::onnx::ShapeInferenceOpInterface>(op)) {
        (void)si.inferShapes();
        if (failed(verify(op, /*verifyRecursively=*/false))) {
          failedAny = true;
          continue;
        }
      }
      if (!isa<onnxc::onnx::ConstantOp, onnxc::onnx::NoValueOp>(op))
        (void)folder.tryToFold(op);
    }
    if (failedAny)
      return signalPassFailure();
    if (func.isExternal())
      return;
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    func.setFunctionType(FunctionType::get(func.getContext(), func.getArgumentTypes(),
                                           ret.getOperandTypes()));
  }
};
} // namespace
