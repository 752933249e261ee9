//===- Quantization.cpp - onnx quantized ops -> linalg ----------------------===//
//
// Integer arithmetic as the spec writes it: zero points are subtracted in
// i32, products accumulate in i32 (MatMulInteger/ConvInteger and the
// QLinear* cores reuse the float MatMul/Conv builders on i32 tensors), and
// requantization is saturate(round_half_even(v) + zero_point) with v in f32.
// Per-axis scales and zero points are 1-D along `axis`, reshaped to broadcast.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

bool isNoneValue(Value v) { return isa<NoneType>(v.getType()); }

/// A 1-D per-axis parameter [C] reshaped to [1, .., C, .., 1] (C at `axis`)
/// so that numpy broadcasting applies it along that axis; scalars and
/// single-element tensors are returned as they are.
Value alongAxis(OpBuilder &b, Location loc, Value v, int64_t rank, int64_t axis) {
  auto t = cast<RankedTensorType>(v.getType());
  if (t.getRank() != 1 || t.getDimSize(0) == 1 || rank <= 1)
    return v;
  SmallVector<int64_t> shape(rank, 1);
  shape[axis] = t.getDimSize(0);
  ReassociationIndices all;
  for (int64_t i = 0; i < rank; ++i)
    all.push_back(i);
  return tensor::ExpandShapeOp::create(b, loc, RankedTensorType::get(shape, t.getElementType()),
                                       v, SmallVector<ReassociationIndices>{all});
}

/// A blocked parameter (ceil(dim / block) at `axis`) repeated to x's shape.
Value expandBlocks(OpBuilder &b, Location loc, Value p, Value x, int64_t axis, int64_t block) {
  auto xt = cast<RankedTensorType>(x.getType());
  auto type = RankedTensorType::get(xt.getShape(), cast<RankedTensorType>(p.getType()).getElementType());
  SmallVector<Value> dyn;
  for (int64_t i = 0; i < xt.getRank(); ++i)
    if (xt.isDynamicDim(i))
      dyn.push_back(tensor::DimOp::create(b, loc, x, i));
  return generateTensor(b, loc, type, dyn, [&](OpBuilder &nb, Location l, ValueRange iv) -> Value {
    SmallVector<Value> at(iv.begin(), iv.end());
    at[axis] = arith::DivUIOp::create(nb, l, iv[axis], cIdx(nb, l, block));
    return tensor::ExtractOp::create(nb, l, p, at);
  });
}

/// A scale or zero point of a (De)QuantizeLinear broadcastable to x.
Value paramFor(OpBuilder &b, Location loc, Value p, Value x, int64_t axis, int64_t block) {
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  return block > 0 ? expandBlocks(b, loc, p, x, axis, block) : alongAxis(b, loc, p, rank, axis);
}

int64_t normalizedAxis(int64_t axis, int64_t rank) {
  return rank == 0 ? 0 : (axis < 0 ? axis + rank : axis);
}

/// saturate(round_half_even(v) + zp) as integer type `t`; v and zp are f32.
Value quantizeScalar(OpBuilder &b, Location l, Value v, Value zp, Type t, bool isUnsigned) {
  unsigned w = t.getIntOrFloatBitWidth();
  double lo = isUnsigned ? 0.0 : -std::ldexp(1.0, w - 1);
  double hi = isUnsigned ? std::ldexp(1.0, w) - 1 : std::ldexp(1.0, w - 1) - 1;
  Type f32 = v.getType();
  Value r = arith::AddFOp::create(b, l, math::RoundEvenOp::create(b, l, v), zp);
  // maxnum: NaN becomes the lowest value (as ONNX Runtime quantizes it) and
  // the conversion below stays defined.
  r = arith::MaxNumFOp::create(b, l, r, scalarConstant(b, l, f32, lo));
  r = arith::MinNumFOp::create(b, l, r, scalarConstant(b, l, f32, hi));
  // In range now: a signed conversion through i32 yields the right bits.
  Value i = arith::FPToSIOp::create(b, l, b.getI32Type(), r);
  return w < 32 ? Value(arith::TruncIOp::create(b, l, t, i)) : i;
}

/// The element of operand `a` minus its zero point `zp` (optional), in i32.
Value minusZeroPoint(OpBuilder &b, Location l, Value a, Value zp, bool aUnsigned, bool zpUnsigned) {
  Value r = castScalar(b, l, a, b.getI32Type(), aUnsigned);
  if (!zp)
    return r;
  return arith::SubIOp::create(b, l, r, castScalar(b, l, zp, b.getI32Type(), zpUnsigned));
}

/// `x - zp` over x's shape as an i32 tensor; `zp` is none, a scalar, or 1-D
/// along `axis` of x.
Value widenedMinusZeroPoint(OpBuilder &b, Location loc, Operation *op, Value x, unsigned xIdx,
                            Value zp, unsigned zpIdx, int64_t axis) {
  auto xt = cast<RankedTensorType>(x.getType());
  auto type = RankedTensorType::get(xt.getShape(), b.getI32Type());
  bool xu = isUnsignedOperand(op, xIdx), zu = isUnsignedOperand(op, zpIdx);
  SmallVector<Value> ins{x};
  if (!isNoneValue(zp))
    ins.push_back(alongAxis(b, loc, zp, xt.getRank(), axis));
  return buildElementwise(b, loc, type, ins, [&](OpBuilder &nb, Location l, Type, ValueRange a) {
    return minusZeroPoint(nb, l, a[0], a.size() > 1 ? a[1] : Value(), xu, zu);
  });
}

/// round(acc * (sx * sw / sy)) + zy, saturated: the requantization of an
/// i32 accumulator by f32 scales already broadcast to `rt`'s shape.
Value requantize(OpBuilder &b, Location loc, RankedTensorType rt, Value acc, Value sx, Value sw,
                 Value sy, Value zy, bool yUnsigned) {
  return buildElementwise(b, loc, rt, ValueRange{acc, sx, sw, sy, zy},
                          [&](OpBuilder &nb, Location l, Type t, ValueRange a) {
                            Type f32 = nb.getF32Type();
                            Value m = arith::DivFOp::create(
                                nb, l, arith::MulFOp::create(nb, l, a[1], a[2]), a[3]);
                            Value v = arith::MulFOp::create(
                                nb, l, castScalar(nb, l, a[0], f32), m);
                            Value z = castScalar(nb, l, a[4], f32, yUnsigned);
                            return quantizeScalar(nb, l, v, z, t, yUnsigned);
                          });
}

struct QuantizeLinearPattern : OpConversionPattern<onnx::QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::QuantizeLinearOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    Location loc = op.getLoc();
    int64_t rank = rt->getRank(), axis = normalizedAxis(op.getAxis(), rank), block = op.getBlockSize();
    bool hasZp = !isNoneValue(ad.getYZeroPoint());
    // Without a zero point the type comes from output_dtype (default uint8).
    int64_t dt = op.getOutputDtype();
    bool yUnsigned = hasZp ? isUnsignedOperand(op, 2) : (dt == 0 || onnx::isUnsignedDataType(dt));
    bool saturate = op.getSaturate() != 0;
    SmallVector<Value> ins{ad.getX(), paramFor(rw, loc, ad.getYScale(), ad.getX(), axis, block)};
    if (hasZp)
      ins.push_back(paramFor(rw, loc, ad.getYZeroPoint(), ad.getX(), axis, block));
    Value y = buildElementwise(rw, loc, *rt, ins, [&](OpBuilder &b, Location l, Type t, ValueRange a) {
      Type f32 = b.getF32Type();
      Value v = arith::DivFOp::create(b, l, castScalar(b, l, a[0], f32), castScalar(b, l, a[1], f32));
      Value z = hasZp ? castScalar(b, l, a[2], f32, yUnsigned) : scalarConstant(b, l, f32, 0);
      // float8: x / scale + zero point, rounded by the conversion.
      if (isFloat8(t))
        return castScalar(b, l, arith::AddFOp::create(b, l, v, z), t, false, false, saturate);
      return quantizeScalar(b, l, v, z, t, yUnsigned);
    });
    rw.replaceOp(op, y);
    return success();
  }
};

struct DequantizeLinearPattern : OpConversionPattern<onnx::DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::DequantizeLinearOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    Location loc = op.getLoc();
    int64_t rank = rt->getRank(), axis = normalizedAxis(op.getAxis(), rank), block = op.getBlockSize();
    Value scale = paramFor(rw, loc, ad.getXScale(), ad.getX(), axis, block);
    Value zp = ad.getXZeroPoint();
    bool hasZp = !isNoneValue(zp);
    if (hasZp)
      zp = paramFor(rw, loc, zp, ad.getX(), axis, block);
    Value y;
    if (isFloat8(cast<RankedTensorType>(ad.getX().getType()).getElementType())) {
      // (x - zero point) * scale in f32.
      SmallVector<Value> ins{ad.getX(), scale};
      if (hasZp)
        ins.push_back(zp);
      y = buildElementwise(rw, loc, *rt, ins, [&](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
        Type f32 = b.getF32Type();
        Value v = castScalar(b, l, a[0], f32);
        if (a.size() > 2)
          v = arith::SubFOp::create(b, l, v, castScalar(b, l, a[2], f32));
        return castScalar(b, l, arith::MulFOp::create(b, l, v, castScalar(b, l, a[1], f32)), t);
      });
    } else {
      Value x = widenedMinusZeroPoint(rw, loc, op, ad.getX(), 0, zp, 2, axis);
      y = buildElementwise(rw, loc, *rt, ValueRange{x, scale},
                           [](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
                             Type f32 = b.getF32Type();
                             Value v = arith::MulFOp::create(b, l, castScalar(b, l, a[0], f32),
                                                             castScalar(b, l, a[1], f32));
                             return castScalar(b, l, v, t);
                           });
    }
    rw.replaceOp(op, y);
    return success();
  }
};

/// Reduces all of `x` into a rank-0 f32 tensor starting from `init`.
Value reduceAll(OpBuilder &b, Location loc, Value x, double init, bool isMax) {
  MLIRContext *ctx = b.getContext();
  auto xt = cast<RankedTensorType>(x.getType());
  auto st = RankedTensorType::get({}, xt.getElementType());
  Value acc = linalg::FillOp::create(b, loc, scalarConstant(b, loc, st.getElementType(), init),
                                     tensor::EmptyOp::create(b, loc, st.getShape(), st.getElementType()).getResult())
                  .getResult(0);
  int64_t n = xt.getRank();
  SmallVector<utils::IteratorType> iters(n, utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, TypeRange{st}, ValueRange{x}, ValueRange{acc},
             ArrayRef<AffineMap>{AffineMap::getMultiDimIdentityMap(n, ctx), AffineMap::get(n, 0, ctx)},
             iters,
             [isMax](OpBuilder &nb, Location l, ValueRange a) {
               Value r = isMax ? Value(arith::MaximumFOp::create(nb, l, a[0], a[1]))
                               : Value(arith::MinimumFOp::create(nb, l, a[0], a[1]));
               linalg::YieldOp::create(nb, l, r);
             })
      .getResult(0);
}

/// DynamicQuantizeLinear (uint8): the range of x widened to include 0 gives
/// scale = (max - min) / 255 and zero point = saturate(round(-min / scale)).
struct DynamicQuantizeLinearPattern : OpConversionPattern<onnx::DynamicQuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::DynamicQuantizeLinearOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto yt = rankedResult(rw, op, 0);
    auto st = rankedResult(rw, op, 1);
    auto zt = rankedResult(rw, op, 2);
    if (failed(yt) || failed(st) || failed(zt))
      return failure();
    Location loc = op.getLoc();
    Value x = ad.getX();
    Value lo = reduceAll(rw, loc, x, 0.0, false), hi = reduceAll(rw, loc, x, 0.0, true);
    Value scale = buildElementwise(rw, loc, *st, ValueRange{lo, hi},
                                   [](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
                                     Value d = arith::SubFOp::create(b, l, a[1], a[0]);
                                     return arith::DivFOp::create(b, l, d, scalarConstant(b, l, t, 255));
                                   });
    Value zp = buildElementwise(rw, loc, *zt, ValueRange{lo, scale},
                                [](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
                                  Type f32 = a[0].getType();
                                  Value v = arith::DivFOp::create(
                                      b, l, arith::NegFOp::create(b, l, a[0]), a[1]);
                                  return quantizeScalar(b, l, v, scalarConstant(b, l, f32, 0), t, true);
                                });
    Value y = buildElementwise(rw, loc, *yt, ValueRange{x, scale, zp},
                               [](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
                                 Type f32 = a[0].getType();
                                 Value v = arith::DivFOp::create(b, l, a[0], a[1]);
                                 return quantizeScalar(b, l, v, castScalar(b, l, a[2], f32, true), t, true);
                               });
    rw.replaceOp(op, ValueRange{y, scale, zp});
    return success();
  }
};

/// MatMulInteger: (A - a_zero_point) x (B - b_zero_point) in i32; a's zero
/// point may be per row (A's dim -2), b's per column (B's last dim).
struct MatMulIntegerPattern : OpConversionPattern<onnx::MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::MatMulIntegerOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto at = dyn_cast<RankedTensorType>(ad.getA().getType());
    auto bt = dyn_cast<RankedTensorType>(ad.getB().getType());
    if (failed(rt) || !at || !bt)
      return rw.notifyMatchFailure(op, "unranked");
    Location loc = op.getLoc();
    Value a = widenedMinusZeroPoint(rw, loc, op, ad.getA(), 0, ad.getAZeroPoint(), 2,
                                    std::max<int64_t>(0, at.getRank() - 2));
    Value b = widenedMinusZeroPoint(rw, loc, op, ad.getB(), 1, ad.getBZeroPoint(), 3,
                                    bt.getRank() - 1);
    rw.replaceOp(op, buildMatMul(rw, loc, *rt, a, b));
    return success();
  }
};

/// QLinearMatMul: MatMulInteger's i32 product requantized by
/// a_scale * b_scale / y_scale.
struct QLinearMatMulPattern : OpConversionPattern<onnx::QLinearMatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::QLinearMatMulOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto at = dyn_cast<RankedTensorType>(ad.getA().getType());
    auto bt = dyn_cast<RankedTensorType>(ad.getB().getType());
    if (failed(rt) || !at || !bt)
      return rw.notifyMatchFailure(op, "unranked");
    Location loc = op.getLoc();
    int64_t rowA = std::max<int64_t>(0, at.getRank() - 2), colB = bt.getRank() - 1;
    Value a = widenedMinusZeroPoint(rw, loc, op, ad.getA(), 0, ad.getAZeroPoint(), 2, rowA);
    Value b = widenedMinusZeroPoint(rw, loc, op, ad.getB(), 3, ad.getBZeroPoint(), 5, colB);
    auto accType = RankedTensorType::get(rt->getShape(), rw.getI32Type());
    Value acc = buildMatMul(rw, loc, accType, a, b);
    int64_t rank = rt->getRank();
    Value y = requantize(rw, loc, *rt, acc,
                         alongAxis(rw, loc, ad.getAScale(), rank, std::max<int64_t>(0, rank - 2)),
                         alongAxis(rw, loc, ad.getBScale(), rank, rank - 1), ad.getYScale(),
                         ad.getYZeroPoint(), isUnsignedOperand(op, 7));
    rw.replaceOp(op, y);
    return success();
  }
};

/// ConvInteger: Conv of (x - x_zero_point) and (w - w_zero_point) in i32;
/// padding with 0 after the subtraction is padding x with its zero point.
struct ConvIntegerPattern : OpConversionPattern<onnx::ConvIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ConvIntegerOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto wt = dyn_cast<RankedTensorType>(ad.getW().getType());
    if (failed(rt) || !isa<RankedTensorType>(ad.getX().getType()) || !wt || !wt.hasStaticShape())
      return rw.notifyMatchFailure(op, "needs ranked x and static w");
    Location loc = op.getLoc();
    Value x = widenedMinusZeroPoint(rw, loc, op, ad.getX(), 0, ad.getXZeroPoint(), 2, 1);
    Value w = widenedMinusZeroPoint(rw, loc, op, ad.getW(), 1, ad.getWZeroPoint(), 3, 0);
    auto y = buildConv(rw, op, x, w, *rt, op.getStrides(), op.getDilations(), op.getPads(),
                       op.getAutoPad(), int64_t(op.getGroup()));
    if (failed(y))
      return failure();
    rw.replaceOp(op, *y);
    return success();
  }
};

/// QLinearConv: ConvInteger's accumulator plus the i32 bias, requantized by
/// x_scale * w_scale[m] / y_scale (w's scale and zero point may be per
/// output channel).
struct QLinearConvPattern : OpConversionPattern<onnx::QLinearConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::QLinearConvOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto wt = dyn_cast<RankedTensorType>(ad.getW().getType());
    if (failed(rt) || !isa<RankedTensorType>(ad.getX().getType()) || !wt || !wt.hasStaticShape())
      return rw.notifyMatchFailure(op, "needs ranked x and static w");
    Location loc = op.getLoc();
    int64_t rank = rt->getRank();
    Value x = widenedMinusZeroPoint(rw, loc, op, ad.getX(), 0, ad.getXZeroPoint(), 2, 1);
    Value w = widenedMinusZeroPoint(rw, loc, op, ad.getW(), 3, ad.getWZeroPoint(), 5, 0);
    auto accType = RankedTensorType::get(rt->getShape(), rw.getI32Type());
    auto acc = buildConv(rw, op, x, w, accType, op.getStrides(), op.getDilations(), op.getPads(),
                         op.getAutoPad(), int64_t(op.getGroup()));
    if (failed(acc))
      return failure();
    Value sum = *acc;
    if (!isNoneValue(ad.getB()))
      sum = buildElementwise(rw, loc, accType, ValueRange{sum, alongAxis(rw, loc, ad.getB(), rank, 1)},
                             [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                               return arith::AddIOp::create(b, l, a[0], a[1]);
                             });
    Value y = requantize(rw, loc, *rt, sum, ad.getXScale(),
                         alongAxis(rw, loc, ad.getWScale(), rank, 1), ad.getYScale(),
                         ad.getYZeroPoint(), isUnsignedOperand(op, 7));
    rw.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateQuantizationPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  p.add<QuantizeLinearPattern, DequantizeLinearPattern, DynamicQuantizeLinearPattern,
        MatMulIntegerPattern, QLinearMatMulPattern, ConvIntegerPattern, QLinearConvPattern>(
      p.getContext());
  for (StringRef n : {"onnx.QuantizeLinear", "onnx.DequantizeLinear", "onnx.DynamicQuantizeLinear",
                      "onnx.MatMulInteger", "onnx.QLinearMatMul", "onnx.ConvInteger",
                      "onnx.QLinearConv"})
    names.insert(n);
}

} // namespace onnxc::conversion
