//===- RefineFromUses.cpp - dynamic dims fixed by what uses require --------===//
//
// Forward inference leaves a dim dynamic where an op's result extent depends
// on values (Range, Slice with run-time bounds, ...). Often a later use pins
// it: an elementwise op whose result is static (a declared graph output, a
// Loop state that keeps its type) needs each operand's extent to be that of
// the result, or 1 under broadcasting. onnxc takes the result's extent: the
// op that produced the value then compiles for that shape and checks it at
// run time (ONNXC_ERR_DATA), so a value that would really broadcast from 1 is
// rejected, never computed wrongly.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"
#include "dialects/onnx/OnnxOps.h"

namespace onnxc {
#define GEN_PASS_DEF_REFINEFROMUSES
#include "compiler/transforms/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace {

/// Gives `v` the static extents of `target` where its own are dynamic,
/// aligning trailing dims (broadcasting) or requiring equal ranks.
bool refine(Value v, RankedTensorType target, bool broadcast) {
  if (isa<BlockArgument>(v) && !isa<onnx::LoopOp>(v.getParentBlock()->getParentOp()))
    return false; // function arguments keep their declared types
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t) {
    auto u = dyn_cast<UnrankedTensorType>(v.getType());
    if (broadcast || !u)
      return false;
    v.setType(target.clone(u.getElementType()));
    return true;
  }
  int64_t offset = target.getRank() - t.getRank();
  if (offset < 0 || (!broadcast && offset != 0))
    return false;
  SmallVector<int64_t> dims(t.getShape());
  bool changed = false;
  for (auto [d, extent] : llvm::enumerate(dims)) {
    int64_t want = target.getDimSize(offset + d);
    if (ShapedType::isDynamic(extent) && !ShapedType::isDynamic(want)) {
      extent = want;
      changed = true;
    }
  }
  if (changed)
    v.setType(t.clone(dims));
  return changed;
}

struct RefineFromUses : onnxc::impl::RefineFromUsesBase<RefineFromUses> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk<WalkOrder::PreOrder>([&](Operation *op) { ops.push_back(op); });
    // Users come after producers: sweep backwards until nothing changes
    // (a few rounds: a Loop's yield is refined after its body was swept).
    for (int round = 0; round < 8; ++round) {
      bool changed = false;
      for (Operation *op : llvm::reverse(ops)) {
        if (auto loop = dyn_cast<onnx::LoopOp>(op)) {
          Block &body = loop.getBody().front();
          Operation *yield = body.getTerminator();
          for (unsigned i = 2; i < body.getNumArguments() && i - 1 < yield->getNumOperands(); ++i)
            if (auto t = dyn_cast<RankedTensorType>(body.getArgument(i).getType()))
              changed |= refine(yield->getOperand(i - 1), t, /*broadcast=*/false);
          continue;
        }
        bool unary = op->hasTrait<onnx::OpTrait::ShapeOfOperand0>();
        if ((!unary && !op->hasTrait<onnx::OpTrait::BroadcastsOperands>()) || op->getNumResults() != 1)
          continue;
        auto result = dyn_cast<RankedTensorType>(op->getResult(0).getType());
        if (!result)
          continue;
        if (unary)
          changed |= refine(op->getOperand(0), result, /*broadcast=*/false);
        else
          for (Value operand : op->getOperands())
            changed |= refine(operand, result, /*broadcast=*/true);
      }
      if (!changed)
        break;
    }
  }
};

} // namespace
