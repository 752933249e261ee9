//===- Math.cpp - onnx math ops: shapes and verifiers ---------------------===//
//
// Elementwise families share rules in ShapeHelper (declared through
// hand-written.json); Gemm/MatMul follow numpy matmul.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

using namespace mlir;

namespace onnxc::onnx {

static LogicalResult verifySoftmaxAxis(Operation *op, int64_t axis) {
  auto s = getShape(op->getOperand(0));
  if (s && !normalizeAxis(axis, s->size()))
    return op->emitOpError() << "'axis' " << axis << " out of range [-"
                             << s->size() << ", " << int64_t(s->size()) - 1
                             << "]";
  return success();
}
LogicalResult SoftmaxOp::verify() {
  return verifySoftmaxAxis(*this, int64_t(getAxis()));
}
LogicalResult LogSoftmaxOp::verify() {
  return verifySoftmaxAxis(*this, int64_t(getAxis()));
}

/// numpy.matmul: 1-D operands are promoted and the added dim removed again.
/// Shared by MatMul and its integer/quantized forms (`elem` is the result's).
static LogicalResult inferMatMul(Operation *op, Value lhs, Value rhs, Type elem) {
  auto a = getShape(lhs), b = getShape(rhs);
  if (!a || !b) {
    setResultType(op, 0, std::nullopt, elem);
    return success();
  }
  if (a->empty() || b->empty())
    return op->emitOpError("operands must have rank >= 1");
  Shape sa = *a, sb = *b;
  bool vecA = sa.size() == 1, vecB = sb.size() == 1;
  if (vecA)
    sa.insert(sa.begin(), 1);
  if (vecB)
    sb.push_back(1);
  int64_t k1 = sa.back(), k2 = sb[sb.size() - 2];
  if (k1 != kDyn && k2 != kDyn && k1 != k2)
    return op->emitOpError() << "contraction dims differ: " << k1 << " vs " << k2;
  auto batch = broadcastShapes(ArrayRef(sa).drop_back(2), ArrayRef(sb).drop_back(2));
  if (!batch)
    return op->emitOpError("batch dims are not broadcast-compatible");
  Shape out = *batch;
  if (!vecA)
    out.push_back(sa[sa.size() - 2]);
  if (!vecB)
    out.push_back(sb.back());
  setResultType(op, 0, out, elem);
  return success();
}

LogicalResult MatMulOp::inferShapes() {
  return inferMatMul(*this, getA(), getB(), getElementTypeOrNull(getA()));
}
LogicalResult MatMulIntegerOp::inferShapes() {
  return inferMatMul(*this, getA(), getB(), IntegerType::get(getContext(), 32));
}
LogicalResult QLinearMatMulOp::inferShapes() {
  return inferMatMul(*this, getA(), getB(), getElementTypeOrNull(getYZeroPoint()));
}

LogicalResult GemmOp::verify() {
  auto a = getShape(getA()), b = getShape(getB());
  if ((a && a->size() != 2) || (b && b->size() != 2))
    return emitOpError("A and B must be 2-D");
  if (a && b) {
    int64_t ka = getTransA() ? (*a)[0] : (*a)[1];
    int64_t kb = getTransB() ? (*b)[1] : (*b)[0];
    if (ka != kDyn && kb != kDyn && ka != kb)
      return emitOpError() << "inner dims differ: " << ka << " vs " << kb;
  }
  return success();
}

LogicalResult GemmOp::inferShapes() {
  auto a = getShape(getA()), b = getShape(getB());
  Type elem = getElementTypeOrNull(getA());
  if (!a || !b || a->size() != 2 || b->size() != 2) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  Shape out{getTransA() ? (*a)[1] : (*a)[0], getTransB() ? (*b)[0] : (*b)[1]};
  setResultType(*this, 0, out, elem);
  return success();
}

LogicalResult EinsumOp::inferShapes() {
  SmallVector<int64_t> ranks;
  SmallVector<Shape> shapes;
  Type elem = getElementTypeOrNull(getInputs()[0]);
  for (Value v : getInputs()) {
    auto s = getShape(v);
    if (!s) {
      setResultType(*this, 0, std::nullopt, elem);
      return success();
    }
    ranks.push_back(s->size());
    shapes.push_back(*s);
  }
  auto spec = parseEinsum(getEquation(), ranks);
  if (!spec)
    return emitOpError() << "cannot parse equation '" << getEquation() << "' for the operand ranks";
  llvm::DenseMap<char, int64_t> size;
  for (auto [labels, shape] : llvm::zip(spec->inputs, shapes))
    for (auto [c, d] : llvm::zip(labels, shape)) {
      auto it = size.find(c);
      if (it == size.end() || it->second == 1 || it->second == kDyn)
        size[c] = d;
    }
  Shape out;
  for (char c : spec->output) {
    if (!size.count(c))
      return emitOpError() << "output label '" << c << "' does not appear in the inputs";
    out.push_back(size[c]);
  }
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

/// Det: [..., M, M] -> [...].
LogicalResult DetOp::inferShapes() {
  auto x = getShape(getX());
  Type elem = getElementTypeOrNull(getX());
  if (!x) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  if (x->size() < 2)
    return emitOpError() << "X must have rank >= 2, got " << x->size();
  setResultType(*this, 0, ArrayRef<int64_t>(*x).drop_back(2), elem);
  return success();
}

/// DFT: the input's shape with the transformed axis (an input since 20,
/// default -2) at dft_length (or its size), halved plus one when onesided,
/// and a last dim of 2 (real, imaginary).
LogicalResult DFTOp::inferShapes() {
  auto in = getShape(getInput());
  Type elem = getElementTypeOrNull(getInput());
  std::optional<SmallVector<int64_t>> axis =
      isNone(getAxis()) ? SmallVector<int64_t>{-2} : getConstantInts(getAxis());
  if (!in || in->size() < 2 || !axis || axis->size() != 1) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  int64_t rank = in->size();
  auto a = normalizeAxis(axis->front(), rank);
  if (!a || *a == rank - 1)
    return emitOpError() << "axis " << axis->front() << " is not a signal dim of rank " << rank;
  Shape out(*in);
  int64_t n = (*in)[*a];
  if (!isNone(getDftLength())) {
    auto len = getConstantInts(getDftLength());
    n = len && len->size() == 1 ? len->front() : kDyn;
  }
  out[*a] = n == kDyn ? kDyn : getOnesided() != 0 ? n / 2 + 1 : n;
  out[rank - 1] = 2;
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

} // namespace onnxc::onnx
