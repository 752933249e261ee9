//===- DistinctResults.cpp - one value per function result -----------------===//
//
// buffer-results-to-out-params gives each result its own out-parameter and
// moves the result's allocation there; a value returned twice (CSE merges
// identical results, e.g. the empty pieces of a Split) has one allocation
// for two parameters and crashes it. A fresh copy per repeated result keeps
// the results distinct.
//
// The same goes for destinations: CSE merges the identical zero fills that
// several convolutions or matmuls start from, and one-shot-bufferize then
// fills one buffer and copies it into each destination. A fill of an empty
// tensor is cloned for each op that writes into it, so that each fills its
// own buffer (and the GEMM lowering can drop the fill altogether).
//
//===----------------------------------------------------------------------===//
#include "compiler/codegen/cpu/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/DenseSet.h"

namespace onnxc {
#define GEN_PASS_DEF_DISTINCTRESULTS
#include "compiler/codegen/cpu/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {
struct DistinctResults : onnxc::impl::DistinctResultsBase<DistinctResults> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      llvm::DenseSet<Value> seen;
      OpBuilder b(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        auto t = dyn_cast<RankedTensorType>(operand.get().getType());
        if (!t || seen.insert(operand.get()).second)
          continue;
        operand.set(bufferization::AllocTensorOp::create(b, ret.getLoc(), t, ValueRange{}, operand.get()));
      }
    });
    getOperation().walk([](linalg::FillOp fill) {
      auto empty = fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>();
      if (!empty || !fill.hasPureTensorSemantics())
        return;
      SmallVector<OpOperand *> inits;
      for (OpOperand &use : fill.getResult(0).getUses()) {
        auto dps = dyn_cast<DestinationStyleOpInterface>(use.getOwner());
        if (dps && dps.isDpsInit(&use))
          inits.push_back(&use);
      }
      // Other uses (reads), or else the first destination, keep the original.
      bool allInits = inits.size() == size_t(llvm::range_size(fill.getResult(0).getUses()));
      for (OpOperand *use : llvm::drop_begin(inits, allInits ? 1 : 0)) {
        OpBuilder b(use->getOwner());
        Operation *e = b.clone(*empty);
        IRMapping map;
        map.map(empty.getResult(), e->getResult(0));
        use->set(b.clone(*fill, map)->getResult(0));
      }
    });
  }
};
} // namespace
