//===- Sampling.cpp - onnx GridSample -> linalg ----------------------------===//
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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

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
    Value init = tensor::EmptyOp::create(rw, loc, rt->getShape(), elem);
    SmallVector<utils::IteratorType> iters(4, utils::IteratorType::parallel);
    Value y = linalg::GenericOp::create(
                  rw, loc, TypeRange{*rt}, ValueRange{}, ValueRange{init},
                  ArrayRef<AffineMap>{rw.getMultiDimIdentityMap(4)}, iters,
                  [&](OpBuilder &b, Location l, ValueRange) {
                    SmallVector<Value> iv;
                    for (int64_t i = 0; i < 4; ++i)
                      iv.push_back(linalg::IndexOp::create(b, l, i));
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
                      // Cubic convolution weights for taps at -1, 0, 1, 2.
                      auto weights = [&](Value t) {
                        const double A = -0.75;
                        auto near = [&](Value d) { // |d| <= 1
                          return f.add(f.mul(f.mul(f.sub(f.mul(f.c(A + 2), d), f.c(A + 3)), d), d), f.c(1));
                        };
                        auto far = [&](Value d) { // 1 < |d| < 2
                          Value p = f.add(f.mul(f.sub(f.mul(f.c(A), d), f.c(5 * A)), d), f.c(8 * A));
                          return f.sub(f.mul(p, d), f.c(4 * A));
                        };
                        return SmallVector<Value>{far(f.add(t, f.c(1))), near(t), near(f.sub(f.c(1), t)),
                                                  far(f.sub(f.c(2), t))};
                      };
                      Value x0 = f.floor(ix), y0 = f.floor(iy);
                      SmallVector<Value> wx = weights(f.sub(ix, x0)), wy = weights(f.sub(iy, y0));
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
                    linalg::YieldOp::create(b, l, r);
                  })
                  .getResult(0);
    rw.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateSamplingPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  p.add<GridSamplePattern>(p.getContext());
  names.insert("onnx.GridSample");
}

} // namespace onnxc::conversion
