//===- ControlFlow.cpp - onnx If/Loop/Scan: shapes ------------------------===//
//
// If's results take the branches' yielded types where they agree; Scan's
// final states take the initial states' types and each scan output stacks
// the body's per-step output along its axis. Loop types its body from the
// initial values (exporters often leave the body's inputs untyped), then
// stacks scan outputs on a leading axis of unknown length.
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
    // A branch yielding a sequence or optional makes the result one (the
    // model may leave the If's output untyped).
    Type structured;
    for (Value v : {t->getOperand(i), e->getOperand(i)})
      if (!structured && isa<SeqType, OptType>(v.getType()))
        structured = v.getType();
    if (structured) {
      if (!isa<SeqType, OptType>(getResult(i).getType()))
        getResult(i).setType(structured);
      continue;
    }
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

LogicalResult LoopOp::inferShapes() {
  Block &body = getBody().front();
  auto init = getVInitial();
  Operation *y = yieldOf(getBody());
  if (body.getNumArguments() != init.size() + 2 || !y ||
      y->getNumOperands() != getNumResults() + 1 || getNumResults() < init.size())
    return emitOpError("the body's inputs and outputs do not match the loop's");
  Builder b(getContext());
  body.getArgument(0).setType(RankedTensorType::get({}, b.getI64Type()));
  body.getArgument(1).setType(RankedTensorType::get({}, b.getI1Type()));
  for (auto [i, v] : llvm::enumerate(init))
    if (isa<TensorType>(v.getType()) && isa<TensorType>(body.getArgument(2 + i).getType()))
      body.getArgument(2 + i).setType(v.getType());
  body.walk<WalkOrder::PreOrder>([](ShapeInferenceOpInterface op) { (void)op.inferShapes(); });
  for (auto [i, v] : llvm::enumerate(init))
    if (isa<TensorType>(v.getType()))
      setResultType(*this, i, getShape(v), getElementTypeOrNull(v));
  for (unsigned j = init.size(); j < getNumResults(); ++j) {
    Value step = y->getOperand(j + 1);
    auto s = getShape(step);
    if (!s) {
      setResultType(*this, j, std::nullopt, getElementTypeOrNull(step));
      continue;
    }
    Shape out{kDyn};
    out.append(s->begin(), s->end());
    setResultType(*this, j, ArrayRef<int64_t>(out), getElementTypeOrNull(step));
  }
  return success();
}

} // namespace onnxc::onnx
