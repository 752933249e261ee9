//===- Gradient.cpp - ai.onnx.preview.training Gradient at import ---------===//
//
// Gradient names the tensors it differentiates (y) and by which it does (xs)
// instead of taking them as inputs, so the importer, which knows the names,
// expands it: reverse-mode differentiation over the ops between xs and y,
// accumulating each value's adjoint. Elementwise arithmetic on operands of
// the result's shape is supported (Add, Sub, Mul, Div, Neg, Identity);
// anything else is reported.
//
//===----------------------------------------------------------------------===//
#include "compiler/importer/Gradient.h"
#include "dialects/onnx/OnnxOps.h"

#include "llvm/ADT/SetVector.h"

using namespace mlir;

namespace onnxc {

namespace {
struct Builder {
  OpBuilder &b;
  Location loc;
  Value make(StringRef name, ValueRange operands, Type type) {
    return onnx::createOp(b, loc, ("onnx." + name).str(), operands, type);
  }
  Value splat(Type type, double v) {
    auto t = cast<RankedTensorType>(type);
    return onnx::createConstant(b, loc, DenseElementsAttr::get(t, b.getFloatAttr(t.getElementType(), v)));
  }
};
} // namespace

FailureOr<SmallVector<Value>> buildGradients(OpBuilder &b, Location loc, Value y, ArrayRef<Value> xs) {
  auto isStaticFloat = [](Value v) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    return t && t.hasStaticShape() && isa<FloatType>(t.getElementType());
  };
  if (!isStaticFloat(y))
    return emitError(loc) << "Gradient: y needs a static float type, got " << y.getType(), failure();
  // The ops y depends on, in program order.
  llvm::SetVector<Operation *> ops;
  SmallVector<Value> work{y};
  while (!work.empty()) {
    Operation *def = work.pop_back_val().getDefiningOp();
    if (!def || !ops.insert(def))
      continue;
    llvm::append_range(work, def->getOperands());
  }
  SmallVector<Operation *> order(ops.begin(), ops.end());
  llvm::sort(order, [](Operation *a, Operation *c) { return a->isBeforeInBlock(c); });

  Builder m{b, loc};
  DenseMap<Value, Value> grad;
  auto accumulate = [&](Value v, Value g) {
    auto it = grad.find(v);
    grad[v] = it == grad.end() ? g : m.make("Add", {it->second, g}, v.getType());
  };
  grad[y] = m.splat(y.getType(), 1.0);
  for (Operation *op : llvm::reverse(order)) {
    if (op->getNumResults() != 1 || !grad.count(op->getResult(0)))
      continue;
    Value g = grad.lookup(op->getResult(0));
    Type t = g.getType();
    StringRef name = op->getName().getStringRef();
    for (Value operand : op->getOperands())
      if (operand.getType() != t && !isa<onnx::ConstantOp>(op))
        return emitError(op->getLoc()) << "Gradient: " << name << " mixes shapes (" << operand.getType()
                                       << " and " << t << "); only same-shape operands are differentiated",
               failure();
    auto operand = [&](unsigned i) { return op->getOperand(i); };
    if (name == "onnx.Add") {
      accumulate(operand(0), g);
      accumulate(operand(1), g);
    } else if (name == "onnx.Sub") {
      accumulate(operand(0), g);
      accumulate(operand(1), m.make("Neg", {g}, t));
    } else if (name == "onnx.Mul") {
      accumulate(operand(0), m.make("Mul", {g, operand(1)}, t));
      accumulate(operand(1), m.make("Mul", {g, operand(0)}, t));
    } else if (name == "onnx.Div") { // d(a/b) = da / b - a db / b^2
      accumulate(operand(0), m.make("Div", {g, operand(1)}, t));
      Value quot = m.make("Div", {m.make("Mul", {g, operand(0)}, t), m.make("Mul", {operand(1), operand(1)}, t)}, t);
      accumulate(operand(1), m.make("Neg", {quot}, t));
    } else if (name == "onnx.Neg") {
      accumulate(operand(0), m.make("Neg", {g}, t));
    } else if (name == "onnx.Identity") {
      accumulate(operand(0), g);
    } else if (!isa<onnx::ConstantOp>(op)) {
      return emitError(op->getLoc()) << "Gradient: cannot differentiate through " << name
                                     << " (supported: Add, Sub, Mul, Div, Neg, Identity)",
             failure();
    }
  }
  SmallVector<Value> out;
  for (Value x : xs) {
    if (!isStaticFloat(x))
      return emitError(loc) << "Gradient: each x needs a static float type, got " << x.getType(), failure();
    Value g = grad.lookup(x);
    out.push_back(g ? g : m.splat(x.getType(), 0.0));
  }
  return out;
}

} // namespace onnxc
