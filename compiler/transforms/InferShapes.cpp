//===- InferShapes.cpp - forward shape inference over onnx ops ------------===//
#include "compiler/transforms/Passes.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/IR/Verifier.h"

namespace onnxc {
#define GEN_PASS_DEF_INFERSHAPES
#include "compiler/transforms/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {
struct InferShapes : onnxc::impl::InferShapesBase<InferShapes> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    bool failedAny = false;
    // Pre-order walk visits producers before consumers within a block.
    func.walk<WalkOrder::PreOrder>([&](onnxc::onnx::ShapeInferenceOpInterface op) {
      (void)op.inferShapes(); // a missing shape function keeps the types
      if (failed(verify(op.getOperation(), /*verifyRecursively=*/false)))
        failedAny = true;
    });
    if (failedAny)
      return signalPassFailure();
    if (func.isExternal())
      return;
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    func.setFunctionType(FunctionType::get(
        func.getContext(), func.getArgumentTypes(), ret.getOperandTypes()));
  }
};
} // namespace
