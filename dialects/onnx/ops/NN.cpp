//===- NN.cpp - onnx nn ops: shapes and verifiers -------------------------===//
//
// Window ops (Conv, pools) share one output-size rule (ShapeHelper);
// kernel shapes come from the attribute or, for Conv, from W.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

using namespace mlir;

namespace onnxc::onnx {

/// Shape of a window op's first result; `outChannels` kDyn keeps C.
static LogicalResult inferWindow(Operation *op, Value x, int64_t outChannels,
                                 ArrayRef<int64_t> kernel,
                                 std::optional<ArrayRef<int64_t>> strides,
                                 std::optional<ArrayRef<int64_t>> dilations,
                                 std::optional<ArrayRef<int64_t>> pads,
                                 StringRef autoPad, bool ceilMode,
                                 unsigned numResults = 1) {
  auto in = getShape(x);
  Type elem = getElementTypeOrNull(x);
  if (!in) {
    setResultType(op, 0, std::nullopt, elem);
    return success();
  }
  size_t n = kernel.size();
  if (in->size() != n + 2)
    return op->emitOpError() << "input rank " << in->size()
                             << " does not match " << n
                             << " spatial kernel dims";
  auto s = orOnes(strides, n), d = orOnes(dilations, n);
  SmallVector<int64_t> p;
  if (!resolvePads(autoPad, ArrayRef(*in).drop_front(2), kernel, s, d, pads, p))
    return op->emitOpError() << "bad 'pads'/'auto_pad' (auto_pad '" << autoPad
                             << "')";
  Shape out = windowOutputShape(*in, outChannels == kDyn ? (*in)[1] : outChannels,
                                kernel, s, d, p, ceilMode);
  for (unsigned i = 0; i < numResults; ++i)
    if (!isa<NoneType>(op->getResult(i).getType()))
      setResultType(op, i, ArrayRef<int64_t>(out),
                    i == 0 ? elem : IntegerType::get(op->getContext(), 64));
  return success();
}

LogicalResult ConvOp::verify() {
  auto x = getShape(getX()), w = getShape(getW());
  if (w && w->size() < 3)
    return emitOpError("W must have rank >= 3");
  if (x && w && x->size() != w->size())
    return emitOpError() << "X rank " << x->size() << " differs from W rank "
                         << w->size();
  int64_t group = int64_t(getGroup());
  if (group < 1)
    return emitOpError() << "'group' must be >= 1, got " << group;
  if (x && w && (*x)[1] != kDyn && (*w)[1] != kDyn &&
      (*x)[1] != (*w)[1] * group)
    return emitOpError() << "input channels " << (*x)[1]
                         << " != W channels " << (*w)[1] << " x group "
                         << group;
  if (auto k = getKernelShape(); k && w && k->size() + 2 != w->size())
    return emitOpError("'kernel_shape' does not match W");
  return success();
}

/// Conv's shape rule: W's kernel (or kernel_shape) slid over X.
template <typename OpTy>
static LogicalResult inferConvWindow(OpTy op, StringRef autoPad) {
  auto w = getShape(op.getW());
  if (!w) {
    setResultType(op, 0, std::nullopt, getElementTypeOrNull(op.getX()));
    return success();
  }
  SmallVector<int64_t> kernel(ArrayRef(*w).drop_front(2));
  if (auto k = op.getKernelShape())
    kernel.assign(k->begin(), k->end());
  return inferWindow(op, op.getX(), (*w)[0], kernel, op.getStrides(), op.getDilations(), op.getPads(),
                     autoPad, false);
}

LogicalResult ConvOp::inferShapes() { return inferConvWindow(*this, getAutoPad()); }

/// DeformConv: Conv's rule, explicit pads only.
LogicalResult DeformConvOp::inferShapes() { return inferConvWindow(*this, "NOTSET"); }

/// ConvInteger/QLinearConv: Conv's shape rule with the result's element type.
template <typename OpTy>
static LogicalResult inferIntegerConv(OpTy op, Type elem) {
  auto w = getShape(op.getW());
  if (!w) {
    setResultType(op, 0, std::nullopt, elem);
    return success();
  }
  if (w->size() < 3)
    return op.emitOpError("w must have rank >= 3");
  SmallVector<int64_t> kernel(ArrayRef(*w).drop_front(2));
  if (auto k = op.getKernelShape())
    kernel.assign(k->begin(), k->end());
  if (failed(inferWindow(op, op.getX(), (*w)[0], kernel, op.getStrides(), op.getDilations(),
                         op.getPads(), op.getAutoPad(), false)))
    return failure();
  setResultType(op, 0, getShape(op.getY()), elem);
  return success();
}
LogicalResult ConvIntegerOp::inferShapes() {
  return inferIntegerConv(*this, IntegerType::get(getContext(), 32));
}
LogicalResult QLinearConvOp::inferShapes() {
  return inferIntegerConv(*this, getElementTypeOrNull(getYZeroPoint()));
}

/// Resolved begin/end pads of a ConvTranspose (explicit, auto_pad, or
/// derived from output_shape), or failure for a malformed node.
LogicalResult convTransposePads(ConvTransposeOp op, ArrayRef<int64_t> in,
                                ArrayRef<int64_t> kernel, SmallVectorImpl<int64_t> &pads) {
  size_t n = kernel.size();
  auto s = orOnes(op.getStrides(), n), d = orOnes(op.getDilations(), n);
  SmallVector<int64_t> outPad(n, 0);
  if (auto p = op.getOutputPadding(); p && p->size() == n)
    outPad.assign(p->begin(), p->end());
  pads.assign(2 * n, 0);
  if (auto p = op.getPads()) {
    if (p->size() != 2 * n)
      return op.emitOpError("'pads' must have two entries per spatial dim");
    pads.assign(p->begin(), p->end());
  }
  StringRef autoPad = op.getAutoPad();
  auto outShape = op.getOutputShape();
  if (outShape || autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (size_t i = 0; i < n; ++i) {
      if (in[i] == kDyn)
        return failure();
      int64_t target = outShape ? (*outShape)[outShape->size() - n + i] : in[i] * s[i];
      int64_t total = s[i] * (in[i] - 1) + outPad[i] + (kernel[i] - 1) * d[i] + 1 - target;
      bool upper = autoPad != "SAME_LOWER";
      pads[i] = upper ? total / 2 : total - total / 2;
      pads[i + n] = total - pads[i];
    }
  }
  return success();
}

LogicalResult ConvTransposeOp::inferShapes() {
  auto x = getShape(getX()), w = getShape(getW());
  Type elem = getElementTypeOrNull(getX());
  if (!x || !w || w->size() < 3 || x->size() != w->size()) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  size_t n = w->size() - 2;
  SmallVector<int64_t> kernel(ArrayRef(*w).drop_front(2));
  if (auto k = getKernelShape(); k && k->size() == n)
    kernel.assign(k->begin(), k->end());
  SmallVector<int64_t> pads;
  if (failed(convTransposePads(*this, ArrayRef(*x).drop_front(2), kernel, pads)))
    return failure();
  auto s = orOnes(getStrides(), n), d = orOnes(getDilations(), n);
  SmallVector<int64_t> outPad(n, 0);
  if (auto p = getOutputPadding(); p && p->size() == n)
    outPad.assign(p->begin(), p->end());
  Shape out{(*x)[0], (*w)[1] * int64_t(getGroup())};
  for (size_t i = 0; i < n; ++i) {
    int64_t in = (*x)[2 + i];
    out.push_back(in == kDyn ? kDyn
                             : s[i] * (in - 1) + outPad[i] + (kernel[i] - 1) * d[i] + 1 -
                                   pads[i] - pads[i + n]);
  }
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

LogicalResult MaxPoolOp::inferShapes() {
  return inferWindow(*this, getX(), kDyn, getKernelShape(), getStrides(),
                     getDilations(), getPads(), getAutoPad(),
                     getCeilMode() != 0, 2);
}

LogicalResult AveragePoolOp::inferShapes() {
  return inferWindow(*this, getX(), kDyn, getKernelShape(), getStrides(),
                     getDilations(), getPads(), getAutoPad(), getCeilMode() != 0);
}

LogicalResult LpPoolOp::inferShapes() {
  return inferWindow(*this, getX(), kDyn, getKernelShape(), getStrides(),
                     getDilations(), getPads(), getAutoPad(), getCeilMode() != 0);
}

static LogicalResult inferGlobalPool(Operation *op) {
  Value x = op->getOperand(0);
  auto in = getShape(x);
  if (in) {
    if (in->size() < 2)
      return op->emitOpError("input must have rank >= 2");
    for (size_t i = 2; i < in->size(); ++i)
      (*in)[i] = 1;
  }
  setResultType(op, 0, in, getElementTypeOrNull(x));
  return success();
}
LogicalResult GlobalAveragePoolOp::inferShapes() { return inferGlobalPool(*this); }
LogicalResult GlobalMaxPoolOp::inferShapes() { return inferGlobalPool(*this); }

LogicalResult BatchNormalizationOp::inferShapes() {
  setResultType(*this, 0, getShape(getX()), getElementTypeOrNull(getX()));
  for (unsigned i = 1; i < 3; ++i)
    if (!isa<NoneType>(getResult(i).getType()))
      setResultType(*this, i, getShape(getScale()),
                    getElementTypeOrNull(getScale()));
  return success();
}

LogicalResult DropoutOp::inferShapes() {
  setResultType(*this, 0, getShape(getData()), getElementTypeOrNull(getData()));
  if (!isa<NoneType>(getMask().getType()))
    setResultType(*this, 1, getShape(getData()),
                  IntegerType::get(getContext(), 1));
  return success();
}

LogicalResult LayerNormalizationOp::inferShapes() {
  auto in = getShape(getX());
  Type elem = getElementTypeOrNull(getX());
  setResultType(*this, 0, in, elem);
  if (!in)
    return success();
  auto axis = normalizeAxis(int64_t(getAxis()), in->size());
  if (!axis)
    return emitOpError() << "'axis' " << int64_t(getAxis()) << " out of range for rank "
                         << in->size();
  Shape stats = *in;
  for (size_t i = *axis; i < stats.size(); ++i)
    stats[i] = 1;
  // Mean and InvStdDev use stash_type (float unless told otherwise).
  for (unsigned i = 1; i < 3; ++i)
    if (!isa<NoneType>(getResult(i).getType()))
      setResultType(*this, i, ArrayRef<int64_t>(stats), elem);
  return success();
}

/// Loss ops: per-element losses have the target's shape; reductions give a
/// scalar.
static LogicalResult inferLoss(Operation *op, Value input, Value target, StringRef reduction) {
  Type elem = getElementTypeOrNull(input);
  if (reduction == "none")
    setResultType(op, 0, getShape(target), elem);
  else if (reduction == "sum" || reduction == "mean")
    setResultType(op, 0, ArrayRef<int64_t>{}, elem);
  else
    return op->emitOpError() << "unknown reduction '" << reduction << "'";
  return success();
}

LogicalResult NegativeLogLikelihoodLossOp::inferShapes() {
  return inferLoss(*this, getInput(), getTarget(), getReduction());
}

LogicalResult SoftmaxCrossEntropyLossOp::inferShapes() {
  if (!isa<NoneType>(getLogProb().getType()))
    setResultType(*this, 1, getShape(getScores()), getElementTypeOrNull(getScores()));
  return inferLoss(*this, getScores(), getLabels(), getReduction());
}

LogicalResult FlattenOp::verify() {
  auto s = getShape(getInput());
  int64_t axis = int64_t(getAxis());
  if (s && (axis < -int64_t(s->size()) || axis > int64_t(s->size())))
    return emitOpError() << "'axis' " << axis << " out of range [-"
                         << s->size() << ", " << s->size() << "]";
  return success();
}

LogicalResult FlattenOp::inferShapes() {
  auto s = getShape(getInput());
  Type elem = getElementTypeOrNull(getInput());
  if (!s) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  int64_t rank = s->size(), axis = int64_t(getAxis());
  if (axis < 0)
    axis += rank;
  auto product = [&](int64_t b, int64_t e) {
    int64_t p = 1;
    for (int64_t i = b; i < e; ++i) {
      if ((*s)[i] == kDyn)
        return kDyn;
      p *= (*s)[i];
    }
    return p;
  };
  Shape out{product(0, axis), product(axis, rank)};
  setResultType(*this, 0, out, elem);
  return success();
}

/// GridSample (2-D): [N, C] of X, the output grid's [H_out, W_out].
/// Attention (opset 23): Y like Q with V's head size; present key/value
/// append the new keys to the past; qk_matmul_output [B, Hq, Sq, total].
LogicalResult AttentionOp::inferShapes() {
  auto q = getShape(getQ()), k = getShape(getK()), v = getShape(getV());
  Type elem = getElementTypeOrNull(getQ());
  if (!q || !k || !v || q->size() != k->size() || q->size() != v->size() || (q->size() != 3 && q->size() != 4)) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  bool fourD = q->size() == 4;
  int64_t b = (*q)[0];
  int64_t hq = fourD ? (*q)[1] : (getQNumHeads() ? int64_t(*getQNumHeads()) : kDyn);
  int64_t hkv = fourD ? (*k)[1] : (getKvNumHeads() ? int64_t(*getKvNumHeads()) : kDyn);
  if (!fourD && (hq == kDyn || hkv == kDyn || hq <= 0 || hkv <= 0))
    return emitOpError("3-D inputs need q_num_heads and kv_num_heads");
  int64_t sq = fourD ? (*q)[2] : (*q)[1], skv = fourD ? (*k)[2] : (*k)[1];
  int64_t dk = fourD ? (*k)[3] : ((*k)[2] == kDyn ? kDyn : (*k)[2] / hkv);
  int64_t dv = fourD ? (*v)[3] : ((*v)[2] == kDyn ? kDyn : (*v)[2] / hkv);
  int64_t past = 0;
  if (!isNone(getPastKey())) {
    auto pk = getShape(getPastKey());
    past = pk && pk->size() == 4 ? (*pk)[2] : kDyn;
  }
  int64_t total = skv == kDyn || past == kDyn ? kDyn : skv + past;
  if (fourD)
    setResultType(*this, 0, ArrayRef<int64_t>{b, hq, sq, dv}, elem);
  else
    setResultType(*this, 0, ArrayRef<int64_t>{b, sq, dv == kDyn ? kDyn : hq * dv}, elem);
  if (!isa<NoneType>(getPresentKey().getType()))
    setResultType(*this, 1, ArrayRef<int64_t>{b, hkv, total, dk}, elem);
  if (!isa<NoneType>(getPresentValue().getType()))
    setResultType(*this, 2, ArrayRef<int64_t>{b, hkv, total, dv}, getElementTypeOrNull(getV()));
  if (!isa<NoneType>(getQkMatmulOutput().getType()))
    setResultType(*this, 3, ArrayRef<int64_t>{b, hq, sq, total}, elem);
  return success();
}

/// AffineGrid: [N, H, W, 2] or [N, D, H, W, 3] from the constant size.
LogicalResult AffineGridOp::inferShapes() {
  Type elem = getElementTypeOrNull(getTheta());
  auto size = getConstantInts(getSize());
  if (!size) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  if (size->size() != 4 && size->size() != 5)
    return emitOpError() << "'size' must be [N, C, H, W] or [N, C, D, H, W], got " << size->size() << " values";
  Shape out{(*size)[0]};
  out.append(size->begin() + 2, size->end());
  out.push_back(int64_t(size->size()) - 2);
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

/// Col2Im: [N, C * prod(block), L] -> [N, C, image...].
LogicalResult Col2ImOp::inferShapes() {
  auto in = getShape(getInput());
  auto image = getConstantInts(getImageShape()), block = getConstantInts(getBlockShape());
  Type elem = getElementTypeOrNull(getInput());
  if (!in || !image || !block || in->size() != 3 || image->size() != block->size()) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  int64_t k = 1;
  for (int64_t b : *block)
    k *= b;
  Shape out{(*in)[0], (*in)[1] == kDyn || k <= 0 ? kDyn : (*in)[1] / k};
  out.append(image->begin(), image->end());
  setResultType(*this, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

LogicalResult RoiAlignOp::inferShapes() {
  auto x = getShape(getX()), r = getShape(getRois());
  Type elem = getElementTypeOrNull(getX());
  if (!x || !r || x->size() != 4 || r->size() != 2) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  setResultType(*this, 0,
                ArrayRef<int64_t>{(*r)[0], (*x)[1], int64_t(getOutputHeight()), int64_t(getOutputWidth())}, elem);
  return success();
}

LogicalResult GridSampleOp::inferShapes() {
  auto x = getShape(getX()), g = getShape(getGrid());
  Type elem = getElementTypeOrNull(getX());
  if (!x || !g) {
    setResultType(*this, 0, std::nullopt, elem);
    return success();
  }
  if (x->size() != 4 || g->size() != 4)
    return emitOpError() << "supports 2-D sampling: X and grid of rank 4, got " << x->size()
                         << " and " << g->size();
  if ((*g)[3] != kDyn && (*g)[3] != 2)
    return emitOpError() << "grid's last dim must be 2, got " << (*g)[3];
  setResultType(*this, 0, ArrayRef<int64_t>{(*x)[0], (*x)[1], (*g)[1], (*g)[2]}, elem);
  return success();
}

/// Resize/Upsample: constant sizes give the shape, constant scales
/// floor(in * scale); values computed at run time keep what the model
/// declares (checked at run time).
/// Scales/sizes hold one value per dim, or (Resize-18 axes) per listed axis.
static LogicalResult inferResize(Operation *op, Value x, Value scales, Value sizes,
                                 std::optional<ArrayRef<int64_t>> axesAttr = std::nullopt,
                                 StringRef policy = "stretch") {
  auto in = getShape(x);
  Type elem = getElementTypeOrNull(x);
  if (!in) {
    setResultType(op, 0, std::nullopt, elem);
    return success();
  }
  int64_t rank = in->size();
  SmallVector<int64_t> axes;
  if (axesAttr) {
    for (int64_t a : *axesAttr) {
      auto axis = normalizeAxis(a, rank);
      if (!axis)
        return op->emitOpError() << "axis " << a << " out of range for rank " << rank;
      axes.push_back(*axis);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  Shape out(*in);
  for (int64_t a : axes)
    out[a] = kDyn;
  if (sizes && !isNone(sizes)) {
    if (auto sz = getConstantInts(sizes); sz && !sz->empty()) {
      if (sz->size() != axes.size())
        return op->emitOpError() << "'sizes' has " << sz->size() << " values for " << axes.size() << " axes";
      for (auto [a, v] : llvm::zip(axes, *sz))
        out[a] = v;
      // keep_aspect_ratio_policy (18): one scale for all axes, the smallest
      // (not_larger) or largest (not_smaller) of sizes / in.
      if (policy != "stretch") {
        std::optional<double> keep;
        bool known = true;
        for (auto [a, v] : llvm::zip(axes, *sz)) {
          known &= (*in)[a] != kDyn;
          double r = double(v) / double((*in)[a]);
          keep = !keep ? r : policy == "not_larger" ? std::min(*keep, r) : std::max(*keep, r);
        }
        for (int64_t a : axes)
          out[a] = known ? int64_t(*keep * double((*in)[a]) + 0.5) : kDyn;
      }
    }
  }
  if (auto sc = isNone(scales) ? std::nullopt : getConstantFloats(scales); sc && !sc->empty()) {
    if (sc->size() != axes.size())
      return op->emitOpError() << "'scales' has " << sc->size() << " values for " << axes.size() << " axes";
    for (auto [a, v] : llvm::zip(axes, *sc))
      if ((*in)[a] != kDyn)
        out[a] = int64_t(std::floor(float((*in)[a]) * float(v))); // f32, as ORT
  }
  setResultType(op, 0, ArrayRef<int64_t>(out), elem);
  return success();
}
LogicalResult ResizeOp::inferShapes() {
  StringRef policy = getKeepAspectRatioPolicy();
  if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
    return emitOpError() << "keep_aspect_ratio_policy '" << policy
                         << "' is not stretch, not_larger or not_smaller";
  return inferResize(*this, getX(), getScales(), getSizes(), getAxes(), policy);
}
LogicalResult UpsampleOp::inferShapes() { return inferResize(*this, getX(), getScales(), Value()); }

} // namespace onnxc::onnx
