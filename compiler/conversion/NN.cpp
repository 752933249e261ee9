//===- NN.cpp - onnx nn ops -> linalg -------------------------------------===//
//
// 2-D Conv and pools map onto linalg's named NCHW ops after explicit
// tensor.pad (ceil_mode becomes extra end padding); grouped convolution uses
// the NGCHW form on expanded views. Inference BatchNormalization is a
// per-channel scale and shift.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

/// Pads the spatial dims of an NC... tensor with `value`.
Value padSpatial(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> low,
                 ArrayRef<int64_t> high, double value) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return x;
  auto t = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> lo{0, 0}, hi{0, 0};
  lo.append(low.begin(), low.end());
  hi.append(high.begin(), high.end());
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < t.getRank(); ++i)
    shape.push_back(t.isDynamicDim(i) ? ShapedType::kDynamic
                                      : t.getDimSize(i) + lo[i] + hi[i]);
  auto padded = RankedTensorType::get(shape, t.getElementType());
  Value pv = scalarConstant(b, loc, t.getElementType(), value);
  SmallVector<OpFoldResult> l, h;
  for (int64_t i = 0; i < t.getRank(); ++i) {
    l.push_back(b.getIndexAttr(lo[i]));
    h.push_back(b.getIndexAttr(hi[i]));
  }
  return tensor::PadOp::create(b, loc, padded, x, l, h, pv);
}

struct WindowParams {
  SmallVector<int64_t> kernel, strides, dilations, padLow, padHigh;
  SmallVector<int64_t> ceilExtra; // of padHigh: beyond the explicit pads
};

/// Resolves kernel/strides/dilations/pads of a 2-D window op with static
/// spatial input dims; ceil_mode adds end padding so windows fit exactly.
FailureOr<WindowParams> windowParams(Operation *op, RankedTensorType in,
                                     RankedTensorType out,
                                     ArrayRef<int64_t> kernel,
                                     std::optional<ArrayRef<int64_t>> strides,
                                     std::optional<ArrayRef<int64_t>> dilations,
                                     std::optional<ArrayRef<int64_t>> pads,
                                     StringRef autoPad) {
  size_t n = kernel.size();
  WindowParams p;
  p.kernel.assign(kernel.begin(), kernel.end());
  p.strides = onnx::orOnes(strides, n);
  p.dilations = onnx::orOnes(dilations, n);
  SmallVector<int64_t> all;
  for (size_t i = 0; i < n; ++i)
    if (in.isDynamicDim(2 + i))
      return failure();
  if (!onnx::resolvePads(autoPad, in.getShape().drop_front(2), p.kernel,
                         p.strides, p.dilations, pads, all))
    return failure();
  for (size_t i = 0; i < n; ++i) {
    p.padLow.push_back(all[i]);
    int64_t span = p.dilations[i] * (p.kernel[i] - 1) + 1;
    int64_t need = (out.getDimSize(2 + i) - 1) * p.strides[i] + span;
    int64_t have = in.getDimSize(2 + i) + all[i] + all[i + n];
    p.ceilExtra.push_back(std::max<int64_t>(0, need - have));
    p.padHigh.push_back(all[i + n] + p.ceilExtra.back());
  }
  return p;
}

/// Any-rank grouped convolution as one generic over
/// (n, g, f, o_1..o_k, c, k_1..k_k):
///   y[n, g*F+f, o] += x[n, g*C+c, o*s + k*d] * w[g*F+f, c, k]
/// on the already padded input.
Value genericConv(OpBuilder &b, Location loc, Value x, Value w, Value init,
                  RankedTensorType yType, int64_t groups, ArrayRef<int64_t> strides,
                  ArrayRef<int64_t> dilations) {
  MLIRContext *ctx = b.getContext();
  auto wt = cast<RankedTensorType>(w.getType());
  int64_t k = yType.getRank() - 2;
  int64_t fPer = wt.getDimSize(0) / groups, cPer = wt.getDimSize(1);
  // dims: 0 n, 1 g, 2 f, 3..3+k-1 o, 3+k c, 4+k.. kernel
  int64_t nd = 4 + 2 * k;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  AffineExpr n = d(0), g = d(1), f = d(2), c = d(3 + k);
  SmallVector<AffineExpr> xe{n, g * cPer + c}, we{g * fPer + f, c};
  for (int64_t i = 0; i < k; ++i) {
    AffineExpr o = d(3 + i), kk = d(4 + k + i);
    xe.push_back(o * strides[i] + kk * dilations[i]);
    we.push_back(kk);
  }
  SmallVector<utils::IteratorType> iters(nd, utils::IteratorType::parallel);
  for (int64_t i = 3 + k; i < nd; ++i)
    iters[i] = utils::IteratorType::reduction;
  // The g/f split of the output channel is not a projected permutation of
  // the output, so iterate g and f through a [G, F/G] view of y.
  SmallVector<AffineExpr> ye2{n, g, f};
  for (int64_t i = 0; i < k; ++i)
    ye2.push_back(d(3 + i));
  SmallVector<int64_t> yShape{yType.getDimSize(0), groups, fPer};
  for (int64_t i = 0; i < k; ++i)
    yShape.push_back(yType.getDimSize(2 + i));
  SmallVector<ReassociationIndices> re{{0}, {1, 2}};
  for (int64_t i = 0; i < k; ++i)
    re.push_back({3 + i});
  auto y2Type = RankedTensorType::get(yShape, yType.getElementType());
  Value init2 = tensor::ExpandShapeOp::create(b, loc, y2Type, init, re);
  Value y2 = linalg::GenericOp::create(
                 b, loc, TypeRange{y2Type}, ValueRange{x, w}, ValueRange{init2},
                 ArrayRef<AffineMap>{AffineMap::get(nd, 0, xe, ctx), AffineMap::get(nd, 0, we, ctx),
                                     AffineMap::get(nd, 0, ye2, ctx)},
                 iters,
                 [](OpBuilder &nb, Location l, ValueRange a) {
                   bool f = isa<FloatType>(a[0].getType());
                   Value p = f ? Value(arith::MulFOp::create(nb, l, a[0], a[1]))
                               : Value(arith::MulIOp::create(nb, l, a[0], a[1]));
                   Value s = f ? Value(arith::AddFOp::create(nb, l, a[2], p))
                               : Value(arith::AddIOp::create(nb, l, a[2], p));
                   linalg::YieldOp::create(nb, l, s);
                 })
                 .getResult(0);
  return tensor::CollapseShapeOp::create(b, loc, yType, y2, re);
}

/// Any-rank pooling window over (n, c, o..., k...); `window` gives the
/// kernel sizes only (its values are unused).
Value genericPool(OpBuilder &b, Location loc, Value x, Value init, RankedTensorType yType,
                  ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                  ArrayRef<int64_t> dilations, bool isMax) {
  MLIRContext *ctx = b.getContext();
  int64_t k = kernel.size(), nd = 2 + 2 * k;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> xe{d(0), d(1)}, ye{d(0), d(1)}, we;
  for (int64_t i = 0; i < k; ++i) {
    xe.push_back(d(2 + i) * strides[i] + d(2 + k + i) * dilations[i]);
    ye.push_back(d(2 + i));
    we.push_back(d(2 + k + i));
  }
  Value window = tensor::EmptyOp::create(b, loc, kernel, yType.getElementType());
  SmallVector<utils::IteratorType> iters(nd, utils::IteratorType::parallel);
  for (int64_t i = 2 + k; i < nd; ++i)
    iters[i] = utils::IteratorType::reduction;
  return linalg::GenericOp::create(
             b, loc, TypeRange{yType}, ValueRange{x, window}, ValueRange{init},
             ArrayRef<AffineMap>{AffineMap::get(nd, 0, xe, ctx), AffineMap::get(nd, 0, we, ctx),
                                 AffineMap::get(nd, 0, ye, ctx)},
             iters,
             [isMax](OpBuilder &nb, Location l, ValueRange a) {
               Value r = isMax ? Value(arith::MaximumFOp::create(nb, l, a[0], a[2]))
                               : Value(arith::AddFOp::create(nb, l, a[0], a[2]));
               linalg::YieldOp::create(nb, l, r);
             })
      .getResult(0);
}

} // namespace

FailureOr<Value> buildConv(OpBuilder &rw, Operation *op, Value xIn, Value w,
                           RankedTensorType rt, std::optional<ArrayRef<int64_t>> stridesAttr,
                           std::optional<ArrayRef<int64_t>> dilationsAttr,
                           std::optional<ArrayRef<int64_t>> pads, StringRef autoPad,
                           int64_t g) {
  auto xt = cast<RankedTensorType>(xIn.getType());
  auto wt = cast<RankedTensorType>(w.getType());
  Location loc = op->getLoc();
  auto wp = windowParams(op, xt, rt, wt.getShape().drop_front(2), stridesAttr,
                         dilationsAttr, pads, autoPad);
  if (failed(wp)) {
    op->emitOpError("needs static spatial dims and valid pads");
    return failure();
  }
  Value x = padSpatial(rw, loc, xIn, wp->padLow, wp->padHigh, 0.0);
  Type elem = rt.getElementType();
  Value init = filled(rw, loc, rt, xIn, 0.0);
  auto strides = rw.getI64TensorAttr(wp->strides);
  auto dil = rw.getI64TensorAttr(wp->dilations);
  if (xt.getRank() != 4)
    return genericConv(rw, loc, x, w, init, rt, g, wp->strides, wp->dilations);
  if (g == 1)
    return linalg::Conv2DNchwFchwOp::create(rw, loc, TypeRange{rt}, ValueRange{x, w},
                                            ValueRange{init}, strides, dil)
        .getResult(0);
  // N,C,H,W -> N,G,C/G,H,W ; F,C/G,kh,kw -> G,F/G,C/G,kh,kw.
  auto xpt = cast<RankedTensorType>(x.getType());
  int64_t c = xpt.getDimSize(1), f = wt.getDimSize(0);
  auto expand = [&](Value v, RankedTensorType t, SmallVector<int64_t> shape,
                    SmallVector<ReassociationIndices> re) {
    return tensor::ExpandShapeOp::create(
        rw, loc, RankedTensorType::get(shape, t.getElementType()), v, re);
  };
  Value xg = expand(x, xpt, {xpt.getDimSize(0), g, c / g, xpt.getDimSize(2), xpt.getDimSize(3)},
                    {{0}, {1, 2}, {3}, {4}});
  Value wg = expand(w, wt, {g, f / g, wt.getDimSize(1), wt.getDimSize(2), wt.getDimSize(3)},
                    {{0, 1}, {2}, {3}, {4}});
  auto ygt = RankedTensorType::get(
      {rt.getDimSize(0), g, f / g, rt.getDimSize(2), rt.getDimSize(3)}, elem);
  SmallVector<ReassociationIndices> re{{0}, {1, 2}, {3}, {4}};
  // Its own zero fill (not an expand_shape of `init`): CSE would share one
  // fill between convolutions of the same shape and bufferization copy it.
  Value yinit = ygt.hasStaticShape()
                    ? linalg::FillOp::create(
                          rw, loc, scalarConstant(rw, loc, elem, 0.0),
                          Value(tensor::EmptyOp::create(rw, loc, ygt.getShape(), elem)))
                          .getResult(0)
                    : Value(tensor::ExpandShapeOp::create(rw, loc, ygt, init, re));
  Value yg = linalg::Conv2DNgchwGfchwOp::create(rw, loc, TypeRange{ygt}, ValueRange{xg, wg},
                                                ValueRange{yinit}, strides, dil)
                 .getResult(0);
  return Value(tensor::CollapseShapeOp::create(rw, loc, rt, yg, re));
}

namespace {
struct ConvPattern : OpConversionPattern<onnx::ConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ConvOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    auto wt = dyn_cast<RankedTensorType>(ad.getW().getType());
    if (failed(rt) || !xt || !wt || !wt.hasStaticShape())
      return rw.notifyMatchFailure(op, "needs ranked X and static W");
    Location loc = op.getLoc();
    Type elem = rt->getElementType();
    auto conv = buildConv(rw, op, ad.getX(), ad.getW(), *rt, op.getStrides(), op.getDilations(),
                          op.getPads(), op.getAutoPad(), int64_t(op.getGroup()));
    if (failed(conv))
      return failure();
    Value y = *conv;
    if (!isa<NoneType>(ad.getB().getType())) {
      // Bias over channels: reshape B[F] to [F,1,1] so it broadcasts.
      auto bt = cast<RankedTensorType>(ad.getB().getType());
      SmallVector<int64_t> bShape{bt.getDimSize(0)};
      bShape.append(rt->getRank() - 2, 1);
      ReassociationIndices all;
      for (int64_t i = 0; i < rt->getRank() - 1; ++i)
        all.push_back(i);
      Value b3 = rt->getRank() == 2
                     ? ad.getB()
                     : Value(tensor::ExpandShapeOp::create(
                           rw, loc, RankedTensorType::get(bShape, elem), ad.getB(),
                           SmallVector<ReassociationIndices>{all}));
      y = buildElementwise(rw, loc, *rt, ValueRange{y, b3},
                           [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                             return arith::AddFOp::create(b, l, a[0], a[1]);
                           });
    }
    rw.replaceOp(op, y);
    return success();
  }
};

/// MaxPool that also returns the flat index (into the unpadded input, row-
/// or column-major per storage_order) of each window's first maximum.
std::pair<Value, Value> maxPoolWithIndices(OpBuilder &b, Location loc, Value xPadded, Value init,
                                           RankedTensorType xt, RankedTensorType yt,
                                           const WindowParams &wp, bool columnMajor) {
  MLIRContext *ctx = b.getContext();
  int64_t k = wp.kernel.size(), nd = 2 + 2 * k;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> xe{d(0), d(1)}, ye{d(0), d(1)}, we;
  for (int64_t i = 0; i < k; ++i) {
    xe.push_back(d(2 + i) * wp.strides[i] + d(2 + k + i) * wp.dilations[i]);
    ye.push_back(d(2 + i));
    we.push_back(d(2 + k + i));
  }
  Value window = tensor::EmptyOp::create(b, loc, wp.kernel, yt.getElementType());
  auto idxType = RankedTensorType::get(yt.getShape(), b.getI64Type());
  Value idxInit = filled(b, loc, idxType, Value(), 0.0);
  SmallVector<utils::IteratorType> iters(nd, utils::IteratorType::parallel);
  for (int64_t i = 2 + k; i < nd; ++i)
    iters[i] = utils::IteratorType::reduction;
  auto gen = linalg::GenericOp::create(
      b, loc, TypeRange{yt, idxType}, ValueRange{xPadded, window}, ValueRange{init, idxInit},
      ArrayRef<AffineMap>{AffineMap::get(nd, 0, xe, ctx), AffineMap::get(nd, 0, we, ctx),
                          AffineMap::get(nd, 0, ye, ctx), AffineMap::get(nd, 0, ye, ctx)},
      iters, [&](OpBuilder &nb, Location l, ValueRange a) {
        // Input coordinates: n, c, then o*s + k*d - pad per spatial dim.
        SmallVector<Value> pos;
        for (int64_t i = 0; i < 2; ++i)
          pos.push_back(linalg::IndexOp::create(nb, l, i));
        for (int64_t i = 0; i < k; ++i) {
          Value o = linalg::IndexOp::create(nb, l, 2 + i), kk = linalg::IndexOp::create(nb, l, 2 + k + i);
          Value p = arith::AddIOp::create(
              nb, l, arith::MulIOp::create(nb, l, o, arith::ConstantIndexOp::create(nb, l, wp.strides[i])),
              arith::MulIOp::create(nb, l, kk, arith::ConstantIndexOp::create(nb, l, wp.dilations[i])));
          pos.push_back(arith::SubIOp::create(nb, l, p, arith::ConstantIndexOp::create(nb, l, wp.padLow[i])));
        }
        // Row-major over (n, c, spatial...), or spatial dims reversed.
        SmallVector<int64_t> order{0, 1};
        for (int64_t i = 0; i < k; ++i)
          order.push_back(columnMajor ? 2 + k - 1 - i : 2 + i);
        Value flat = arith::ConstantIndexOp::create(nb, l, 0);
        for (int64_t dim : order)
          flat = arith::AddIOp::create(
              nb, l, arith::MulIOp::create(nb, l, flat, arith::ConstantIndexOp::create(nb, l, xt.getDimSize(dim))),
              pos[dim]);
        Value fi = arith::IndexCastOp::create(nb, l, nb.getI64Type(), flat);
        Value better = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, a[0], a[2]);
        linalg::YieldOp::create(nb, l, ValueRange{arith::SelectOp::create(nb, l, better, a[0], a[2]),
                                                  arith::SelectOp::create(nb, l, better, fi, a[3])});
      });
  return {gen.getResult(0), gen.getResult(1)};
}

/// MaxPool, AveragePool and LpPool: one window reduction over the padded
/// input (max, or sum of x or |x|^p) and the per-kind finish.
enum class PoolKind { Max, Average, Lp };

template <typename OpTy, PoolKind kind>
struct PoolPattern : OpConversionPattern<OpTy> {
  static constexpr bool isMax = kind == PoolKind::Max;
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    if (failed(rt) || !xt)
      return rw.notifyMatchFailure(op, "unranked");
    std::optional<ArrayRef<int64_t>> dil = op.getDilations();
    auto wp = windowParams(op, xt, *rt, op.getKernelShape(), op.getStrides(),
                           dil, op.getPads(), op.getAutoPad());
    if (failed(wp))
      return op.emitOpError("needs static spatial dims and valid pads");
    Location loc = op.getLoc();
    Type elem = rt->getElementType();
    double padV = isMax ? -std::numeric_limits<double>::infinity() : 0.0;
    Value x = padSpatial(rw, loc, ad.getX(), wp->padLow, wp->padHigh, padV);
    Value window = tensor::EmptyOp::create(rw, loc, wp->kernel, elem);
    auto strides = rw.getI64TensorAttr(wp->strides);
    auto dils = rw.getI64TensorAttr(wp->dilations);
    Value init = filled(rw, loc, *rt, ad.getX(), padV);
    Value y;
    bool is2d = xt.getRank() == 4;
    auto pool = [&](Value in, Value init0, RankedTensorType t, bool maxPool) -> Value {
      if (!is2d)
        return genericPool(rw, loc, in, init0, t, wp->kernel, wp->strides, wp->dilations, maxPool);
      if (maxPool)
        return linalg::PoolingNchwMaxOp::create(rw, loc, TypeRange{t}, ValueRange{in, window},
                                                ValueRange{init0}, strides, dils)
            .getResult(0);
      return linalg::PoolingNchwSumOp::create(rw, loc, TypeRange{t}, ValueRange{in, window},
                                              ValueRange{init0}, strides, dils)
          .getResult(0);
    };
    if constexpr (isMax) {
      bool wantIndices = op->getNumResults() > 1 && !isa<NoneType>(op->getResult(1).getType());
      if (!wantIndices) {
        y = pool(x, init, *rt, true);
        SmallVector<Value> res{y};
        if (op->getNumResults() > 1)
          res.push_back(onnx::NoValueOp::create(rw, loc));
        rw.replaceOp(op, res);
        return success();
      }
      auto it = dyn_cast<RankedTensorType>(op->getResult(1).getType());
      if (!xt.hasStaticShape() || !it)
        return op.emitOpError("the Indices output needs static shapes");
      auto [vals, idx] = maxPoolWithIndices(rw, loc, x, init, xt, *rt, *wp, op.getStorageOrder() != 0);
      rw.replaceOp(op, ValueRange{vals, idx});
      return success();
    } else if constexpr (kind == PoolKind::Lp) {
      // (sum over the window of |x|^p)^(1/p); the zero padding adds nothing.
      int64_t p = op.getP();
      if (p < 1)
        return op.emitOpError("needs p >= 1, got ") << p;
      Value pv = scalarConstant(rw, loc, elem, double(p));
      Value inv = scalarConstant(rw, loc, elem, 1.0 / double(p));
      auto powered = buildElementwise(
          rw, loc, cast<RankedTensorType>(x.getType()), ValueRange{x},
          [&](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
            Value m = math::AbsFOp::create(b, l, a[0]);
            if (p == 1)
              return m;
            if (p == 2)
              return arith::MulFOp::create(b, l, m, m);
            return math::PowFOp::create(b, l, m, pv);
          });
      Value sum = pool(powered, init, *rt, false);
      y = buildElementwise(rw, loc, *rt, ValueRange{sum},
                           [&](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                             if (p == 1)
                               return a[0];
                             if (p == 2)
                               return math::SqrtOp::create(b, l, a[0]);
                             return math::PowFOp::create(b, l, a[0], inv);
                           });
      rw.replaceOp(op, y);
      return success();
    } else {
      Value sum = pool(x, init, *rt, false);
      // Divisor: the window size, or the count of real (unpadded) inputs;
      // with count_include_pad, of the explicitly padded input (a window
      // that ceil_mode lets run past it counts only what lies inside).
      Value count;
      bool countPads = op.getCountIncludePad() != 0;
      if (countPads && llvm::all_of(wp->ceilExtra, [](int64_t e) { return e == 0; })) {
        int64_t k = 1;
        for (int64_t d : wp->kernel)
          k *= d;
        count = scalarConstant(rw, loc, elem, double(k));
        y = buildElementwise(rw, loc, *rt, ValueRange{sum},
                             [&](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                               return arith::DivFOp::create(b, l, a[0], count);
                             });
      } else {
        // Counts depend only on the spatial position: pool a 1x1xHxW ones.
        SmallVector<int64_t> onesShape{1, 1}, cntShape{1, 1}, lo, hi;
        for (int64_t i = 2; i < xt.getRank(); ++i) {
          size_t d = i - 2;
          int64_t explicitHigh = wp->padHigh[d] - wp->ceilExtra[d];
          onesShape.push_back(xt.getDimSize(i) +
                              (countPads ? wp->padLow[d] + explicitHigh : 0));
          cntShape.push_back(rt->getDimSize(i));
          lo.push_back(countPads ? 0 : wp->padLow[d]);
          hi.push_back(countPads ? wp->ceilExtra[d] : wp->padHigh[d]);
        }
        auto onesT = RankedTensorType::get(onesShape, elem);
        Value ones = filled(rw, loc, onesT, Value(), 1.0);
        Value onesP = padSpatial(rw, loc, ones, lo, hi, 0.0);
        auto cntT = RankedTensorType::get(cntShape, elem);
        Value cinit = filled(rw, loc, cntT, Value(), 0.0);
        Value cnt = pool(onesP, cinit, cntT, false);
        y = buildElementwise(rw, loc, *rt, ValueRange{sum, cnt},
                             [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                               return arith::DivFOp::create(b, l, a[0], a[1]);
                             });
      }
      rw.replaceOp(op, y);
      return success();
    }
  }
};

/// GlobalAveragePool / GlobalMaxPool: reduce every spatial dim to 1.
template <typename OpTy, bool isMax>
struct GlobalPoolPattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    if (failed(rt) || !xt)
      return rw.notifyMatchFailure(op, "unranked");
    Location loc = op.getLoc();
    MLIRContext *ctx = rw.getContext();
    int64_t rank = xt.getRank();
    Type elem = rt->getElementType();
    SmallVector<AffineExpr> outExprs{getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx)};
    for (int64_t i = 2; i < rank; ++i)
      outExprs.push_back(getAffineConstantExpr(0, ctx));
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::reduction);
    iters[0] = iters[1] = utils::IteratorType::parallel;
    double initV = isMax ? -std::numeric_limits<double>::infinity() : 0.0;
    Value init = filled(rw, loc, *rt, ad.getX(), initV);
    Value red = linalg::GenericOp::create(
                    rw, loc, TypeRange{*rt}, ValueRange{ad.getX()}, ValueRange{init},
                    ArrayRef<AffineMap>{rw.getMultiDimIdentityMap(rank),
                                        AffineMap::get(rank, 0, outExprs, ctx)},
                    iters,
                    [](OpBuilder &b, Location l, ValueRange a) {
                      Value r = isMax ? Value(arith::MaximumFOp::create(b, l, a[0], a[1]))
                                      : Value(arith::AddFOp::create(b, l, a[0], a[1]));
                      linalg::YieldOp::create(b, l, r);
                    })
                    .getResult(0);
    if constexpr (!isMax) {
      // Spatial size, static or read at run time.
      SmallVector<bool> spatial(rank, true);
      spatial[0] = spatial[1] = false;
      Value nf = elementCount(rw, loc, ad.getX(), spatial, elem);
      red = buildElementwise(rw, loc, *rt, ValueRange{red},
                             [&](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                               return arith::DivFOp::create(b, l, a[0], nf);
                             });
    }
    rw.replaceOp(op, red);
    return success();
  }
};

/// y = (x - mean) * scale / sqrt(var + eps) + B, per channel (dim 1).
struct BatchNormPattern : OpConversionPattern<onnx::BatchNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::BatchNormalizationOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    Location loc = op.getLoc();
    int64_t rank = rt->getRank();
    Type elem = rt->getElementType();
    // Per-channel operands [C] -> [C,1,...] so that they broadcast on dim 1.
    auto toChannel = [&](Value v) -> Value {
      auto t = cast<RankedTensorType>(v.getType());
      if (rank <= 2)
        return v;
      SmallVector<int64_t> shape{t.getDimSize(0)};
      shape.append(rank - 2, 1);
      SmallVector<ReassociationIndices> re{{}};
      for (int64_t i = 0; i < rank - 1; ++i)
        re[0].push_back(i);
      return tensor::ExpandShapeOp::create(rw, loc, RankedTensorType::get(shape, elem), v, re);
    };
    Value mean = toChannel(ad.getInputMean()), var = toChannel(ad.getInputVar());
    Value stats[2];
    if (op.getTrainingMode()) {
      // Statistics of this batch (population variance) normalize x; the
      // running statistics move towards them by (1 - momentum).
      SmallVector<bool> mask(rank, true);
      mask[1] = false;
      Value m = meanKeepDims(rw, loc, ad.getX(), mask);
      Value sq = buildElementwise(rw, loc, *rt, ValueRange{ad.getX(), m},
                                  [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                                    Value d = arith::SubFOp::create(b, l, a[0], a[1]);
                                    return arith::MulFOp::create(b, l, d, d);
                                  });
      Value v = meanKeepDims(rw, loc, sq, mask);
      double momentum = op.getMomentum().convertToFloat();
      auto ct = cast<RankedTensorType>(ad.getInputMean().getType());
      ReassociationIndices all;
      for (int64_t i = 0; i < rank; ++i)
        all.push_back(i);
      auto running = [&](Value old, Value batch) -> Value {
        Value flat = tensor::CollapseShapeOp::create(rw, loc, ct, batch, SmallVector<ReassociationIndices>{all});
        return buildElementwise(rw, loc, ct, ValueRange{old, flat},
                                [&](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
                                  Value o = arith::MulFOp::create(b, l, a[0], scalarConstant(b, l, t, momentum));
                                  Value n = arith::MulFOp::create(b, l, a[1], scalarConstant(b, l, t, 1 - momentum));
                                  return arith::AddFOp::create(b, l, o, n);
                                });
      };
      stats[0] = running(ad.getInputMean(), m);
      stats[1] = running(ad.getInputVar(), v);
      mean = m, var = v;
    }
    double eps = op.getEpsilon().convertToFloat();
    Value y = buildElementwise(
        rw, loc, *rt, ValueRange{ad.getX(), toChannel(ad.getScale()), toChannel(ad.getB()), mean, var},
        [&](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
          Value inv = math::RsqrtOp::create(
              b, l, arith::AddFOp::create(b, l, a[4], scalarConstant(b, l, t, eps)));
          Value xc = arith::SubFOp::create(b, l, a[0], a[3]);
          Value s = arith::MulFOp::create(b, l, xc, arith::MulFOp::create(b, l, inv, a[1]));
          return arith::AddFOp::create(b, l, s, a[2]);
        });
    SmallVector<Value> res;
    for (unsigned i = 0; i < op->getNumResults(); ++i) {
      Value v = i == 0 ? y : i < 3 ? stats[i - 1] : Value();
      bool unused = isa<NoneType>(op->getResult(i).getType());
      res.push_back(v && !unused ? v : Value(onnx::NoValueOp::create(rw, loc)));
    }
    rw.replaceOp(op, res);
    return success();
  }
};

/// ConvTranspose as a gather: y[n, g*F+f, o] = sum_{c,k} x[n, g*C+c, i] *
/// w[g*C+c, f, k] where i*s = o + pad_begin - k*d (skipped unless exact and
/// inside x). Iterates a [N, G, F, O...] view of y like genericConv.
struct ConvTransposePattern : OpConversionPattern<onnx::ConvTransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ConvTransposeOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    auto wt = dyn_cast<RankedTensorType>(ad.getW().getType());
    if (failed(rt) || !xt || !wt || !wt.hasStaticShape() || !xt.hasStaticShape() ||
        !rt->hasStaticShape())
      return op.emitOpError("ConvTranspose needs static shapes");
    Location loc = op.getLoc();
    MLIRContext *ctx = rw.getContext();
    int64_t k = xt.getRank() - 2, groups = int64_t(op.getGroup());
    SmallVector<int64_t> kernel(wt.getShape().drop_front(2));
    SmallVector<int64_t> pads;
    if (failed(onnx::convTransposePads(op, xt.getShape().drop_front(2), kernel, pads)))
      return failure();
    auto strides = onnx::orOnes(op.getStrides(), k), dil = onnx::orOnes(op.getDilations(), k);
    int64_t cPer = wt.getDimSize(0) / groups, fPer = wt.getDimSize(1);
    Type elem = rt->getElementType();
    int64_t nd = 4 + 2 * k;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    // W [C, F/G, k...] viewed as [G, C/G, F/G, k...] so every loop is a plain dim.
    SmallVector<AffineExpr> we{d(1), d(3 + k), d(2)}, ye{d(0), d(1), d(2)};
    for (int64_t i = 0; i < k; ++i) {
      we.push_back(d(4 + k + i));
      ye.push_back(d(3 + i));
    }
    SmallVector<int64_t> yShape{rt->getDimSize(0), groups, fPer};
    SmallVector<ReassociationIndices> re{{0}, {1, 2}};
    for (int64_t i = 0; i < k; ++i) {
      yShape.push_back(rt->getDimSize(2 + i));
      re.push_back({3 + i});
    }
    auto y2Type = RankedTensorType::get(yShape, elem);
    Value init = tensor::ExpandShapeOp::create(rw, loc, y2Type, filled(rw, loc, *rt, Value(), 0.0), re);
    SmallVector<utils::IteratorType> iters(nd, utils::IteratorType::parallel);
    for (int64_t i = 3 + k; i < nd; ++i)
      iters[i] = utils::IteratorType::reduction;
    Value x = ad.getX();
    SmallVector<int64_t> wShape{groups, cPer, fPer};
    SmallVector<ReassociationIndices> wRe{{0, 1}, {2}};
    for (int64_t i = 0; i < k; ++i) {
      wShape.push_back(kernel[i]);
      wRe.push_back({3 + i});
    }
    Value wv = tensor::ExpandShapeOp::create(rw, loc, RankedTensorType::get(wShape, elem),
                                             ad.getW(), wRe);
    Value y2 = linalg::GenericOp::create(
                   rw, loc, TypeRange{y2Type}, ValueRange{wv}, ValueRange{init},
                   ArrayRef<AffineMap>{AffineMap::get(nd, 0, we, ctx), AffineMap::get(nd, 0, ye, ctx)},
                   iters,
                   [&](OpBuilder &b, Location l, ValueRange a) {
                     auto c = [&](int64_t v) { return arith::ConstantIndexOp::create(b, l, v); };
                     Value ok = arith::ConstantIntOp::create(b, l, 1, 1);
                     SmallVector<Value> src{linalg::IndexOp::create(b, l, 0)};
                     Value g = linalg::IndexOp::create(b, l, 1);
                     Value ch = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, g, c(cPer)),
                                                      linalg::IndexOp::create(b, l, 3 + k));
                     src.push_back(ch);
                     for (int64_t i = 0; i < k; ++i) {
                       Value o = linalg::IndexOp::create(b, l, 3 + i);
                       Value kk = linalg::IndexOp::create(b, l, 4 + k + i);
                       // t = o + pad - kk*d as a signed value
                       Value t = arith::SubIOp::create(
                           b, l, arith::AddIOp::create(b, l, o, c(pads[i])),
                           arith::MulIOp::create(b, l, kk, c(dil[i])));
                       Value q = arith::DivSIOp::create(b, l, t, c(strides[i]));
                       Value exact = arith::CmpIOp::create(
                           b, l, arith::CmpIPredicate::eq, arith::RemSIOp::create(b, l, t, c(strides[i])), c(0));
                       Value inside = arith::AndIOp::create(
                           b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, t, c(0)),
                           arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, q, c(xt.getDimSize(2 + i))));
                       ok = arith::AndIOp::create(b, l, ok, arith::AndIOp::create(b, l, exact, inside));
                       // Clamp so the read stays in bounds; `ok` discards it.
                       Value qc = arith::MaxSIOp::create(b, l, arith::MinSIOp::create(b, l, q, c(xt.getDimSize(2 + i) - 1)), c(0));
                       src.push_back(qc);
                     }
                     Value xv = tensor::ExtractOp::create(b, l, x, src);
                     Value p = arith::MulFOp::create(b, l, xv, a[0]);
                     p = arith::SelectOp::create(b, l, ok, p, scalarConstant(b, l, elem, 0));
                     linalg::YieldOp::create(b, l, ValueRange{arith::AddFOp::create(b, l, a[1], p)});
                   })
                   .getResult(0);
    Value y = tensor::CollapseShapeOp::create(rw, loc, *rt, y2, re);
    if (!onnx::isNone(ad.getB())) {
      SmallVector<int64_t> bShape{rt->getDimSize(1)};
      bShape.append(k, 1);
      ReassociationIndices all;
      for (int64_t i = 0; i <= k; ++i)
        all.push_back(i);
      Value bias = tensor::ExpandShapeOp::create(rw, loc, RankedTensorType::get(bShape, elem), ad.getB(),
                                                 SmallVector<ReassociationIndices>{all});
      y = buildElementwise(rw, loc, *rt, ValueRange{y, bias},
                           [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                             return arith::AddFOp::create(b, l, a[0], a[1]);
                           });
    }
    rw.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateNNPatterns(RewritePatternSet &patterns, llvm::StringSet<> &names) {
  patterns.add<ConvPattern, PoolPattern<onnx::MaxPoolOp, PoolKind::Max>,
               PoolPattern<onnx::AveragePoolOp, PoolKind::Average>,
               PoolPattern<onnx::LpPoolOp, PoolKind::Lp>,
               GlobalPoolPattern<onnx::GlobalAveragePoolOp, false>,
               GlobalPoolPattern<onnx::GlobalMaxPoolOp, true>, BatchNormPattern,
               ConvTransposePattern>(
      patterns.getContext());
  for (StringRef n : {"onnx.Conv", "onnx.MaxPool", "onnx.AveragePool", "onnx.LpPool",
                      "onnx.GlobalAveragePool", "onnx.GlobalMaxPool",
                      "onnx.BatchNormalization", "onnx.ConvTranspose"})
    names.insert(n);
}

} // namespace onnxc::conversion
