//===- Signal.cpp - windows, DFT, STFT, MelWeightMatrix -> linalg ---------===//
//
// The signal-processing ops: Hann/Hamming/Blackman windows, DFT, STFT and
// MelWeightMatrix. Their sizes are often run-time inputs: each compiles for
// the result shape the model declares and checks the inputs against it
// (ONNXC_ERR_DATA); reads stay in bounds either way. Sums of products with
// cosines run in f64, as the reference implementations do.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

/// Hann/Hamming/Blackman windows of the declared length (the size input
/// is checked): sums of cosines of 2 pi k n / N, N = size (periodic) or
/// size - 1 (symmetric).
template <typename OpTy>
struct WindowPattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = declaredResult(op);
    if (failed(rt))
      return failure();
    Location loc = op.getLoc();
    int64_t size = rt->getDimSize(0);
    Value sz = castScalar(rw, loc, firstElement(rw, loc, ad.getSize()), rw.getI64Type());
    emitRuntimeCheck(rw, loc, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, sz,
                                                    arith::ConstantIntOp::create(rw, loc, size, 64)));
    // Coefficients a_k of cos(2 pi k n / N), k = 0, 1, 2.
    double a[3];
    if constexpr (std::is_same_v<OpTy, onnx::HannWindowOp>)
      a[0] = 0.5, a[1] = -0.5, a[2] = 0;
    else if constexpr (std::is_same_v<OpTy, onnx::HammingWindowOp>)
      a[0] = 25.0 / 46.0, a[1] = -(1 - 25.0 / 46.0), a[2] = 0;
    else
      a[0] = 0.42, a[1] = -0.5, a[2] = 0.08;
    double n = op.getPeriodic() ? double(size) : double(size - 1);
    Type elem = rt->getElementType();
    Value r = generateTensor(rw, loc, *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
      Type f32 = b.getF32Type();
      Value i = arith::UIToFPOp::create(b, l, f32, arith::IndexCastOp::create(b, l, b.getI64Type(), iv[0]));
      Value phase = arith::MulFOp::create(b, l, i, scalarConstant(b, l, f32, 2 * llvm::numbers::pi / n));
      Value v = scalarConstant(b, l, f32, a[0]);
      for (int k = 1; k < 3; ++k)
        if (a[k] != 0) {
          Value c = math::CosOp::create(b, l, arith::MulFOp::create(b, l, phase, scalarConstant(b, l, f32, k)));
          v = arith::AddFOp::create(b, l, v, arith::MulFOp::create(b, l, c, scalarConstant(b, l, f32, a[k])));
        }
      return castScalar(b, l, v, elem);
    });
    rw.replaceOp(op, r);
    return success();
  }
};

/// DFT along `axis` (last input dim: 1 = real, 2 = complex), forward or
/// inverse (scaled by 1/n), one-sided by the declared length: a generic
/// over the output and the summed input position j, reading x by index.
struct DFTPattern : OpConversionPattern<onnx::DFTOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::DFTOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = declaredResult(op);
    auto xt = dyn_cast<RankedTensorType>(ad.getInput().getType());
    if (failed(rt) || !xt || !xt.hasStaticShape() || !isa<FloatType>(xt.getElementType()))
      return op.emitOpError("needs a static float input and a declared result");
    Location loc = op.getLoc();
    MLIRContext *ctx = rw.getContext();
    int64_t rank = xt.getRank();
    // axis (an input since 20, default -2) and dft_length must be constants.
    int64_t axisValue = -2;
    if (!onnx::isNone(op.getAxis())) {
      auto a = onnx::getConstantInts(op.getAxis());
      if (!a || a->size() != 1)
        return op.emitOpError("needs a constant 'axis'");
      axisValue = a->front();
    }
    auto axisOpt = onnx::normalizeAxis(axisValue, rank);
    if (!axisOpt || *axisOpt == rank - 1 || rt->getRank() != rank || rt->getDimSize(rank - 1) != 2)
      return op.emitOpError("axis must name a signal dim and the result end in 2 (real, imaginary)");
    int64_t axis = *axisOpt, inLen = xt.getDimSize(axis), n = inLen;
    if (!onnx::isNone(op.getDftLength())) {
      auto len = onnx::getConstantInts(op.getDftLength());
      if (!len || len->size() != 1 || len->front() < 1)
        return op.emitOpError("needs a constant, positive 'dft_length'");
      n = len->front();
    }
    // The signal is cut to n samples or zero-extended to them.
    int64_t reads = std::min(n, inLen);
    int64_t outLen = op.getOnesided() != 0 ? n / 2 + 1 : n;
    for (int64_t d = 0; d + 1 < rank; ++d)
      if (rt->getDimSize(d) != (d == axis ? outLen : xt.getDimSize(d)))
        return op.emitOpError() << "declared result dim " << d << " is " << rt->getDimSize(d)
                                << ", the DFT gives " << (d == axis ? outLen : xt.getDimSize(d));
    bool complex = xt.getDimSize(rank - 1) == 2, inverse = op.getInverse() != 0;
    // Sums in f64: the reference is exact to ~1e-12 and near-zero outputs
    // must stay near zero.
    Type f64 = rw.getF64Type();
    auto accType = RankedTensorType::get(rt->getShape(), f64);
    Value x = ad.getInput();
    SmallVector<AffineExpr> outE;
    for (int64_t d = 0; d < rank; ++d)
      outE.push_back(getAffineDimExpr(d, ctx));
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters.push_back(utils::IteratorType::reduction);
    Value window = tensor::EmptyOp::create(rw, loc, ArrayRef<int64_t>{reads}, f64);
    Value y = linalg::GenericOp::create(
                  rw, loc, TypeRange{accType}, ValueRange{window}, ValueRange{filled(rw, loc, accType, Value(), 0.0)},
                  ArrayRef<AffineMap>{AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, ctx)),
                                      AffineMap::get(rank + 1, 0, outE, ctx)},
                  iters,
                  [&](OpBuilder &b, Location l, ValueRange a) {
                    SmallVector<Value> iv;
                    for (int64_t d = 0; d <= rank; ++d)
                      iv.push_back(linalg::IndexOp::create(b, l, d));
                    Value k = iv[axis], j = iv[rank], comp = iv[rank - 1];
                    // theta = 2 pi ((j * k) mod n) / n keeps the angle small.
                    Value jk = arith::RemUIOp::create(b, l, arith::MulIOp::create(b, l, j, k), cIdx(b, l, n));
                    Value f = arith::UIToFPOp::create(b, l, f64, arith::IndexCastOp::create(b, l, b.getI64Type(), jk));
                    Value th = arith::MulFOp::create(b, l, f, scalarConstant(b, l, f64, 2 * llvm::numbers::pi / n));
                    Value c = math::CosOp::create(b, l, th), sn = math::SinOp::create(b, l, th);
                    if (!inverse)
                      sn = arith::NegFOp::create(b, l, sn);
                    SmallVector<Value> at(iv.begin(), iv.begin() + rank);
                    at[axis] = j;
                    at[rank - 1] = cIdx(b, l, 0);
                    Value re = castScalar(b, l, tensor::ExtractOp::create(b, l, x, at), f64);
                    Value im = scalarConstant(b, l, f64, 0);
                    if (complex) {
                      at[rank - 1] = cIdx(b, l, 1);
                      im = castScalar(b, l, tensor::ExtractOp::create(b, l, x, at), f64);
                    }
                    // (re + i im)(c + i sn)
                    Value outRe = arith::SubFOp::create(b, l, arith::MulFOp::create(b, l, re, c), arith::MulFOp::create(b, l, im, sn));
                    Value outIm = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, re, sn), arith::MulFOp::create(b, l, im, c));
                    Value isRe = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, comp, cIdx(b, l, 0));
                    Value v = arith::SelectOp::create(b, l, isRe, outRe, outIm);
                    if (inverse)
                      v = arith::DivFOp::create(b, l, v, scalarConstant(b, l, f64, double(n)));
                    linalg::YieldOp::create(b, l, ValueRange{arith::AddFOp::create(b, l, a[1], v)});
                  })
                  .getResult(0);
    y = buildElementwise(rw, loc, *rt, ValueRange{y}, [](OpBuilder &b, Location l, Type t, ValueRange a) {
      return castScalar(b, l, a[0], t);
    });
    rw.replaceOp(op, y);
    return success();
  }
};

/// A run-time scalar input as an index (sizes, steps).
Value indexOf(OpBuilder &b, Location loc, Value scalarTensor) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                    castScalar(b, loc, firstElement(b, loc, scalarTensor), b.getI64Type()));
}

Value cmpEq(OpBuilder &b, Location l, Value x, Value y) {
  return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, x, y);
}

/// STFT: out[b, f, k, re|im] = sum_n x[b, f * step + n] w[n] e^{-2 pi i k n / L}
/// over frames of length L (the window's length, else the frame_length
/// input). The frame count and bin count come from the declared result and
/// are checked against step, L and the signal's length; the sum runs over
/// the largest L the bin count allows and masks n >= L.
struct STFTPattern : OpConversionPattern<onnx::STFTOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::STFTOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = declaredResult(op);
    auto xt = dyn_cast<RankedTensorType>(ad.getSignal().getType());
    if (failed(rt) || !xt || !xt.hasStaticShape() || xt.getRank() != 3 || rt->getRank() != 4 ||
        rt->getDimSize(3) != 2)
      return op.emitOpError("needs a static [batch, length, 1|2] signal and a declared [batch, frames, bins, 2] result");
    Location loc = op.getLoc();
    MLIRContext *ctx = rw.getContext();
    bool onesided = op.getOnesided() != 0, complex = xt.getDimSize(2) == 2;
    int64_t frames = rt->getDimSize(1), bins = rt->getDimSize(2), length = xt.getDimSize(1);
    Value window = onnx::isNone(op.getWindow()) ? Value() : ad.getWindow();
    int64_t maxLen = onesided ? 2 * bins - 1 : bins;
    Value frameLen;
    if (window) {
      auto wt = dyn_cast<RankedTensorType>(window.getType());
      if (!wt || wt.getRank() != 1 || !wt.hasStaticShape())
        return op.emitOpError("needs a static 1-D window");
      maxLen = wt.getDimSize(0);
      frameLen = cIdx(rw, loc, maxLen);
    } else if (!onnx::isNone(op.getFrameLength())) {
      frameLen = indexOf(rw, loc, ad.getFrameLength());
    } else {
      return op.emitOpError("needs a window or a frame_length");
    }
    Value step = indexOf(rw, loc, ad.getFrameStep());
    // frames = (length - L) / step + 1, bins = L/2 + 1 (one-sided) or L.
    Value one = cIdx(rw, loc, 1);
    Value okLen = arith::AndIOp::create(
        rw, loc, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::sge, frameLen, one),
        arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::sle, frameLen, cIdx(rw, loc, std::min(maxLen, length))));
    Value okStep = arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::sge, step, one);
    Value safeStep = arith::MaxSIOp::create(rw, loc, step, one);
    Value wantFrames = arith::AddIOp::create(
        rw, loc, arith::DivSIOp::create(rw, loc, arith::SubIOp::create(rw, loc, cIdx(rw, loc, length), frameLen), safeStep),
        one);
    Value wantBins = onesided ? arith::AddIOp::create(rw, loc, arith::DivSIOp::create(rw, loc, frameLen, cIdx(rw, loc, 2)), one).getResult()
                              : frameLen;
    Value ok = arith::AndIOp::create(rw, loc, arith::AndIOp::create(rw, loc, okLen, okStep),
                                     arith::AndIOp::create(rw, loc, cmpEq(rw, loc, wantFrames, cIdx(rw, loc, frames)),
                                                           cmpEq(rw, loc, wantBins, cIdx(rw, loc, bins))));
    emitRuntimeCheck(rw, loc, ok);
    Type f64 = rw.getF64Type();
    auto accType = RankedTensorType::get(rt->getShape(), f64);
    Value x = ad.getSignal();
    Value lenF = arith::UIToFPOp::create(rw, loc, f64, arith::IndexCastOp::create(rw, loc, rw.getI64Type(), frameLen));
    Value nRange = tensor::EmptyOp::create(rw, loc, ArrayRef<int64_t>{maxLen}, f64);
    SmallVector<AffineExpr> outE;
    for (int64_t d = 0; d < 4; ++d)
      outE.push_back(getAffineDimExpr(d, ctx));
    SmallVector<utils::IteratorType> iters(4, utils::IteratorType::parallel);
    iters.push_back(utils::IteratorType::reduction);
    Value y = linalg::GenericOp::create(
                  rw, loc, TypeRange{accType}, ValueRange{nRange}, ValueRange{filled(rw, loc, accType, Value(), 0.0)},
                  ArrayRef<AffineMap>{AffineMap::get(5, 0, getAffineDimExpr(4, ctx)), AffineMap::get(5, 0, outE, ctx)},
                  iters,
                  [&](OpBuilder &b, Location l, ValueRange a) {
                    SmallVector<Value> iv;
                    for (int64_t d = 0; d < 5; ++d)
                      iv.push_back(linalg::IndexOp::create(b, l, d));
                    Value bt = iv[0], f = iv[1], k = iv[2], comp = iv[3], n = iv[4];
                    Value pos = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, f, safeStep), n);
                    Value valid = arith::AndIOp::create(
                        b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, n, frameLen),
                        arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, pos, cIdx(b, l, length)));
                    Value at = arith::SelectOp::create(b, l, valid, pos, cIdx(b, l, 0));
                    Value re = castScalar(b, l, tensor::ExtractOp::create(b, l, x, ValueRange{bt, at, cIdx(b, l, 0)}), f64);
                    Value im = complex ? castScalar(b, l, tensor::ExtractOp::create(b, l, x, ValueRange{bt, at, cIdx(b, l, 1)}), f64)
                                       : scalarConstant(b, l, f64, 0);
                    if (window) {
                      Value w = castScalar(b, l, tensor::ExtractOp::create(b, l, window, ValueRange{n}), f64);
                      re = arith::MulFOp::create(b, l, re, w);
                      im = arith::MulFOp::create(b, l, im, w);
                    }
                    // theta = 2 pi ((k n) mod L) / L, e^{-i theta}.
                    Value safeLen = arith::MaxUIOp::create(b, l, frameLen, cIdx(b, l, 1));
                    Value kn = arith::RemUIOp::create(b, l, arith::MulIOp::create(b, l, k, n), safeLen);
                    Value th = arith::DivFOp::create(
                        b, l,
                        arith::MulFOp::create(b, l,
                                              arith::UIToFPOp::create(b, l, f64, arith::IndexCastOp::create(b, l, b.getI64Type(), kn)),
                                              scalarConstant(b, l, f64, 2 * llvm::numbers::pi)),
                        lenF);
                    Value c = math::CosOp::create(b, l, th);
                    Value sn = arith::NegFOp::create(b, l, math::SinOp::create(b, l, th));
                    Value outRe = arith::SubFOp::create(b, l, arith::MulFOp::create(b, l, re, c), arith::MulFOp::create(b, l, im, sn));
                    Value outIm = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, re, sn), arith::MulFOp::create(b, l, im, c));
                    Value v = arith::SelectOp::create(b, l, cmpEq(b, l, comp, cIdx(b, l, 0)), outRe, outIm);
                    v = arith::SelectOp::create(b, l, valid, v, scalarConstant(b, l, f64, 0));
                    linalg::YieldOp::create(b, l, ValueRange{arith::AddFOp::create(b, l, a[1], v)});
                  })
                  .getResult(0);
    rw.replaceOp(op, buildElementwise(rw, loc, *rt, ValueRange{y}, [](OpBuilder &b, Location l, Type t, ValueRange a) {
                   return castScalar(b, l, a[0], t);
                 }));
    return success();
  }
};

/// MelWeightMatrix [dft_length/2 + 1, num_mel_bins] (declared, checked):
/// triangular filters between mel-spaced points, as the operator's
/// reference computes them (num_mel_bins + 2 points; bins by floor).
struct MelWeightMatrixPattern : OpConversionPattern<onnx::MelWeightMatrixOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::MelWeightMatrixOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = declaredResult(op);
    if (failed(rt) || rt->getRank() != 2)
      return failure();
    Location loc = op.getLoc();
    Type f64 = rw.getF64Type(), i64 = rw.getI64Type();
    Value mels = castScalar(rw, loc, firstElement(rw, loc, ad.getNumMelBins()), i64);
    Value dft = castScalar(rw, loc, firstElement(rw, loc, ad.getDftLength()), i64);
    Value rate = castScalar(rw, loc, firstElement(rw, loc, ad.getSampleRate()), f64);
    Value lo = castScalar(rw, loc, firstElement(rw, loc, ad.getLowerEdgeHertz()), f64);
    Value hi = castScalar(rw, loc, firstElement(rw, loc, ad.getUpperEdgeHertz()), f64);
    auto c64 = [&](OpBuilder &b, Location l, double v) { return scalarConstant(b, l, f64, v); };
    auto i64c = [&](OpBuilder &b, Location l, int64_t v) { return arith::ConstantIntOp::create(b, l, i64, v); };
    Value wantRows = arith::AddIOp::create(rw, loc, arith::DivSIOp::create(rw, loc, dft, i64c(rw, loc, 2)), i64c(rw, loc, 1));
    emitRuntimeCheck(rw, loc,
                     arith::AndIOp::create(rw, loc, cmpEq(rw, loc, wantRows, i64c(rw, loc, rt->getDimSize(0))),
                                           cmpEq(rw, loc, mels, i64c(rw, loc, rt->getDimSize(1)))));
    // mel(f) = 2595 log10(1 + f / 700)
    auto toMel = [&](Value f) {
      Value r = arith::AddFOp::create(rw, loc, c64(rw, loc, 1), arith::DivFOp::create(rw, loc, f, c64(rw, loc, 700)));
      return arith::MulFOp::create(rw, loc, c64(rw, loc, 2595), math::Log10Op::create(rw, loc, r));
    };
    Value loMel = toMel(lo);
    Value melStep = arith::DivFOp::create(rw, loc, arith::SubFOp::create(rw, loc, toMel(hi), loMel),
                                          castScalar(rw, loc, arith::AddIOp::create(rw, loc, mels, i64c(rw, loc, 2)), f64));
    Value dftPlus1 = castScalar(rw, loc, arith::AddIOp::create(rw, loc, dft, i64c(rw, loc, 1)), f64);
    Value y = generateTensor(rw, loc, *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      // Point p in FFT bins: floor((dft + 1) * hz(p * step + lo_mel) / rate).
      auto point = [&](Value p) {
        Value mel = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, castScalar(b, l, p, f64), melStep), loMel);
        Value hz = arith::MulFOp::create(
            b, l, c64(b, l, 700),
            arith::SubFOp::create(b, l, math::PowFOp::create(b, l, c64(b, l, 10), arith::DivFOp::create(b, l, mel, c64(b, l, 2595))),
                                  c64(b, l, 1)));
        Value bin = math::FloorOp::create(b, l, arith::DivFOp::create(b, l, arith::MulFOp::create(b, l, dftPlus1, hz), rate));
        return arith::FPToSIOp::create(b, l, i64, bin).getResult();
      };
      Value j = arith::IndexCastOp::create(b, l, i64, iv[0]);
      Value i = arith::IndexCastOp::create(b, l, i64, iv[1]);
      Value left = point(i), center = point(arith::AddIOp::create(b, l, i, i64c(b, l, 1)));
      Value right = point(arith::AddIOp::create(b, l, i, i64c(b, l, 2)));
      auto cmp = [&](arith::CmpIPredicate p, Value x, Value y) { return arith::CmpIOp::create(b, l, p, x, y); };
      auto ratio = [&](Value num, Value den) {
        return arith::DivFOp::create(b, l, castScalar(b, l, num, f64), castScalar(b, l, den, f64));
      };
      Value up = arith::SubIOp::create(b, l, center, left), down = arith::SubIOp::create(b, l, right, center);
      // Rising edge [left, center] (a point at center when it has no width),
      // then the falling edge [center, right) overrides.
      Value zero = c64(b, l, 0), oneF = c64(b, l, 1);
      Value flat = cmpEq(b, l, up, i64c(b, l, 0));
      Value inRise = arith::AndIOp::create(b, l, cmp(arith::CmpIPredicate::sge, j, left), cmp(arith::CmpIPredicate::sle, j, center));
      Value rise = arith::SelectOp::create(b, l, flat, arith::SelectOp::create(b, l, cmpEq(b, l, j, center), oneF, zero),
                                           arith::SelectOp::create(b, l, inRise, ratio(arith::SubIOp::create(b, l, j, left), up), zero));
      Value inFall = arith::AndIOp::create(
          b, l, cmp(arith::CmpIPredicate::sgt, down, i64c(b, l, 0)),
          arith::AndIOp::create(b, l, cmp(arith::CmpIPredicate::sge, j, center), cmp(arith::CmpIPredicate::slt, j, right)));
      Value v = arith::SelectOp::create(b, l, inFall, ratio(arith::SubIOp::create(b, l, right, j), down), rise);
      return castScalar(b, l, v, rt->getElementType());
    });
    rw.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateSignalPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  p.add<WindowPattern<onnx::HannWindowOp>, WindowPattern<onnx::HammingWindowOp>,
        WindowPattern<onnx::BlackmanWindowOp>, DFTPattern, STFTPattern, MelWeightMatrixPattern>(p.getContext());
  for (StringRef n : {"onnx.HannWindow", "onnx.HammingWindow", "onnx.BlackmanWindow", "onnx.DFT", "onnx.STFT",
                      "onnx.MelWeightMatrix"})
    names.insert(n);
}

} // namespace onnxc::conversion
