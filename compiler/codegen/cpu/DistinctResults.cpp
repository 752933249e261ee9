//===- DistinctResults.cpp - one value per function result -----------------===//
//
// buffer-results-to-out-params gives each result its own out-parameter and
// moves the result's allocation there; a value returned twice (CSE merges
// identical results, e.g. the empty pieces of a Split) has one allocation
// for two parameters and crashes it. A fresh copy per repeated result keeps
// the results distinct.
//
//===----------------------------------------------------------------------===//
#include "compiler/codegen/cpu/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
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
  }
};
} // namespace
