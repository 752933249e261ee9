//===- ControlFlow.cpp - onnx If/Scan: shapes -----------------------------===//
//
// If's results take the branches' yielded types where they agree; Scan's
// final states take the initial states' types and each scan output stacks
// the body's per-step output along its axis.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

using namespace mlir;

namespace onnxc::onnx {

static Operation *yieldOf(Region &r) {
  return r.empty() || r.front().empty() ? nullptr : r.front().getTerminator();
}

LogicalResult IfOp::inferShapes() {
  Operation *t = yieldOf(getThenBranch()), *e = yieldOf(getElseBranch());
  if (!t || !e || t->getNumOperands() != getNumResults() || e->getNumOperands() != getNumResults())
    return emitOpError() << "both branches must yield " << getNumResults() << " values";
  for (unsigned i = 0; i < getNumResults(); ++i) {
    auto a = getShape(t->getOperand(i)), b = getShape(e->getOperand(i));
    Type elem = getElementTypeOrNull(t->getOperand(i));
    if (!a || !b || a->size() != b->size()) {
      setResultType(*this, i, std::nullopt, elem);
      continue;
    }
    Shape s;
    for (auto [x, y] : llvm::zip(*a, *b))
      s.push_back(x == y ? x : kDyn);
    setResultType(*this, i, ArrayRef<int64_t>(s), elem);
  }
  return success();
}

LogicalResult ScanOp::inferShapes() {
  Operation *y = yieldOf(getBody());
  auto ins = getInitialStateAndScanInputs();
  int64_t m = int64_t(getNumScanInputs()), n = int64_t(ins.size()) - m;
  if (!y || n < 0 || int64_t(y->getNumOperands()) != int64_t(getNumResults()))
    return emitOpError("the body's outputs do not match the results");
  for (int64_t i = 0; i < n; ++i)
    setResultType(*this, i, getShape(ins[i]), getElementTypeOrNull(ins[i]));
  // The scan length: the first scan input's extent on its axis.
  int64_t len = kDyn;
  if (m > 0) {
    auto s = getShape(ins[n]);
    auto axes = getScanInputAxes();
    int64_t a = axes && !axes->empty() ? (*axes)[0] : 0;
    if (s)
      if (auto na = normalizeAxis(a, s->size()))
        len = (*s)[*na];
  }
  auto outAxes = getScanOutputAxes();
  for (unsigned j = n; j < getNumResults(); ++j) {
    auto s = getShape(y->getOperand(j));
    Type elem = getElementTypeOrNull(y->getOperand(j));
    if (!s) {
      setResultType(*this, j, std::nullopt, elem);
      continue;
    }
    int64_t a = outAxes && int64_t(outAxes->size()) > j - n ? (*outAxes)[j - n] : 0;
    auto na = normalizeAxis(a, s->size() + 1);
    if (!na)
      return emitOpError() << "scan output axis " << a << " out of range";
    Shape out = *s;
    out.insert(out.begin() + *na, len);
    setResultType(*this, j, ArrayRef<int64_t>(out), elem);
  }
  return success();
}

} // namespace onnxc::onnx
