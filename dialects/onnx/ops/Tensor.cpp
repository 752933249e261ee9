//===- Tensor.cpp - onnx tensor ops: shapes and verifiers -----------------===//
//
// Shape-manipulating ops. Where an op takes its target shape from a tensor
// operand (Reshape, Expand, Slice, ...), the static shape is known only if
// that operand is a constant; otherwise the rank (or nothing) is known.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/DataType.h"
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

using namespace mlir;

namespace onnxc::onnx {

LogicalResult IdentityOp::inferShapes() {
  getResult().setType(getInput().getType());
  return success();
}

LogicalResult CastOp::inferShapes() {
  Type elem = getElementType(getContext(), int64_t(getTo()));
  if (!elem)
    return emitOpError() << "'to' " << int64_t(getTo())
                         << " is not a supported data type";
  setResultType(*this, 0, getShape(getInput()), elem);
  return success();
}

LogicalResult CastLikeOp::inferShapes() {
  setResultType(*this, 0, onnx::getShape(getInput()), getElementTypeOrNull(getTargetType()));
  return success();
}

LogicalResult ReshapeOp::inferShapes() {
  Type elem = getElementTypeOrNull(getData());
  auto target = getConstantInts(getShape());
  auto in = onnx::getShape(getData());
  if (!target) {
    auto ts = onnx::getShape(getShape());
    if (ts && ts->size() == 1 && (*ts)[0] != kDyn)
      setResultType(*this, 0, ArrayRef<int64_t>(Shape((*ts)[0], kDyn)), elem);
    else
      setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  Shape out;
  int64_t known = 1, inferIdx = -1;
  for (auto [i, d] : llvm::enumerate(*target)) {
    if (d == 0 && !getAllowzero()) {
      if (!in || i >= in->size())
        return emitOpError() << "shape dim " << i << " is 0 (copy) but the input has no such dim";
      d = (*in)[i];
    }
    if (d == -1) {
      if (inferIdx >= 0)
        return emitOpError("shape has more than one -1");
      inferIdx = i;
    } else if (d < -1) {
      return emitOpError() << "shape dim " << i << " is " << d;
    } else if (d != kDyn) {
      known *= d;
    }
    out.push_back(d);
  }
  if (inferIdx >= 0) {
    int64_t total = 1;
    bool dyn = !in;
    if (in)
      for (int64_t d : *in)
        d == kDyn ? dyn = true : total *= d;
    bool outDyn = llvm::is_contained(out, kDyn);
    if (dyn || outDyn || known == 0)
      out[inferIdx] = kDyn;
    else if (total % known)
      return emitOpError() << "cannot reshape " << total << " elements into a multiple of " << known;
    else
      out[inferIdx] = total / known;
  }
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

LogicalResult ShapeOp::inferShapes() {
  auto in = onnx::getShape(getData());
  Type i64 = IntegerType::get(getContext(), 64);
  if (!in) {
    setResultType(*this, 0, ArrayRef<int64_t>{kDyn}, i64);
    return success();
  }
  int64_t rank = in->size();
  auto clamp = [&](int64_t x) {
    if (x < 0)
      x += rank;
    return std::clamp<int64_t>(x, 0, rank);
  };
  int64_t start = clamp(int64_t(getStart()));
  int64_t end = getEnd() ? clamp(int64_t(*getEnd())) : rank;
  setResultType(*this, 0, ArrayRef<int64_t>{std::max<int64_t>(0, end - start)}, i64);
  return success();
}

LogicalResult SizeOp::inferShapes() {
  setResultType(*this, 0, ArrayRef<int64_t>{}, IntegerType::get(getContext(), 64));
  return success();
}

static SmallVector<int64_t> permOrReverse(std::optional<ArrayRef<int64_t>> perm,
                                          int64_t rank) {
  if (perm)
    return SmallVector<int64_t>(*perm);
  SmallVector<int64_t> p;
  for (int64_t i = rank - 1; i >= 0; --i)
    p.push_back(i);
  return p;
}

LogicalResult TransposeOp::verify() {
  auto in = onnx::getShape(getData());
  if (!in || !getPerm())
    return success();
  auto perm = *getPerm();
  if (perm.size() != in->size())
    return emitOpError() << "'perm' has " << perm.size()
                         << " entries for rank " << in->size();
  SmallVector<bool> seen(perm.size());
  for (int64_t p : perm) {
    if (p < 0 || p >= int64_t(perm.size()) || seen[p])
      return emitOpError("'perm' is not a permutation");
    seen[p] = true;
  }
  return success();
}

LogicalResult TransposeOp::inferShapes() {
  auto in = onnx::getShape(getData());
  Type elem = getElementTypeOrNull(getData());
  if (!in) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  Shape out;
  for (int64_t p : permOrReverse(getPerm(), in->size()))
    out.push_back((*in)[p]);
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

LogicalResult ConcatOp::verify() {
  if (getInputs().empty())
    return emitOpError("needs at least one input");
  std::optional<size_t> rank;
  for (Value v : getInputs()) {
    auto s = onnx::getShape(v);
    if (!s)
      continue;
    if (rank && *rank != s->size())
      return emitOpError("inputs have different ranks");
    rank = s->size();
  }
  if (rank && !normalizeAxis(int64_t(getAxis()), *rank))
    return emitOpError() << "'axis' " << int64_t(getAxis())
                         << " out of range for rank " << *rank;
  return success();
}

LogicalResult ConcatOp::inferShapes() {
  Type elem = getElementTypeOrNull(getInputs()[0]);
  std::optional<Shape> out;
  int64_t axis = 0;
  for (Value v : getInputs()) {
    auto s = onnx::getShape(v);
    if (!s) {
      setResultType(*this, 0, std::nullopt, elem);
      return success();
    }
    if (!out) {
      out = *s;
      auto a = normalizeAxis(int64_t(getAxis()), s->size());
      if (!a)
        return emitOpError() << "'axis' " << int64_t(getAxis())
                             << " out of range for rank " << s->size();
      axis = *a;
      continue;
    }
    for (size_t i = 0; i < s->size(); ++i) {
      int64_t &o = (*out)[i];
      if (int64_t(i) == axis)
        o = (o == kDyn || (*s)[i] == kDyn) ? kDyn : o + (*s)[i];
      else if (o == kDyn)
        o = (*s)[i];
      else if ((*s)[i] != kDyn && (*s)[i] != o)
        return emitOpError() << "inputs differ in dim " << i << ": " << o
                             << " vs " << (*s)[i];
    }
  }
  setResultType(*this, 0, ArrayRef<int64_t>(*out), elem);
  return success();
}

LogicalResult GatherOp::verify() {
  auto in = onnx::getShape(getData());
  if (in && !normalizeAxis(int64_t(getAxis()), in->size()))
    return emitOpError() << "'axis' " << int64_t(getAxis())
                         << " out of range for rank " << in->size();
  return success();
}

LogicalResult GatherOp::inferShapes() {
  auto in = onnx::getShape(getData());
  auto idx = onnx::getShape(getIndices());
  Type elem = getElementTypeOrNull(getData());
  if (!in || !idx) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  auto a = normalizeAxis(int64_t(getAxis()), in->size());
  if (!a)
    return emitOpError() << "'axis' " << int64_t(getAxis())
                         << " out of range for rank " << in->size();
  int64_t axis = *a;
  Shape out(in->begin(), in->begin() + axis);
  out.append(idx->begin(), idx->end());
  out.append(in->begin() + axis + 1, in->end());
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

LogicalResult GatherElementsOp::inferShapes() {
  auto in = onnx::getShape(getData());
  if (in && !normalizeAxis(int64_t(getAxis()), in->size()))
    return emitOpError() << "'axis' " << int64_t(getAxis()) << " out of range for rank "
                         << in->size();
  setResultType(*this, 0, onnx::getShape(getIndices()), getElementTypeOrNull(getData()));
  return success();
}

LogicalResult SliceOp::inferShapes() {
  auto in = onnx::getShape(getData());
  Type elem = getElementTypeOrNull(getData());
  if (!in) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  int64_t rank = in->size();
  auto starts = getConstantInts(getStarts()), ends = getConstantInts(getEnds());
  std::optional<SmallVector<int64_t>> axes, steps;
  if (!isNone(getAxes()))
    axes = getConstantInts(getAxes());
  if (!isNone(getSteps()))
    steps = getConstantInts(getSteps());
  if (!starts || !ends || (!isNone(getAxes()) && !axes) ||
      (!isNone(getSteps()) && !steps)) {
    // Sliced dims unknown; rank is kept.
    setResultType(*this, 0, ArrayRef<int64_t>(Shape(rank, kDyn)), elem);
    return success();
  }
  if (starts->size() != ends->size())
    return emitOpError("'starts' and 'ends' differ in length");
  Shape out = *in;
  for (size_t i = 0; i < starts->size(); ++i) {
    int64_t a = axes ? (*axes)[i] : int64_t(i);
    auto axis = normalizeAxis(a, rank);
    if (!axis)
      return emitOpError() << "axis " << a << " out of range for rank " << rank;
    int64_t step = steps ? (*steps)[i] : 1;
    if (step == 0)
      return emitOpError("step 0");
    int64_t dim = (*in)[*axis];
    if (dim == kDyn) {
      out[*axis] = kDyn;
      continue;
    }
    auto clampIdx = [&](int64_t v, bool isEnd) {
      if (v < 0)
        v += dim;
      if (step > 0)
        return std::clamp<int64_t>(v, 0, dim);
      return std::clamp<int64_t>(v, -1, dim - 1);
    };
    int64_t s = clampIdx((*starts)[i], false), e = clampIdx((*ends)[i], true);
    int64_t n = step > 0 ? (e - s + step - 1) / step : (s - e - step - 1) / -step;
    out[*axis] = std::max<int64_t>(0, n);
  }
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

LogicalResult SqueezeOp::inferShapes() {
  auto in = onnx::getShape(getData());
  Type elem = getElementTypeOrNull(getData());
  if (!in) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  int64_t rank = in->size();
  SmallVector<bool> drop(rank, false);
  if (isNone(getAxes())) {
    for (int64_t i = 0; i < rank; ++i) {
      if ((*in)[i] == kDyn) {
        setResultType(*this, 0, std::nullopt, elem);
        return success();
      }
      drop[i] = (*in)[i] == 1;
    }
  } else {
    auto axes = getConstantInts(getAxes());
    if (!axes) {
      setResultType(*this, 0, std::nullopt, elem);
      return success();
    }
    for (int64_t a : *axes) {
      auto axis = normalizeAxis(a, rank);
      if (!axis)
        return emitOpError() << "axis " << a << " out of range for rank " << rank;
      if ((*in)[*axis] != 1 && (*in)[*axis] != kDyn)
        return emitOpError() << "cannot squeeze dim " << *axis << " of size " << (*in)[*axis];
      drop[*axis] = true;
    }
  }
  Shape out;
  for (int64_t i = 0; i < rank; ++i)
    if (!drop[i])
      out.push_back((*in)[i]);
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

LogicalResult UnsqueezeOp::inferShapes() {
  auto in = onnx::getShape(getData());
  auto axes = getConstantInts(getAxes());
  Type elem = getElementTypeOrNull(getData());
  if (!in || !axes) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  int64_t rank = in->size() + axes->size();
  SmallVector<bool> isNew(rank, false);
  for (int64_t a : *axes) {
    auto axis = normalizeAxis(a, rank);
    if (!axis || isNew[*axis])
      return emitOpError() << "bad or repeated axis " << a << " for output rank " << rank;
    isNew[*axis] = true;
  }
  Shape out;
  size_t j = 0;
  for (int64_t i = 0; i < rank; ++i)
    out.push_back(isNew[i] ? 1 : (*in)[j++]);
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

LogicalResult ExpandOp::inferShapes() {
  auto in = onnx::getShape(getInput());
  auto target = getConstantInts(getShape());
  Type elem = getElementTypeOrNull(getInput());
  if (!in || !target) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  auto out = broadcastShapes(*in, *target);
  if (!out)
    return emitOpError("shape is not broadcast-compatible with the input");
  setResultType(*this, 0, ArrayRef<int64_t>(*out), elem);
  return success();
}

LogicalResult TileOp::inferShapes() {
  auto in = onnx::getShape(getInput());
  auto reps = getConstantInts(getRepeats());
  Type elem = getElementTypeOrNull(getInput());
  if (!in) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  Shape out = *in;
  if (reps && reps->size() != in->size())
    return emitOpError("'repeats' length differs from the input rank");
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = (!reps || out[i] == kDyn) ? kDyn : out[i] * (*reps)[i];
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

std::optional<SmallVector<int64_t>> fullRankPads(PadOp op, int64_t rank) {
  auto pads = getConstantInts(op.getPads());
  if (!pads || isNone(op.getAxes()))
    return pads;
  auto axes = getConstantInts(op.getAxes());
  if (!axes || pads->size() != 2 * axes->size())
    return std::nullopt;
  SmallVector<int64_t> full(2 * rank, 0);
  for (auto [i, a] : llvm::enumerate(*axes)) {
    auto axis = normalizeAxis(a, rank);
    if (!axis)
      return std::nullopt;
    full[*axis] = (*pads)[i];
    full[*axis + rank] = (*pads)[i + axes->size()];
  }
  return full;
}

LogicalResult PadOp::inferShapes() {
  auto in = onnx::getShape(getData());
  Type elem = getElementTypeOrNull(getData());
  if (!in) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  size_t rank = in->size();
  auto pads = fullRankPads(*this, rank);
  if (!isNone(getAxes()) && !pads && getConstantInts(getPads()))
    return emitOpError() << "'pads' and 'axes' do not match (2 pads per axis, axes within rank " << rank << ")";
  if (pads && pads->size() != 2 * rank)
    return emitOpError() << "'pads' has " << pads->size() << " entries for rank " << rank;
  Shape out = *in;
  for (size_t i = 0; i < rank; ++i)
    out[i] = (!pads || out[i] == kDyn) ? kDyn : out[i] + (*pads)[i] + (*pads)[i + rank];
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

/// CenterCropPad: the listed axes (all by default) take the constant target
/// sizes.
LogicalResult CenterCropPadOp::inferShapes() {
  auto in = onnx::getShape(getInputData());
  auto target = getConstantInts(getShape());
  Type elem = getElementTypeOrNull(getInputData());
  if (!in || !target) {
    setResultType(*this, 0, in ? std::optional<ArrayRef<int64_t>>(Shape(in->size(), kDyn)) : std::nullopt, elem);
    return success();
  }
  int64_t rank = in->size();
  SmallVector<int64_t> axes;
  if (auto a = getAxes())
    axes.assign(a->begin(), a->end());
  else
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  if (axes.size() != target->size())
    return emitOpError() << "'shape' has " << target->size() << " sizes for " << axes.size() << " axes";
  Shape out = *in;
  for (auto [a, t] : llvm::zip(axes, *target)) {
    auto axis = normalizeAxis(a, rank);
    if (!axis || t < 0)
      return emitOpError() << "axis " << a << " or size " << t << " out of range";
    out[*axis] = t;
  }
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

LogicalResult SplitOp::inferShapes() {
  auto in = onnx::getShape(getInput());
  Type elem = getElementTypeOrNull(getInput());
  unsigned n = getNumResults();
  if (!in) {
    for (unsigned i = 0; i < n; ++i)
      setResultType(*this, i, std::nullopt, elem);
    return success();
  }
  auto axis = normalizeAxis(int64_t(getAxis()), in->size());
  if (!axis)
    return emitOpError() << "'axis' " << int64_t(getAxis()) << " out of range for rank "
                         << in->size();
  if (auto k = getNumOutputs(); k && int64_t(*k) != int64_t(n))
    return emitOpError() << "num_outputs " << int64_t(*k) << " but " << n << " outputs";
  int64_t dim = (*in)[*axis];
  SmallVector<int64_t> sizes;
  if (!isNone(getSplit())) {
    auto split = getConstantInts(getSplit());
    if (split && split->size() != n)
      return emitOpError() << "'split' has " << split->size() << " entries for " << n
                           << " outputs";
    if (split)
      sizes = *split;
    else
      sizes.assign(n, kDyn);
  } else if (dim != kDyn) {
    // Equal parts; the last may be smaller (opset 18 semantics, a superset).
    int64_t part = (dim + n - 1) / n;
    for (unsigned i = 0; i < n; ++i)
      sizes.push_back(std::min<int64_t>(part, std::max<int64_t>(0, dim - part * i)));
  } else {
    sizes.assign(n, kDyn);
  }
  for (unsigned i = 0; i < n; ++i) {
    Shape out = *in;
    out[*axis] = sizes[i];
    setResultType(*this, i, ArrayRef<int64_t>(out), elem);
  }
  return success();
}

/// DepthToSpace / SpaceToDepth move blocksize^2 between C and H, W.
static LogicalResult inferBlockShuffle(Operation *op, Value input, int64_t bs, bool toSpace) {
  auto in = onnx::getShape(input);
  Type elem = getElementTypeOrNull(input);
  if (!in || in->size() != 4) {
    setResultType(op, 0, std::nullopt, elem);
    return success();
  }
  if (bs <= 0)
    return op->emitOpError() << "'blocksize' must be positive, got " << bs;
  auto scale = [&](int64_t v, bool up) {
    return v == kDyn ? kDyn : (up ? v * bs : v / bs);
  };
  Shape out = *in;
  out[1] = toSpace ? ((*in)[1] == kDyn ? kDyn : (*in)[1] / (bs * bs))
                   : ((*in)[1] == kDyn ? kDyn : (*in)[1] * bs * bs);
  out[2] = scale((*in)[2], toSpace);
  out[3] = scale((*in)[3], toSpace);
  setResultType(op, 0, ArrayRef<int64_t>(out), elem);
  return success();
}
LogicalResult DepthToSpaceOp::inferShapes() {
  return inferBlockShuffle(*this, getInput(), int64_t(getBlocksize()), true);
}
LogicalResult SpaceToDepthOp::inferShapes() {
  return inferBlockShuffle(*this, getInput(), int64_t(getBlocksize()), false);
}

LogicalResult EyeLikeOp::inferShapes() {
  Type elem = getElementTypeOrNull(getInput());
  if (auto dt = getDtype())
    elem = getElementType(getContext(), int64_t(*dt));
  setResultType(*this, 0, onnx::getShape(getInput()), elem);
  return success();
}

LogicalResult WhereOp::inferShapes() {
  std::optional<Shape> shape = Shape{};
  for (Value v : getOperands()) {
    auto s = onnx::getShape(v);
    if (!s) {
      shape.reset();
      break;
    }
    shape = broadcastShapes(*shape, *s);
    if (!shape)
      return emitOpError("operands are not broadcast-compatible");
  }
  setResultType(*this, 0, shape, getElementTypeOrNull(getX()));
  return success();
}

} // namespace onnxc::onnx
