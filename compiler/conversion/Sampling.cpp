//===- Sampling.cpp - GridSample, Resize, RoiAlign, DeformConv -> linalg --===//
//
// Output-driven generics: each output element computes its source
// coordinates in f32, reads the taps it interpolates with tensor.extract at
// clamped indices, and zeroes taps that fall outside the input. Coordinate
// rules follow the reference (PyTorch's grid_sample): border/reflection
// padding adjusts the source coordinate for nearest/bilinear and each tap
// for bicubic (A = -0.75).
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>
#include <tuple>

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

enum class Padding { Zeros, Border, Reflection };

/// Scalar f32 helpers around one builder.
struct F {
  OpBuilder &b;
  Location l;
  Type t;
  Value c(double v) { return scalarConstant(b, l, t, v); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, l, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, l, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, l, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, l, x, y); }
  Value floor(Value x) { return math::FloorOp::create(b, l, x); }
  Value clamp(Value x, double lo, double hi) {
    return arith::MinimumFOp::create(b, l, arith::MaximumFOp::create(b, l, x, c(lo)), c(hi));
  }
};

/// Keys cubic convolution weights (parameter A) of the taps at -1, 0, 1, 2
/// from the fraction t of the source coordinate.
SmallVector<Value> cubicWeights(F &f, Value t, double A) {
  auto near = [&](Value d) { // |d| <= 1
    return f.add(f.mul(f.mul(f.sub(f.mul(f.c(A + 2), d), f.c(A + 3)), d), d), f.c(1));
  };
  auto far = [&](Value d) { // 1 < |d| < 2
    Value p = f.add(f.mul(f.sub(f.mul(f.c(A), d), f.c(5 * A)), d), f.c(8 * A));
    return f.sub(f.mul(p, d), f.c(4 * A));
  };
  return {far(f.add(t, f.c(1))), near(t), near(f.sub(f.c(1), t)), far(f.sub(f.c(2), t))};
}

/// The Keys cubic kernel (parameter A) at distance x >= 0: zero from 2 on.
Value cubicKernel(F &f, Value x, double A) {
  Value near = f.add(f.mul(f.mul(f.sub(f.mul(f.c(A + 2), x), f.c(A + 3)), x), x), f.c(1));
  Value p = f.add(f.mul(f.sub(f.mul(f.c(A), x), f.c(5 * A)), x), f.c(8 * A));
  Value far = f.sub(f.mul(p, x), f.c(4 * A));
  Value le1 = arith::CmpFOp::create(f.b, f.l, arith::CmpFPredicate::OLE, x, f.c(1));
  Value lt2 = arith::CmpFOp::create(f.b, f.l, arith::CmpFPredicate::OLT, x, f.c(2));
  return arith::SelectOp::create(f.b, f.l, le1, near,
                                 arith::SelectOp::create(f.b, f.l, lt2, far, f.c(0)));
}

/// Grid value in [-1, 1] -> pixel coordinate.
Value unnormalize(F &f, Value g, int64_t size, bool alignCorners) {
  if (alignCorners)
    return f.mul(f.mul(f.add(g, f.c(1)), f.c(0.5)), f.c(double(size - 1)));
  return f.mul(f.sub(f.mul(f.add(g, f.c(1)), f.c(double(size))), f.c(1)), f.c(0.5));
}

/// Reflects x into [lo2/2, hi2/2] (bounds given doubled, as the reference).
Value reflect(F &f, Value x, int64_t lo2, int64_t hi2) {
  if (lo2 == hi2)
    return f.c(0);
  double lo = lo2 / 2.0, span = (hi2 - lo2) / 2.0;
  Value d = math::AbsFOp::create(f.b, f.l, f.sub(x, f.c(lo)));
  Value extra = arith::RemFOp::create(f.b, f.l, d, f.c(span));
  Value flips = arith::FPToSIOp::create(f.b, f.l, f.b.getI64Type(), f.floor(f.div(d, f.c(span))));
  Value odd = arith::TruncIOp::create(f.b, f.l, f.b.getI1Type(), flips);
  return arith::SelectOp::create(f.b, f.l, odd, f.add(f.sub(f.c(span), extra), f.c(lo)),
                                 f.add(extra, f.c(lo)));
}

Value applyPadding(F &f, Value x, int64_t size, Padding p, bool alignCorners) {
  if (p == Padding::Zeros)
    return x;
  if (p == Padding::Reflection)
    x = alignCorners ? reflect(f, x, 0, 2 * (size - 1)) : reflect(f, x, -1, 2 * size - 1);
  return f.clamp(x, 0, double(size - 1));
}

struct GridSamplePattern : OpConversionPattern<onnx::GridSampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::GridSampleOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    if (failed(rt) || !xt || !xt.hasStaticShape() || !isa<FloatType>(xt.getElementType()))
      return rw.notifyMatchFailure(op, "needs a static float X");
    StringRef mode = op.getMode(), padName = op.getPaddingMode();
    if (mode != "bilinear" && mode != "nearest" && mode != "bicubic")
      return op.emitOpError() << "unknown mode '" << mode << "'";
    Padding pad = padName == "zeros"    ? Padding::Zeros
                  : padName == "border" ? Padding::Border
                                        : Padding::Reflection;
    if (padName != "zeros" && padName != "border" && padName != "reflection")
      return op.emitOpError() << "unknown padding_mode '" << padName << "'";
    bool align = op.getAlignCorners() != 0;
    int64_t H = xt.getDimSize(2), W = xt.getDimSize(3);
    Location loc = op.getLoc();
    Value x = ad.getX(), grid = ad.getGrid();
    Type elem = rt->getElementType();
    Value y = generateTensor(
                  rw, loc, *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
                    F f{b, l, elem};
                    auto gridAt = [&](int64_t k) {
                      Value g = tensor::ExtractOp::create(
                          b, l, grid, ValueRange{iv[0], iv[2], iv[3], arith::ConstantIndexOp::create(b, l, k)});
                      return castScalar(b, l, g, elem);
                    };
                    Value ix = unnormalize(f, gridAt(0), W, align), iy = unnormalize(f, gridAt(1), H, align);
                    if (mode != "bicubic") {
                      ix = applyPadding(f, ix, W, pad, align);
                      iy = applyPadding(f, iy, H, pad, align);
                    }
                    // x[n, c, yy, xx] for integral f32 coordinates, 0 outside.
                    auto tap = [&](Value xx, Value yy) -> Value {
                      auto inside = [&](Value v, int64_t size) {
                        Value ge = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, v, f.c(0));
                        Value lt = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, v, f.c(double(size)));
                        return arith::AndIOp::create(b, l, ge, lt);
                      };
                      auto index = [&](Value v, int64_t size) {
                        Value i = arith::FPToSIOp::create(b, l, b.getI64Type(), f.clamp(v, 0, double(size - 1)));
                        return arith::IndexCastOp::create(b, l, b.getIndexType(), i);
                      };
                      Value ok = arith::AndIOp::create(b, l, inside(xx, W), inside(yy, H));
                      Value v = tensor::ExtractOp::create(b, l, x, ValueRange{iv[0], iv[1], index(yy, H), index(xx, W)});
                      return arith::SelectOp::create(b, l, ok, v, f.c(0));
                    };
                    Value r;
                    if (mode == "nearest") {
                      r = tap(math::RoundEvenOp::create(b, l, ix), math::RoundEvenOp::create(b, l, iy));
                    } else if (mode == "bilinear") {
                      Value x0 = f.floor(ix), y0 = f.floor(iy);
                      Value x1 = f.add(x0, f.c(1)), y1 = f.add(y0, f.c(1));
                      Value wx1 = f.sub(ix, x0), wy1 = f.sub(iy, y0);
                      Value wx0 = f.sub(f.c(1), wx1), wy0 = f.sub(f.c(1), wy1);
                      r = f.add(f.add(f.mul(f.mul(wx0, wy0), tap(x0, y0)), f.mul(f.mul(wx1, wy0), tap(x1, y0))),
                                f.add(f.mul(f.mul(wx0, wy1), tap(x0, y1)), f.mul(f.mul(wx1, wy1), tap(x1, y1))));
                    } else {
                      Value x0 = f.floor(ix), y0 = f.floor(iy);
                      SmallVector<Value> wx = cubicWeights(f, f.sub(ix, x0), -0.75),
                                         wy = cubicWeights(f, f.sub(iy, y0), -0.75);
                      r = f.c(0);
                      for (int64_t j = 0; j < 4; ++j) {
                        Value yy = applyPadding(f, f.add(y0, f.c(double(j - 1))), H, pad, align);
                        Value row = f.c(0);
                        for (int64_t i = 0; i < 4; ++i) {
                          Value xx = applyPadding(f, f.add(x0, f.c(double(i - 1))), W, pad, align);
                          row = f.add(row, f.mul(wx[i], tap(xx, yy)));
                        }
                        r = f.add(r, f.mul(wy[j], row));
                      }
                    }
                    return r;
                  });
    rw.replaceOp(op, y);
    return success();
  }
};

/// Resize's attributes (Upsample: nearest with floor or linear, asymmetric).
struct ResizeSpec {
  std::string mode, coord, nearest;
  double cubicA = -0.75, extrapolation = 0;
  bool excludeOutside = false;
  /// Resize-18 axes: the dims that scales/sizes list, in their order
  /// (empty: every dim).
  SmallVector<int64_t> axes;
  /// Resize-18 keep_aspect_ratio_policy: with sizes, not_larger/not_smaller
  /// resize every listed axis by one scale (the min/max of sizes / in).
  std::string keepAspect = "stretch";
  /// Resize-18 antialias: linear/cubic downsampling widens the filter by
  /// 1 / scale (the reference's footprint), weights renormalised.
  bool antialias = false;
};

/// Resize of a static X to the compiled (static) result shape. Scales and
/// sizes may be computed at run time: they must then agree with that shape
/// (ONNXC_ERR_DATA otherwise). Nearest is one gather; linear and cubic are
/// separable, one 1-D pass per dim that changes (2 or 4 taps).
class ResizeLowering {
public:
  ResizeLowering(ConversionPatternRewriter &rw, Operation *op, const ResizeSpec &spec)
      : rw(rw), op(op), loc(op->getLoc()), spec(spec) {}

  FailureOr<Value> lower(Value x, Value roi, Value scales, Value sizes, RankedTensorType rt) {
    auto xt = dyn_cast<RankedTensorType>(x.getType());
    if (!xt || !xt.hasStaticShape() || !rt.hasStaticShape())
      return fail("needs static shapes (declare the output's shape when scales/sizes are computed at run time)");
    if (spec.mode != "nearest" && !isa<FloatType>(xt.getElementType()))
      return fail("linear and cubic modes need a float input");
    if (!llvm::is_contained({"nearest", "linear", "cubic"}, spec.mode))
      return fail("unknown mode '" + spec.mode + "'");
    if (!llvm::is_contained({"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners",
                             "asymmetric", "tf_half_pixel_for_nn", "tf_crop_and_resize"},
                            spec.coord))
      return fail("unknown coordinate_transformation_mode '" + spec.coord + "'");
    in.assign(xt.getShape().begin(), xt.getShape().end());
    out.assign(rt.getShape().begin(), rt.getShape().end());
    int64_t rank = xt.getRank();
    auto present = [](Value v) {
      auto t = v ? dyn_cast<RankedTensorType>(v.getType()) : RankedTensorType();
      return t && t.getNumElements() != 0;
    };
    bool useSizes = present(sizes);
    if (!useSizes && !present(scales))
      return fail("needs non-empty 'scales' or 'sizes'");
    Type f32 = rw.getF32Type();
    auto constF = [&](double v) { return scalarConstant(rw, loc, f32, v); };
    auto at = [&](Value t, int64_t i) -> Value {
      return tensor::ExtractOp::create(rw, loc, t, ValueRange{arith::ConstantIndexOp::create(rw, loc, i)});
    };
    std::optional<SmallVector<double>> constScales =
        useSizes ? std::nullopt : onnx::getConstantFloats(unconverted(2));
    Value ok = arith::ConstantIntOp::create(rw, loc, 1, 1);
    bool checked = false;
    // Position of each dim in scales/sizes (-1: an axis not listed).
    SmallVector<int64_t> pos(rank, -1);
    for (int64_t d = 0; d < rank; ++d)
      pos[d] = spec.axes.empty() ? d : llvm::find(spec.axes, d) - spec.axes.begin();
    for (int64_t d = 0; d < rank; ++d)
      if (!spec.axes.empty() && pos[d] == int64_t(spec.axes.size()))
        pos[d] = -1;
    // One scale for all listed axes; the result shape (rounded scale * in)
    // came from shape inference, so the sizes must be constants.
    std::optional<double> keep;
    if (useSizes && spec.keepAspect != "stretch") {
      std::optional<SmallVector<int64_t>> sz = onnx::getConstantInts(unconverted(3));
      if (!sz)
        return fail("keep_aspect_ratio_policy '" + spec.keepAspect + "' needs constant 'sizes'");
      for (int64_t d = 0; d < rank; ++d)
        if (pos[d] >= 0) {
          double r = double((*sz)[pos[d]]) / double(in[d]);
          keep = !keep ? r : spec.keepAspect == "not_larger" ? std::min(*keep, r) : std::max(*keep, r);
        }
    }
    for (int64_t d = 0; d < rank; ++d) {
      if (pos[d] < 0) { // not resized
        if (in[d] != out[d])
          return fail("a dim outside 'axes' changes size");
        staticScale.push_back(1.0);
        scale.push_back(constF(1));
        length.push_back(constF(double(in[d])));
        unit.push_back(true);
        if (spec.coord == "tf_crop_and_resize") {
          roiStart.push_back(constF(0));
          roiEnd.push_back(constF(1));
        }
        continue;
      }
      int64_t j = pos[d];
      staticScale.push_back(keep       ? std::optional<double>(*keep)
                            : useSizes ? std::optional<double>(double(out[d]) / double(in[d]))
                            : constScales ? std::optional<double>((*constScales)[j])
                                          : std::nullopt);
      if (keep) {
        scale.push_back(constF(*keep));
        length.push_back(constF(*keep * double(in[d])));
        unit.push_back(*keep == 1.0);
      } else if (useSizes) {
        // The scale is out / in; the sizes must be the compiled ones.
        scale.push_back(constF(double(out[d]) / double(in[d])));
        length.push_back(constF(double(out[d])));
        unit.push_back(in[d] == out[d]);
        Value sz = castScalar(rw, loc, at(sizes, j), rw.getI64Type());
        Value eq = arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, sz,
                                         arith::ConstantIntOp::create(rw, loc, out[d], 64));
        ok = arith::AndIOp::create(rw, loc, ok, eq);
        checked |= !onnx::getConstantInts(unconverted(3));
      } else {
        Value sc = castScalar(rw, loc, at(scales, j), f32);
        scale.push_back(sc);
        // The coordinate formulas use the unrounded in * scale.
        length.push_back(arith::MulFOp::create(rw, loc, constF(double(in[d])), sc));
        unit.push_back(constScales && (*constScales)[j] == 1.0 && in[d] == out[d]);
        // floor(in * scale) in f32 must be the compiled size.
        Value n = math::FloorOp::create(rw, loc, arith::MulFOp::create(rw, loc, constF(double(in[d])), sc));
        Value eq = arith::CmpFOp::create(rw, loc, arith::CmpFPredicate::OEQ, n, constF(double(out[d])));
        ok = arith::AndIOp::create(rw, loc, ok, eq);
        checked |= !constScales;
      }
      if (spec.coord == "tf_crop_and_resize") {
        if (!present(roi))
          return fail("tf_crop_and_resize needs 'roi'");
        int64_t listed = spec.axes.empty() ? rank : int64_t(spec.axes.size());
        roiStart.push_back(castScalar(rw, loc, at(roi, j), f32));
        roiEnd.push_back(castScalar(rw, loc, at(roi, listed + j), f32));
      }
    }
    if (spec.antialias && spec.mode != "nearest" && llvm::any_of(staticScale, [](auto v) { return !v; }))
      return fail("antialias needs constant 'scales' or 'sizes'");
    if (checked)
      emitRuntimeCheck(rw, loc, ok);
    if (spec.mode == "nearest")
      return nearest(x, rt);
    Value cur = x;
    for (int64_t d = 0; d < rank; ++d) {
      bool identity = unit[d] && llvm::is_contained({"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners",
                                                     "asymmetric"},
                                                    spec.coord);
      if (!identity)
        cur = pass(cur, d);
    }
    return cur;
  }

  /// For error messages: the original (unconverted) operand `i`.
  std::function<Value(unsigned)> unconverted;

private:
  FailureOr<Value> fail(const Twine &msg) {
    op->emitOpError() << msg;
    return failure();
  }

  /// The input coordinate (f32) of output index `iv` along dim d. As in
  /// the reference, the resized length L is in * scale unrounded (or the
  /// given size), so align_corners divides by L - 1, not by out - 1.
  Value original(F &f, int64_t d, Value iv) {
    Value xr = arith::UIToFPOp::create(f.b, f.l, f.t,
                                       arith::IndexCastOp::create(f.b, f.l, f.b.getI64Type(), iv));
    Value sc = scale[d], len = length[d], lenM1 = f.sub(length[d], f.c(1));
    double inD = double(in[d]);
    const std::string &c = spec.coord;
    auto unlessUnitLength = [&](Value v, Value atUnit) -> Value {
      Value unitLen = arith::CmpFOp::create(f.b, f.l, arith::CmpFPredicate::OLE, len, f.c(1));
      return arith::SelectOp::create(f.b, f.l, unitLen, atUnit, v);
    };
    Value halfPixel = f.sub(f.div(f.add(xr, f.c(0.5)), sc), f.c(0.5));
    if (c == "half_pixel")
      return halfPixel;
    if (c == "half_pixel_symmetric") { // opset 19: centred when out != in * scale
      Value adjustment = f.div(f.c(double(out[d])), len);
      Value offset = f.mul(f.c(inD / 2), f.sub(f.c(1), adjustment));
      return f.add(offset, halfPixel);
    }
    if (c == "pytorch_half_pixel")
      return unlessUnitLength(halfPixel, f.c(0));
    if (c == "align_corners")
      return unlessUnitLength(f.div(f.mul(xr, f.c(inD - 1)), lenM1), f.c(0));
    if (c == "asymmetric")
      return f.div(xr, sc);
    if (c == "tf_half_pixel_for_nn")
      return f.div(f.add(xr, f.c(0.5)), sc);
    // tf_crop_and_resize
    Value span = f.sub(roiEnd[d], roiStart[d]);
    Value center = f.mul(f.mul(f.add(roiStart[d], roiEnd[d]), f.c(0.5)), f.c(inD - 1));
    Value v = f.add(f.mul(roiStart[d], f.c(inD - 1)), f.div(f.mul(xr, f.mul(span, f.c(inD - 1))), lenM1));
    return unlessUnitLength(v, center);
  }

  /// Whether tf_crop_and_resize samples outside the input along dim d.
  Value outside(F &f, int64_t d, Value xo) {
    Value lo = arith::CmpFOp::create(f.b, f.l, arith::CmpFPredicate::OLT, xo, f.c(0));
    Value hi = arith::CmpFOp::create(f.b, f.l, arith::CmpFPredicate::OGT, xo, f.c(double(in[d] - 1)));
    return arith::OrIOp::create(f.b, f.l, lo, hi);
  }

  /// Clamped index (as `index`) of an integral f32 coordinate along dim d.
  Value clampIndex(F &f, int64_t d, Value v) {
    Value i = arith::FPToSIOp::create(f.b, f.l, f.b.getI64Type(), f.clamp(v, 0, double(in[d] - 1)));
    return arith::IndexCastOp::create(f.b, f.l, f.b.getIndexType(), i);
  }

  Value generate(RankedTensorType type, function_ref<Value(F &, ValueRange)> body) {
    return generateTensor(rw, loc, type, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      F f{b, l, b.getF32Type()};
      return body(f, iv);
    });
  }

  Value nearest(Value x, RankedTensorType rt) {
    return generate(rt, [&](F &f, ValueRange iv) -> Value {
      SmallVector<Value> src;
      Value out = arith::ConstantIntOp::create(f.b, f.l, 0, 1);
      for (int64_t d = 0; d < int64_t(in.size()); ++d) {
        Value xo = original(f, d, iv[d]);
        if (spec.coord == "tf_crop_and_resize")
          out = arith::OrIOp::create(f.b, f.l, out, outside(f, d, xo));
        Value r;
        if (spec.nearest == "floor")
          r = f.floor(xo);
        else if (spec.nearest == "ceil")
          r = math::CeilOp::create(f.b, f.l, xo);
        else if (spec.nearest == "round_prefer_ceil")
          r = f.floor(f.add(xo, f.c(0.5)));
        else // round_prefer_floor
          r = math::CeilOp::create(f.b, f.l, f.sub(xo, f.c(0.5)));
        src.push_back(clampIndex(f, d, r));
      }
      Value v = tensor::ExtractOp::create(f.b, f.l, x, src);
      if (spec.coord != "tf_crop_and_resize")
        return v;
      return arith::SelectOp::create(f.b, f.l, out, scalarConstant(f.b, f.l, v.getType(), spec.extrapolation), v);
    });
  }

  /// Linear or cubic interpolation along dim d only.
  Value pass(Value cur, int64_t d) {
    auto ct = cast<RankedTensorType>(cur.getType());
    SmallVector<int64_t> shape(ct.getShape());
    shape[d] = out[d];
    auto type = RankedTensorType::get(shape, ct.getElementType());
    return generate(type, [&](F &f, ValueRange iv) -> Value {
      Type et = type.getElementType();
      Value xo = original(f, d, iv[d]);
      Value x0 = f.floor(xo), t = f.sub(xo, x0);
      SmallVector<Value> taps, weights;
      double s = staticScale[d].value_or(1.0);
      bool widened = spec.antialias && s < 1.0;
      if (widened) {
        // The kernel stretched by 1 / s: taps x0 + i for i in [start,
        // 2 - start), weight k(s (i - t)), normalised to sum 1.
        bool linear = spec.mode == "linear";
        int64_t start = int64_t(std::floor((linear ? -1.0 : -2.0) / s)) + 1;
        Value sum = f.c(0);
        for (int64_t i = start; i < 2 - start; ++i) {
          Value a = f.mul(f.c(s), f.sub(f.c(double(i)), t));
          Value w = linear ? arith::MaximumFOp::create(
                                 f.b, f.l, f.c(0), f.sub(f.c(1), math::AbsFOp::create(f.b, f.l, a)))
                                 .getResult()
                           : cubicKernel(f, math::AbsFOp::create(f.b, f.l, a), spec.cubicA);
          taps.push_back(f.add(x0, f.c(double(i))));
          weights.push_back(w);
        }
        if (!spec.excludeOutside) {
          for (Value w : weights)
            sum = f.add(sum, w);
          for (Value &w : weights)
            w = f.div(w, sum);
        }
      } else if (spec.mode == "linear") {
        taps = {x0, f.add(x0, f.c(1))};
        weights = {f.sub(f.c(1), t), t};
      } else {
        weights = cubicWeights(f, t, spec.cubicA);
        for (int64_t k = -1; k <= 2; ++k)
          taps.push_back(f.add(x0, f.c(double(k))));
      }
      if (spec.mode == "cubic" || widened) {
        if (spec.excludeOutside) {
          // Taps outside the input get weight 0; the rest are renormalised.
          Value sum = f.c(0);
          for (size_t k = 0; k < taps.size(); ++k) {
            Value in0 = arith::CmpFOp::create(f.b, f.l, arith::CmpFPredicate::OGE, taps[k], f.c(0));
            Value in1 = arith::CmpFOp::create(f.b, f.l, arith::CmpFPredicate::OLE, taps[k], f.c(double(in[d] - 1)));
            weights[k] = arith::SelectOp::create(f.b, f.l, arith::AndIOp::create(f.b, f.l, in0, in1), weights[k], f.c(0));
            sum = f.add(sum, weights[k]);
          }
          for (Value &w : weights)
            w = f.div(w, sum);
        }
      }
      Value acc = f.c(0);
      for (size_t k = 0; k < taps.size(); ++k) {
        SmallVector<Value> src(iv.begin(), iv.end());
        src[d] = clampIndex(f, d, taps[k]);
        Value v = castScalar(f.b, f.l, tensor::ExtractOp::create(f.b, f.l, cur, src), f.t);
        acc = f.add(acc, f.mul(weights[k], v));
      }
      if (spec.coord == "tf_crop_and_resize")
        acc = arith::SelectOp::create(f.b, f.l, outside(f, d, xo), f.c(spec.extrapolation), acc);
      return castScalar(f.b, f.l, acc, et);
    });
  }

  ConversionPatternRewriter &rw;
  Operation *op;
  Location loc;
  const ResizeSpec &spec;
  SmallVector<int64_t> in, out;
  SmallVector<Value> scale, length, roiStart, roiEnd;
  SmallVector<std::optional<double>> staticScale; // per dim, when known
  SmallVector<bool> unit;
};

struct ResizePattern : OpConversionPattern<onnx::ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ResizeOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    ResizeSpec spec{op.getMode().str(), op.getCoordinateTransformationMode().str(), op.getNearestMode().str(),
                    op.getCubicCoeffA().convertToDouble(), op.getExtrapolationValue().convertToDouble(),
                    op.getExcludeOutside() != 0, {}, op.getKeepAspectRatioPolicy().str(),
                    op.getAntialias() != 0};
    if (auto axes = op.getAxes())
      for (int64_t a : *axes)
        spec.axes.push_back(*onnx::normalizeAxis(a, rt->getRank()));
    auto opt = [](Value v) { return isa<NoneType>(v.getType()) ? Value() : v; };
    ResizeLowering lowering(rw, op, spec);
    lowering.unconverted = [&](unsigned i) { return op->getOperand(i); };
    auto y = lowering.lower(ad.getX(), opt(ad.getRoi()), opt(ad.getScales()), opt(ad.getSizes()), *rt);
    if (failed(y))
      return failure();
    rw.replaceOp(op, *y);
    return success();
  }
};

/// Upsample (opset 7-9): Resize with asymmetric coordinates; nearest floors.
struct UpsamplePattern : OpConversionPattern<onnx::UpsampleOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::UpsampleOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    std::string mode = op.getMode().str();
    ResizeSpec spec;
    spec.mode = mode == "bilinear" ? "linear" : mode;
    spec.coord = "asymmetric";
    spec.nearest = "floor";
    ResizeLowering lowering(rw, op, spec);
    lowering.unconverted = [&](unsigned i) { return i == 2 ? op->getOperand(1) : Value(); };
    auto y = lowering.lower(ad.getX(), Value(), ad.getScales(), Value(), *rt);
    if (failed(y))
      return failure();
    rw.replaceOp(op, *y);
    return success();
  }
};

/// RoiAlign: Y[r, c, ph, pw] averages (or maxes) bilinear samples of
/// X[batch_indices[r], c] on a grid of sampling_ratio^2 points per output
/// cell (adaptive: ceil(roi extent / output extent) per axis, a run-time
/// loop bound). Sampling as ONNX Runtime does: points beyond one pixel
/// outside contribute 0, others are clamped to the image.
struct RoiAlignPattern : OpConversionPattern<onnx::RoiAlignOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::RoiAlignOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    auto rt = dyn_cast<RankedTensorType>(op.getY().getType());
    if (!xt || !xt.hasStaticShape() || xt.getRank() != 4 || !rt || !rt.hasStaticShape())
      return op.emitOpError("needs a static 4-D X and a static result");
    bool outputHalfPixel = op.getCoordinateTransformationMode() == "output_half_pixel";
    if (!outputHalfPixel && op.getCoordinateTransformationMode() != "half_pixel")
      return op.emitOpError() << "coordinate_transformation_mode '" << op.getCoordinateTransformationMode()
                              << "' is not half_pixel or output_half_pixel";
    bool isMax = op.getMode() == "max";
    if (!isMax && op.getMode() != "avg")
      return op.emitOpError() << "mode '" << op.getMode() << "' is not avg or max";
    Location loc = op.getLoc();
    int64_t n = xt.getDimSize(0), h = xt.getDimSize(2), w = xt.getDimSize(3);
    int64_t oh = op.getOutputHeight(), ow = op.getOutputWidth(), ratio = op.getSamplingRatio();
    double scale = op.getSpatialScale().convertToDouble(), offset = outputHalfPixel ? 0.0 : 0.5;
    Value x = ad.getX(), rois = ad.getRois(), batch = ad.getBatchIndices();
    Type elem = xt.getElementType();
    Value y = generateTensor(rw, loc, rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      F f{b, l, elem};
      Value r = iv[0], ch = iv[1];
      auto roi = [&](int64_t k) {
        Value v = castScalar(b, l, tensor::ExtractOp::create(b, l, rois, ValueRange{r, cIdx(b, l, k)}), elem);
        return f.sub(f.mul(v, f.c(scale)), f.c(offset));
      };
      Value x1 = roi(0), y1 = roi(1), x2 = roi(2), y2 = roi(3);
      Value roiW = f.sub(x2, x1), roiH = f.sub(y2, y1);
      if (outputHalfPixel) { // legacy: at least one pixel
        roiW = arith::MaximumFOp::create(b, l, roiW, f.c(1));
        roiH = arith::MaximumFOp::create(b, l, roiH, f.c(1));
      }
      Value binH = f.div(roiH, f.c(double(oh))), binW = f.div(roiW, f.c(double(ow)));
      auto gridOf = [&](Value bin) -> Value {
        if (ratio > 0)
          return cIdx(b, l, ratio);
        Value g = arith::FPToSIOp::create(b, l, b.getI64Type(), math::CeilOp::create(b, l, bin));
        return arith::IndexCastOp::create(b, l, b.getIndexType(),
                                          arith::MaxSIOp::create(b, l, g, arith::ConstantIntOp::create(b, l, b.getI64Type(), 0)));
      };
      Value gh = gridOf(binH), gw = gridOf(binW);
      Value bi = arith::IndexCastOp::create(
          b, l, b.getIndexType(),
          arith::MinSIOp::create(b, l,
                                 arith::MaxSIOp::create(b, l, tensor::ExtractOp::create(b, l, batch, ValueRange{r}),
                                                        arith::ConstantIntOp::create(b, l, b.getI64Type(), 0)),
                                 arith::ConstantIntOp::create(b, l, b.getI64Type(), n - 1)));
      auto toF = [&](Value idx) {
        return arith::SIToFPOp::create(b, l, elem, arith::IndexCastOp::create(b, l, b.getI64Type(), idx)).getResult();
      };
      Value ghF = toF(gh), gwF = toF(gw);
      Value startY = f.add(y1, f.mul(toF(iv[2]), binH)), startX = f.add(x1, f.mul(toF(iv[3]), binW));
      Value init = f.c(isMax ? -std::numeric_limits<double>::infinity() : 0.0);
      Value total = forLoop(b, l, cIdx(b, l, 0), gh, ValueRange{init}, [&](OpBuilder &b1, Location l1, Value iy, ValueRange acc) {
        F g{b1, l1, elem};
        Value sy = g.add(startY, g.div(g.mul(g.add(toF(iy), g.c(0.5)), binH), ghF));
        return forLoop(b1, l1, cIdx(b1, l1, 0), gw, acc, [&](OpBuilder &b2, Location l2, Value ix, ValueRange acc2) {
          F k{b2, l2, elem};
          Value sx = k.add(startX, k.div(k.mul(k.add(toF(ix), k.c(0.5)), binW), gwF));
          auto olt = [&](Value a, double c) { return arith::CmpFOp::create(b2, l2, arith::CmpFPredicate::OLT, a, k.c(c)); };
          auto ogt = [&](Value a, double c) { return arith::CmpFOp::create(b2, l2, arith::CmpFPredicate::OGT, a, k.c(c)); };
          Value outside = arith::OrIOp::create(
              b2, l2, arith::OrIOp::create(b2, l2, olt(sy, -1.0), ogt(sy, double(h))),
              arith::OrIOp::create(b2, l2, olt(sx, -1.0), ogt(sx, double(w))));
          // Low/high taps and the fraction along one axis of extent `size`.
          auto taps = [&](Value v, int64_t size) {
            v = arith::MaximumFOp::create(b2, l2, v, k.c(0));
            Value lowF = arith::MinimumFOp::create(b2, l2, k.floor(v), k.c(double(size - 1)));
            Value atEdge = arith::CmpFOp::create(b2, l2, arith::CmpFPredicate::OGE, lowF, k.c(double(size - 1)));
            Value frac = arith::SelectOp::create(b2, l2, atEdge, k.c(0), k.sub(v, lowF));
            Value low = arith::FPToSIOp::create(b2, l2, b2.getI64Type(), lowF);
            Value high = arith::SelectOp::create(b2, l2, atEdge, low,
                                                 arith::AddIOp::create(b2, l2, low, arith::ConstantIntOp::create(b2, l2, b2.getI64Type(), 1)));
            auto idx = [&](Value i) { return arith::IndexCastOp::create(b2, l2, b2.getIndexType(), i).getResult(); };
            return std::tuple{idx(low), idx(high), frac};
          };
          auto [yl, yh, ly] = taps(sy, h);
          auto [xl, xh, lx] = taps(sx, w);
          Value hy = k.sub(k.c(1), ly), hx = k.sub(k.c(1), lx);
          auto at = [&](Value yy, Value xx) {
            return castScalar(b2, l2, tensor::ExtractOp::create(b2, l2, x, ValueRange{bi, ch, yy, xx}), elem);
          };
          Value t1 = k.mul(k.mul(hy, hx), at(yl, xl)), t2 = k.mul(k.mul(hy, lx), at(yl, xh));
          Value t3 = k.mul(k.mul(ly, hx), at(yh, xl)), t4 = k.mul(k.mul(ly, lx), at(yh, xh));
          Value v = isMax ? arith::MaximumFOp::create(b2, l2, arith::MaximumFOp::create(b2, l2, t1, t2),
                                                      arith::MaximumFOp::create(b2, l2, t3, t4)).getResult()
                          : k.add(k.add(t1, t2), k.add(t3, t4));
          v = arith::SelectOp::create(b2, l2, outside, k.c(0), v);
          Value next = isMax ? arith::MaximumFOp::create(b2, l2, acc2[0], v).getResult() : k.add(acc2[0], v);
          return SmallVector<Value>{next};
        });
      })[0];
      Value count = arith::MaxSIOp::create(b, l, arith::MulIOp::create(b, l, gh, gw), cIdx(b, l, 1));
      if (isMax) {
        Value none = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, arith::MulIOp::create(b, l, gh, gw), cIdx(b, l, 0));
        return arith::SelectOp::create(b, l, none, f.c(0), total).getResult();
      }
      return f.div(total, toF(count));
    });
    rw.replaceOp(op, y);
    return success();
  }
};

/// AffineGrid (opset 20): grid[n, (d,) h, w, :] = theta[n] applied to the
/// normalized coordinates (x, y(, z), 1) of the output position; with
/// align_corners the extreme positions sit at -1 and 1, else the pixel
/// centres of a [-1, 1] span.
struct AffineGridPattern : OpConversionPattern<onnx::AffineGridOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::AffineGridOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = dyn_cast<RankedTensorType>(op.getGrid().getType());
    if (!rt || !rt.hasStaticShape() || (rt.getRank() != 4 && rt.getRank() != 5))
      return op.emitOpError("needs a constant size (a static [N, H, W, 2] or [N, D, H, W, 3] grid)");
    int64_t sp = rt.getRank() - 2; // spatial dims: 2 or 3
    bool align = op.getAlignCorners() != 0;
    Value theta = ad.getTheta();
    Type elem = rt.getElementType();
    Value y = generateTensor(rw, op.getLoc(), rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      F f{b, l, elem};
      // Coordinates in (x, y, z) order: the last spatial dim is x.
      SmallVector<Value> coord;
      for (int64_t k = 0; k < sp; ++k) {
        int64_t dim = 1 + sp - 1 - k, size = rt.getDimSize(dim);
        Value i = arith::SIToFPOp::create(b, l, elem, arith::IndexCastOp::create(b, l, b.getI64Type(), iv[dim]));
        if (align)
          coord.push_back(size > 1 ? f.sub(f.mul(i, f.c(2.0 / double(size - 1))), f.c(1)) : f.c(0));
        else
          coord.push_back(f.sub(f.div(f.add(f.mul(i, f.c(2)), f.c(1)), f.c(double(size))), f.c(1)));
      }
      coord.push_back(f.c(1));
      Value sum = f.c(0);
      for (int64_t k = 0; k <= sp; ++k) {
        Value t = castScalar(b, l, tensor::ExtractOp::create(b, l, theta, ValueRange{iv[0], iv[rt.getRank() - 1], cIdx(b, l, k)}), elem);
        sum = f.add(sum, f.mul(t, coord[k]));
      }
      return sum;
    });
    rw.replaceOp(op, y);
    return success();
  }
};

/// X[n, c] at (py, px), bilinear, as DeformConv's reference (torchvision,
/// ONNX Runtime) samples: 0 beyond one pixel outside, and each corner tap
/// outside the image counts 0.
Value deformSample(OpBuilder &b, Location l, Type elem, Value x, Value n, Value c, Value py, Value px,
                   int64_t h, int64_t w) {
  F f{b, l, elem};
  auto cmp = [&](arith::CmpFPredicate p, Value a, double v) {
    return arith::CmpFOp::create(b, l, p, a, f.c(v)).getResult();
  };
  auto both = [&](Value a, Value c) { return arith::AndIOp::create(b, l, a, c).getResult(); };
  Value inside = both(both(cmp(arith::CmpFPredicate::OGT, py, -1), cmp(arith::CmpFPredicate::OLT, py, double(h))),
                      both(cmp(arith::CmpFPredicate::OGT, px, -1), cmp(arith::CmpFPredicate::OLT, px, double(w))));
  // Clamped before the conversion so that NaN or far offsets stay defined.
  auto low = [&](Value v, int64_t size) {
    Value fl = arith::MinNumFOp::create(b, l, arith::MaxNumFOp::create(b, l, f.floor(v), f.c(-1)), f.c(double(size)));
    return std::pair{fl, arith::FPToSIOp::create(b, l, b.getI64Type(), fl).getResult()};
  };
  Value yf, yl, xf, xl;
  std::tie(yf, yl) = low(py, h);
  std::tie(xf, xl) = low(px, w);
  Value ly = f.sub(py, yf), lx = f.sub(px, xf), hy = f.sub(f.c(1), ly), hx = f.sub(f.c(1), lx);
  auto i64 = [&](int64_t v) { return arith::ConstantIntOp::create(b, l, b.getI64Type(), v).getResult(); };
  auto tap = [&](int64_t dy, int64_t dx) -> Value {
    Value y = arith::AddIOp::create(b, l, yl, i64(dy)), xx = arith::AddIOp::create(b, l, xl, i64(dx));
    auto in = [&](Value v, int64_t size) {
      return both(arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, v, i64(0)),
                  arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, v, i64(size)));
    };
    auto clampIdx = [&](Value v, int64_t size) {
      Value cl = arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, v, i64(0)), i64(size - 1));
      return arith::IndexCastOp::create(b, l, b.getIndexType(), cl).getResult();
    };
    Value v = tensor::ExtractOp::create(b, l, x, ValueRange{n, c, clampIdx(y, h), clampIdx(xx, w)});
    return arith::SelectOp::create(b, l, both(in(y, h), in(xx, w)), v, f.c(0));
  };
  Value sum = f.add(f.add(f.mul(f.mul(hy, hx), tap(0, 0)), f.mul(f.mul(hy, lx), tap(0, 1))),
                    f.add(f.mul(f.mul(ly, hx), tap(1, 0)), f.mul(f.mul(ly, lx), tap(1, 1))));
  return arith::SelectOp::create(b, l, inside, sum, f.c(0));
}

/// DeformConv (2-D): every kernel tap of every output position samples X
/// at the tap's position moved by its offsets (deformSample), times the
/// mask; a group's samples are the columns of one matmul with its filters.
struct DeformConvPattern : OpConversionPattern<onnx::DeformConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::DeformConvOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    auto wt = dyn_cast<RankedTensorType>(ad.getW().getType());
    auto rt = dyn_cast<RankedTensorType>(op.getY().getType());
    if (!xt || !wt || !rt || !xt.hasStaticShape() || !wt.hasStaticShape() || !rt.hasStaticShape())
      return op.emitOpError("needs static X, W and result shapes");
    if (xt.getRank() != 4 || wt.getRank() != 4)
      return op.emitOpError("supports 2-D convolutions (X of shape [N, C, H, W]) only");
    int64_t n = xt.getDimSize(0), c = xt.getDimSize(1), h = xt.getDimSize(2), w = xt.getDimSize(3);
    int64_t oc = wt.getDimSize(0), cg = wt.getDimSize(1), kh = wt.getDimSize(2), kw = wt.getDimSize(3);
    int64_t oh = rt.getDimSize(2), ow = rt.getDimSize(3), groups = op.getGroup(), og = op.getOffsetGroup();
    if (groups < 1 || c != cg * groups || oc % groups != 0 || og < 1 || c % og != 0)
      return op.emitOpError() << "X's " << c << " channels and W's " << oc << "x" << cg
                              << " do not split into group " << groups << " and offset_group " << og;
    int64_t taps = kh * kw, k = cg * taps, perOffsetGroup = c / og;
    auto expect = [&](Value v, int64_t channels, StringRef what) {
      auto t = dyn_cast<RankedTensorType>(v.getType());
      if (t && t.getShape() == ArrayRef<int64_t>{n, channels, oh, ow})
        return success();
      return LogicalResult(op.emitOpError() << what << " must have shape [" << n << ", " << channels << ", "
                                            << oh << ", " << ow << "], not " << v.getType());
    };
    Value x = ad.getX(), off = ad.getOffset(), mask = ad.getMask(), bias = ad.getB();
    bool hasMask = !isa<NoneType>(mask.getType());
    if (failed(expect(off, og * 2 * taps, "offset")) || (hasMask && failed(expect(mask, og * taps, "mask"))))
      return failure();
    auto s = onnx::orOnes(op.getStrides(), 2), d = onnx::orOnes(op.getDilations(), 2);
    SmallVector<int64_t> p(4, 0);
    if (auto pads = op.getPads(); pads && pads->size() == 4)
      p.assign(pads->begin(), pads->end());
    Location loc = op.getLoc();
    Type elem = xt.getElementType();

    // cols[n, g, (c', i, j), (y, x)]: channel g * cg + c', tap (i, j).
    auto colsType = RankedTensorType::get({n, groups, k, oh * ow}, elem);
    Value cols = generateTensor(rw, loc, colsType, {}, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
      F f{b, l, elem};
      auto div = [&](Value a, int64_t v) { return arith::DivUIOp::create(b, l, a, cIdx(b, l, v)).getResult(); };
      auto rem = [&](Value a, int64_t v) { return arith::RemUIOp::create(b, l, a, cIdx(b, l, v)).getResult(); };
      auto madd = [&](Value a, int64_t m, Value c) {
        return arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, a, cIdx(b, l, m)), c).getResult();
      };
      auto toF = [&](Value i) {
        return arith::SIToFPOp::create(b, l, elem, arith::IndexCastOp::create(b, l, b.getI64Type(), i)).getResult();
      };
      Value ch = madd(iv[1], cg, div(iv[2], taps));
      Value tap = rem(iv[2], taps), i = div(tap, kw), j = rem(tap, kw);
      Value yo = div(iv[3], ow), xo = rem(iv[3], ow);
      Value g = div(ch, perOffsetGroup);
      Value offCh = madd(g, 2 * taps, madd(tap, 2, cIdx(b, l, 0)));
      Value dy = tensor::ExtractOp::create(b, l, off, ValueRange{iv[0], offCh, yo, xo});
      Value dx = tensor::ExtractOp::create(
          b, l, off, ValueRange{iv[0], arith::AddIOp::create(b, l, offCh, cIdx(b, l, 1)), yo, xo});
      Value py = f.add(f.sub(toF(madd(yo, s[0], madd(i, d[0], cIdx(b, l, 0)))), f.c(double(p[0]))), dy);
      Value px = f.add(f.sub(toF(madd(xo, s[1], madd(j, d[1], cIdx(b, l, 0)))), f.c(double(p[1]))), dx);
      Value v = deformSample(b, l, elem, x, iv[0], ch, py, px, h, w);
      if (hasMask)
        v = f.mul(v, tensor::ExtractOp::create(b, l, mask, ValueRange{iv[0], madd(g, taps, tap), yo, xo}));
      return v;
    });
    // W [oc, cg, kh, kw] -> [1, groups, oc / groups, k]: one matmul per group.
    Value wk = tensor::CollapseShapeOp::create(rw, loc, ad.getW(), SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
    wk = tensor::ExpandShapeOp::create(rw, loc, RankedTensorType::get({1, groups, oc / groups, k}, elem), wk,
                                       SmallVector<ReassociationIndices>{{0, 1, 2}, {3}});
    Value y = buildMatMul(rw, loc, RankedTensorType::get({n, groups, oc / groups, oh * ow}, elem), wk, cols);
    y = tensor::CollapseShapeOp::create(rw, loc, y, SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}});
    y = tensor::ExpandShapeOp::create(rw, loc, rt, y, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
    if (!isa<NoneType>(bias.getType())) {
      Value b3 = tensor::ExpandShapeOp::create(rw, loc, RankedTensorType::get({oc, 1, 1}, elem), bias,
                                               SmallVector<ReassociationIndices>{{0, 1, 2}});
      y = buildElementwise(rw, loc, rt, ValueRange{y, b3}, [](OpBuilder &b, Location l, Type, ValueRange a) {
        return arith::AddFOp::create(b, l, a[0], a[1]).getResult();
      });
    }
    rw.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateSamplingPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  p.add<GridSamplePattern, ResizePattern, UpsamplePattern, RoiAlignPattern, AffineGridPattern, DeformConvPattern>(
      p.getContext());
  for (StringRef n : {"onnx.GridSample", "onnx.Resize", "onnx.Upsample", "onnx.RoiAlign", "onnx.AffineGrid",
                      "onnx.DeformConv"})
    names.insert(n);
}

} // namespace onnxc::conversion
