//===- CopyToLinalg.cpp - memref.copy -> linalg.copy ----------------------===//
#include "compiler/codegen/cpu/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace onnxc {
#define GEN_PASS_DEF_COPYTOLINALG
#include "compiler/codegen/cpu/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {
struct CopyToLinalg : onnxc::impl::CopyToLinalgBase<CopyToLinalg> {
  void runOnOperation() override {
    getOperation().walk([](memref::CopyOp copy) {
      OpBuilder b(copy);
      linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(), copy.getTarget());
      copy.erase();
    });
  }
};
} // namespace
