//===- Folders.cpp - constant folding of shape computations ---------------===//
//
// Exporters compute shapes at run time (Shape -> Gather -> Concat ->
// Reshape). With static input shapes these chains are constants; folding
// them lets shape inference see the targets. Folders here work on small
// integer tensors (and bools), with static result types only.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

using namespace mlir;

namespace onnxc::onnx {

namespace {
constexpr int64_t kMaxFoldElements = 1 << 12;

RankedTensorType staticType(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && t.hasStaticShape() && t.getNumElements() <= kMaxFoldElements ? t : nullptr;
}

/// Integer (or bool) values of a folded operand, row-major.
std::optional<SmallVector<int64_t>> intsOf(Attribute a) {
  auto d = dyn_cast_or_null<DenseIntElementsAttr>(a);
  if (!d || d.getNumElements() > kMaxFoldElements)
    return std::nullopt;
  SmallVector<int64_t> out;
  bool isBool = d.getElementType().isInteger(1);
  for (const APInt &v : d.getValues<APInt>())
    out.push_back(isBool ? int64_t(v.getZExtValue()) : v.getSExtValue());
  return out;
}

Attribute intsAttr(RankedTensorType t, ArrayRef<int64_t> values) {
  auto it = dyn_cast<IntegerType>(t.getElementType());
  if (!it || int64_t(values.size()) != t.getNumElements())
    return {};
  SmallVector<APInt> v;
  for (int64_t x : values)
    v.push_back(APInt(it.getWidth(), uint64_t(x), /*isSigned=*/!it.isInteger(1)));
  return DenseElementsAttr::get(t, v);
}

/// Row-major strides of a static shape.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> s(shape.size(), 1);
  for (int64_t i = int64_t(shape.size()) - 2; i >= 0; --i)
    s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/// Elementwise integer op with numpy broadcasting over static shapes.
Attribute foldBroadcast(Operation *op, ArrayRef<Attribute> operands,
                        function_ref<std::optional<int64_t>(ArrayRef<int64_t>)> fn) {
  auto rt = staticType(op->getResult(0));
  if (!rt)
    return {};
  SmallVector<SmallVector<int64_t>> vals;
  SmallVector<ArrayRef<int64_t>> shapes;
  for (auto [v, a] : llvm::zip(op->getOperands(), operands)) {
    auto t = staticType(v);
    auto ints = intsOf(a);
    if (!t || !ints)
      return {};
    vals.push_back(*ints);
    shapes.push_back(t.getShape());
  }
  ArrayRef<int64_t> out = rt.getShape();
  auto outStrides = stridesOf(out);
  SmallVector<int64_t> result;
  for (int64_t flat = 0; flat < rt.getNumElements(); ++flat) {
    SmallVector<int64_t> args;
    for (auto [vs, shape] : llvm::zip(vals, shapes)) {
      int64_t off = 0, stride = 1;
      for (int64_t d = int64_t(shape.size()) - 1; d >= 0; --d) {
        int64_t od = d + int64_t(out.size()) - int64_t(shape.size());
        int64_t i = (flat / outStrides[od]) % out[od];
        off += (shape[d] == 1 ? 0 : i) * stride;
        stride *= shape[d];
      }
      args.push_back(vs[off]);
    }
    auto r = fn(args);
    if (!r)
      return {};
    result.push_back(*r);
  }
  return intsAttr(rt, result);
}
} // namespace

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto in = dyn_cast<RankedTensorType>(getData().getType());
  auto rt = staticType(getResult());
  if (!in || !rt)
    return {};
  int64_t rank = in.getRank();
  auto clamp = [&](int64_t x) { return std::clamp<int64_t>(x < 0 ? x + rank : x, 0, rank); };
  int64_t start = clamp(int64_t(getStart())), end = getEnd() ? clamp(int64_t(*getEnd())) : rank;
  SmallVector<int64_t> dims;
  for (int64_t i = start; i < end; ++i) {
    if (in.isDynamicDim(i))
      return {};
    dims.push_back(in.getDimSize(i));
  }
  return intsAttr(rt, dims);
}

OpFoldResult SizeOp::fold(FoldAdaptor) {
  auto in = dyn_cast<RankedTensorType>(getData().getType());
  auto rt = staticType(getResult());
  if (!in || !in.hasStaticShape() || !rt)
    return {};
  return intsAttr(rt, {in.getNumElements()});
}

OpFoldResult GatherOp::fold(FoldAdaptor ad) {
  auto dt = staticType(getData()), rt = staticType(getResult());
  auto idx = intsOf(ad.getIndices());
  if (!rt || !idx)
    return {};
  // Gather(Shape(x), i) needs only x's dim i to be static.
  if (auto shape = getData().getDefiningOp<ShapeOp>(); shape && !ad.getData()) {
    auto in = dyn_cast<RankedTensorType>(shape.getData().getType());
    if (!in || int64_t(getAxis()) != 0 || shape.getStart() != 0 || shape.getEnd())
      return {};
    SmallVector<int64_t> out;
    for (int64_t i : *idx) {
      if (i < 0)
        i += in.getRank();
      if (i < 0 || i >= in.getRank() || in.isDynamicDim(i))
        return {};
      out.push_back(in.getDimSize(i));
    }
    return intsAttr(rt, out);
  }
  auto data = intsOf(ad.getData());
  if (!dt || !data)
    return {};
  int64_t axis = *normalizeAxis(int64_t(getAxis()), dt.getRank());
  int64_t outer = 1, inner = 1, n = dt.getDimSize(axis);
  for (int64_t i = 0; i < axis; ++i)
    outer *= dt.getDimSize(i);
  for (int64_t i = axis + 1; i < dt.getRank(); ++i)
    inner *= dt.getDimSize(i);
  SmallVector<int64_t> out;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i : *idx) {
      if (i < 0)
        i += n;
      if (i < 0 || i >= n)
        return {};
      for (int64_t k = 0; k < inner; ++k)
        out.push_back((*data)[(o * n + i) * inner + k]);
    }
  return intsAttr(rt, out);
}

/// Ops that only change the shape of a constant.
static OpFoldResult foldReshapeLike(Operation *op, Attribute data) {
  auto rt = staticType(op->getResult(0));
  auto d = dyn_cast_or_null<DenseElementsAttr>(data);
  if (!rt || !d || d.getNumElements() != rt.getNumElements())
    return {};
  return d.reshape(rt);
}
OpFoldResult UnsqueezeOp::fold(FoldAdaptor ad) { return foldReshapeLike(*this, ad.getData()); }
OpFoldResult SqueezeOp::fold(FoldAdaptor ad) { return foldReshapeLike(*this, ad.getData()); }
OpFoldResult ReshapeOp::fold(FoldAdaptor ad) { return foldReshapeLike(*this, ad.getData()); }
OpFoldResult FlattenOp::fold(FoldAdaptor ad) { return foldReshapeLike(*this, ad.getInput()); }

OpFoldResult ExpandOp::fold(FoldAdaptor ad) {
  return foldBroadcast(*this, {ad.getInput()}, [](ArrayRef<int64_t> a) -> std::optional<int64_t> {
    return a[0];
  });
}

OpFoldResult ConcatOp::fold(FoldAdaptor ad) {
  auto rt = staticType(getResult());
  if (!rt)
    return {};
  int64_t axis = *normalizeAxis(int64_t(getAxis()), rt.getRank());
  int64_t outer = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= rt.getDimSize(i);
  SmallVector<SmallVector<int64_t>> parts;
  SmallVector<int64_t> chunk;
  for (auto [v, a] : llvm::zip(getInputs(), ad.getInputs())) {
    auto t = staticType(v);
    auto ints = intsOf(a);
    if (!t || !ints)
      return {};
    parts.push_back(*ints);
    chunk.push_back(outer ? t.getNumElements() / std::max<int64_t>(outer, 1) : 0);
  }
  SmallVector<int64_t> out;
  for (int64_t o = 0; o < outer; ++o)
    for (auto [p, c] : llvm::zip(parts, chunk))
      out.append(p.begin() + o * c, p.begin() + (o + 1) * c);
  return intsAttr(rt, out);
}

OpFoldResult SliceOp::fold(FoldAdaptor ad) {
  auto dt = staticType(getData()), rt = staticType(getResult());
  auto data = intsOf(ad.getData());
  auto starts = intsOf(ad.getStarts()), ends = intsOf(ad.getEnds());
  std::optional<SmallVector<int64_t>> axes, steps;
  if (!isNone(getAxes()) && !(axes = intsOf(ad.getAxes())))
    return {};
  if (!isNone(getSteps()) && !(steps = intsOf(ad.getSteps())))
    return {};
  if (!dt || !rt || !data || !starts || !ends)
    return {};
  int64_t rank = dt.getRank();
  SmallVector<int64_t> begin(rank, 0), step(rank, 1);
  for (size_t i = 0; i < starts->size(); ++i) {
    auto a = normalizeAxis(axes ? (*axes)[i] : int64_t(i), rank);
    if (!a)
      return {};
    int64_t st = steps ? (*steps)[i] : 1, dim = dt.getDimSize(*a), s = (*starts)[i];
    if (st == 0)
      return {};
    if (s < 0)
      s += dim;
    begin[*a] = st > 0 ? std::clamp<int64_t>(s, 0, dim) : std::clamp<int64_t>(s, -1, dim - 1);
    step[*a] = st;
  }
  auto inStrides = stridesOf(dt.getShape()), outStrides = stridesOf(rt.getShape());
  SmallVector<int64_t> out;
  for (int64_t flat = 0; flat < rt.getNumElements(); ++flat) {
    int64_t off = 0;
    for (int64_t d = 0; d < rank; ++d)
      off += (begin[d] + ((flat / outStrides[d]) % rt.getDimSize(d)) * step[d]) * inStrides[d];
    out.push_back((*data)[off]);
  }
  return intsAttr(rt, out);
}

OpFoldResult CastOp::fold(FoldAdaptor ad) {
  auto rt = staticType(getResult());
  auto ints = intsOf(ad.getInput());
  if (!rt || !ints)
    return {};
  if (isa<FloatType>(rt.getElementType())) {
    SmallVector<APFloat> f;
    for (int64_t v : *ints) {
      APFloat x(static_cast<double>(v));
      bool lost;
      x.convert(cast<FloatType>(rt.getElementType()).getFloatSemantics(),
                APFloat::rmNearestTiesToEven, &lost);
      f.push_back(x);
    }
    return DenseElementsAttr::get(rt, f);
  }
  if (rt.getElementType().isInteger(1))
    for (int64_t &v : *ints)
      v = v != 0;
  return intsAttr(rt, *ints);
}

#define ONNXC_INT_BINARY_FOLD(OP, EXPR)                                        \
  OpFoldResult OP::fold(FoldAdaptor ad) {                                      \
    return foldBroadcast(*this, ad.getOperands(),                              \
                         [](ArrayRef<int64_t> a) -> std::optional<int64_t> {   \
                           return EXPR;                                        \
                         });                                                   \
  }
ONNXC_INT_BINARY_FOLD(AddOp, a[0] + a[1])
ONNXC_INT_BINARY_FOLD(SubOp, a[0] - a[1])
ONNXC_INT_BINARY_FOLD(MulOp, a[0] * a[1])
ONNXC_INT_BINARY_FOLD(EqualOp, int64_t(a[0] == a[1]))
ONNXC_INT_BINARY_FOLD(WhereOp, a[0] ? a[1] : a[2])
ONNXC_INT_BINARY_FOLD(NegOp, -a[0])
ONNXC_INT_BINARY_FOLD(MaxOp, *std::max_element(a.begin(), a.end()))
ONNXC_INT_BINARY_FOLD(MinOp, *std::min_element(a.begin(), a.end()))
#undef ONNXC_INT_BINARY_FOLD

OpFoldResult DivOp::fold(FoldAdaptor ad) {
  return foldBroadcast(*this, ad.getOperands(), [](ArrayRef<int64_t> a) -> std::optional<int64_t> {
    if (a[1] == 0)
      return std::nullopt;
    return a[0] / a[1]; // ONNX integer Div truncates
  });
}

OpFoldResult NotOp::fold(FoldAdaptor ad) {
  return foldBroadcast(*this, {ad.getX()}, [](ArrayRef<int64_t> a) -> std::optional<int64_t> {
    return int64_t(!a[0]);
  });
}

OpFoldResult ConstantOfShapeOp::fold(FoldAdaptor ad) {
  auto rt = staticType(getResult());
  if (!rt || !intsOf(ad.getInput()))
    return {};
  Attribute v = Builder(getContext()).getZeroAttr(rt.getElementType());
  if (auto value = getValue()) {
    auto dense = dyn_cast<DenseElementsAttr>(*value);
    if (!dense || dense.getElementType() != rt.getElementType())
      return {};
    v = dense.getSplatValue<Attribute>();
  }
  return DenseElementsAttr::get(rt, v);
}

OpFoldResult RangeOp::fold(FoldAdaptor ad) {
  auto rt = staticType(getResult());
  auto s = intsOf(ad.getStart()), l = intsOf(ad.getLimit()), d = intsOf(ad.getDelta());
  if (!rt || !s || !l || !d || (*d)[0] == 0)
    return {};
  SmallVector<int64_t> out;
  for (int64_t v = (*s)[0]; (*d)[0] > 0 ? v < (*l)[0] : v > (*l)[0]; v += (*d)[0])
    out.push_back(v);
  return intsAttr(rt, out);
}

LogicalResult RangeOp::inferShapes() {
  Type elem = getElementTypeOrNull(getStart());
  auto s = getConstantInts(getStart()), l = getConstantInts(getLimit()),
       d = getConstantInts(getDelta());
  if (s && l && d && (*d)[0] != 0) {
    int64_t n = std::max<int64_t>(0, ((*l)[0] - (*s)[0] + (*d)[0] - ((*d)[0] > 0 ? 1 : -1)) / (*d)[0]);
    setResultType(*this, 0, ArrayRef<int64_t>{n}, elem);
  } else {
    setResultType(*this, 0, ArrayRef<int64_t>{kDyn}, elem);
  }
  return success();
}

} // namespace onnxc::onnx
