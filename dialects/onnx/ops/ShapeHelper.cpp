//===- ShapeHelper.cpp - shape rules shared by onnx ops -------------------===//
#include "dialects/onnx/ops/ShapeHelper.h"
#include "dialects/onnx/OnnxOps.h"

#include <map>

using namespace mlir;

namespace onnxc::onnx {

std::optional<Shape> getShape(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t)
    return std::nullopt;
  return Shape(t.getShape());
}

Type getElementTypeOrNull(Value v) {
  if (auto t = dyn_cast<TensorType>(v.getType()))
    return t.getElementType();
  return nullptr;
}

bool isNone(Value v) { return !v || isa<NoneType>(v.getType()); }

std::optional<Shape> broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  Shape out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t y = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (x == 1)
      out[i] = y;
    else if (y == 1)
      out[i] = x;
    else if (x == kDyn)
      out[i] = y;
    else if (y == kDyn || x == y)
      out[i] = x;
    else
      return std::nullopt;
  }
  return out;
}

std::optional<SmallVector<int64_t>> getConstantInts(Value v) {
  auto cst = v.getDefiningOp<ConstantOp>();
  if (!cst || !cst.getValue())
    return std::nullopt;
  auto dense = dyn_cast<DenseIntElementsAttr>(*cst.getValue());
  if (!dense)
    return std::nullopt;
  SmallVector<int64_t> out;
  for (const APInt &x : dense.getValues<APInt>())
    out.push_back(x.getSExtValue());
  return out;
}

std::optional<SmallVector<double>> getConstantFloats(Value v) {
  auto cst = v.getDefiningOp<ConstantOp>();
  if (!cst || !cst.getValue())
    return std::nullopt;
  auto dense = dyn_cast<DenseFPElementsAttr>(*cst.getValue());
  if (!dense)
    return std::nullopt;
  SmallVector<double> out;
  for (const APFloat &x : dense.getValues<APFloat>())
    out.push_back(x.convertToDouble());
  return out;
}

void setResultType(Operation *op, unsigned i,
                   std::optional<ArrayRef<int64_t>> shape, Type elem) {
  Value r = op->getResult(i);
  if (!elem)
    elem = getElementTypeOrNull(r);
  if (!elem)
    return;
  if (!shape) {
    if (!isa<RankedTensorType>(r.getType()))
      r.setType(UnrankedTensorType::get(elem));
    else
      r.setType(cast<RankedTensorType>(r.getType()).clone(elem));
    return;
  }
  Shape dims(*shape);
  // Keep what the model's value_info already knew about symbolic dims.
  if (auto old = dyn_cast<RankedTensorType>(r.getType());
      old && old.getRank() == int64_t(dims.size()))
    for (auto [d, o] : llvm::zip(dims, old.getShape()))
      if (d == kDyn)
        d = o;
  r.setType(RankedTensorType::get(dims, elem));
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

int64_t windowOutputDim(int64_t in, int64_t kernel, int64_t stride,
                        int64_t dilation, int64_t padBegin, int64_t padEnd,
                        bool ceilMode) {
  if (in == kDyn)
    return kDyn;
  int64_t span = dilation * (kernel - 1) + 1;
  int64_t num = in + padBegin + padEnd - span;
  if (num < 0)
    return 0;
  int64_t out = (ceilMode ? (num + stride - 1) / stride : num / stride) + 1;
  // ceil_mode: the last window must start inside the input or left padding.
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

SmallVector<int64_t> orOnes(std::optional<ArrayRef<int64_t>> v, size_t n) {
  if (v && v->size() == n)
    return SmallVector<int64_t>(*v);
  return SmallVector<int64_t>(n, 1);
}

bool resolvePads(StringRef autoPad, ArrayRef<int64_t> spatialIn,
                 ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                 ArrayRef<int64_t> dilations,
                 std::optional<ArrayRef<int64_t>> pads,
                 SmallVectorImpl<int64_t> &padsOut) {
  size_t n = kernel.size();
  padsOut.assign(2 * n, 0);
  if (autoPad == "NOTSET" || autoPad.empty()) {
    if (pads) {
      if (pads->size() != 2 * n)
        return false;
      padsOut.assign(pads->begin(), pads->end());
    }
    return true;
  }
  if (autoPad == "VALID")
    return true;
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return false;
  for (size_t i = 0; i < n; ++i) {
    if (spatialIn[i] == kDyn)
      return true; // resolved at lowering time
    int64_t out = (spatialIn[i] + strides[i] - 1) / strides[i];
    int64_t span = dilations[i] * (kernel[i] - 1) + 1;
    int64_t total = std::max<int64_t>(0, (out - 1) * strides[i] + span - spatialIn[i]);
    int64_t small = total / 2, big = total - small;
    padsOut[i] = autoPad == "SAME_UPPER" ? small : big;
    padsOut[i + n] = autoPad == "SAME_UPPER" ? big : small;
  }
  return true;
}

Shape windowOutputShape(ArrayRef<int64_t> in, int64_t outChannels,
                        ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> dilations,
                        ArrayRef<int64_t> padsBeginEnd, bool ceilMode) {
  size_t n = kernel.size();
  Shape out{in[0], outChannels};
  for (size_t i = 0; i < n; ++i)
    out.push_back(windowOutputDim(in[2 + i], kernel[i], strides[i],
                                  dilations[i], padsBeginEnd[i],
                                  padsBeginEnd[i + n], ceilMode));
  return out;
}

static std::optional<Shape> broadcastOperands(Operation *op, bool &ok) {
  ok = true;
  std::optional<Shape> shape = Shape{};
  for (Value v : op->getOperands()) {
    if (isNone(v))
      continue;
    auto s = getShape(v);
    if (!s)
      return std::nullopt;
    shape = broadcastShapes(*shape, *s);
    if (!shape) {
      ok = false;
      return std::nullopt;
    }
  }
  return shape;
}

std::optional<EinsumSpec> parseEinsum(StringRef equation, ArrayRef<int64_t> ranks) {
  std::string eq;
  for (char c : equation)
    if (c != ' ')
      eq += c;
  auto [lhs, rhs] = StringRef(eq).split("->");
  bool explicitOut = StringRef(eq).contains("->");
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != ranks.size())
    return std::nullopt;
  EinsumSpec spec;
  int64_t ellipsisRank = 0;
  for (auto [term, rank] : llvm::zip(terms, ranks)) {
    std::string labels;
    size_t dots = term.find("...");
    int64_t named = int64_t(term.size()) - (dots == StringRef::npos ? 0 : 3);
    int64_t ell = dots == StringRef::npos ? 0 : rank - named;
    if (ell < 0 || (dots == StringRef::npos && named != rank))
      return std::nullopt;
    ellipsisRank = std::max(ellipsisRank, ell);
    for (size_t i = 0; i < term.size(); ++i) {
      if (i == dots) {
        // Ellipsis dims align right: the last `ell` of the shared ones.
        for (int64_t e = 0; e < ell; ++e)
          labels += char('A' + (ellipsisRank - ell) + e);
        i += 2;
        continue;
      }
      if (!islower(static_cast<unsigned char>(term[i])))
        return std::nullopt;
      labels += term[i];
    }
    spec.inputs.push_back(labels);
  }
  if (explicitOut) {
    size_t dots = rhs.find("...");
    for (size_t i = 0; i < rhs.size(); ++i) {
      if (i == dots) {
        for (int64_t e = 0; e < ellipsisRank; ++e)
          spec.output += char('A' + e);
        i += 2;
        continue;
      }
      spec.output += rhs[i];
    }
  } else {
    // Implicit: broadcast dims, then labels used exactly once, sorted.
    for (int64_t e = 0; e < ellipsisRank; ++e)
      spec.output += char('A' + e);
    std::map<char, int> count;
    for (auto &in : spec.inputs)
      for (char c : in)
        if (islower(static_cast<unsigned char>(c)))
          ++count[c];
    for (auto [c, n] : count)
      if (n == 1)
        spec.output += c;
  }
  return spec;
}

LogicalResult inferShapesAsUnary(Operation *op) {
  Value in = op->getOperand(0);
  setResultType(op, 0, getShape(in), getElementTypeOrNull(in));
  return success();
}

LogicalResult inferShapesAsBroadcast(Operation *op) {
  bool ok;
  auto shape = broadcastOperands(op, ok);
  if (!ok)
    return op->emitOpError("operands are not broadcast-compatible");
  setResultType(op, 0, shape, getElementTypeOrNull(op->getOperand(0)));
  return success();
}

LogicalResult inferShapesAsCompare(Operation *op) {
  bool ok;
  auto shape = broadcastOperands(op, ok);
  if (!ok)
    return op->emitOpError("operands are not broadcast-compatible");
  setResultType(op, 0, shape, IntegerType::get(op->getContext(), 1));
  return success();
}

LogicalResult inferShapesAsUnaryBool(Operation *op) {
  setResultType(op, 0, getShape(op->getOperand(0)),
                IntegerType::get(op->getContext(), 1));
  return success();
}

} // namespace onnxc::onnx
