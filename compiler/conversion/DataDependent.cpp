//===- DataDependent.cpp - ops whose result shape depends on values ------===//
//
// OneHot (depth), Range (start/limit/delta), TopK (K), NonZero and Compress
// (the count of true/non-zero elements), the windows (size): compiled for
// the result shape the
// model declares; the values that determine it are checked at run time
// (emitRuntimeCheck: ONNXC_ERR_DATA when they disagree) and every read stays
// in bounds either way.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

/// Result `i` with a static shape, or an error saying the model must
/// declare it.
FailureOr<RankedTensorType> declaredResult(Operation *op, unsigned i = 0) {
  auto t = dyn_cast<RankedTensorType>(op->getResult(i).getType());
  if (t && t.hasStaticShape())
    return t;
  op->emitOpError() << "result #" << i
                    << " has a shape that depends on input values: the model must declare it "
                       "(graph output or value_info) for onnxc to compile it";
  return failure();
}

Value cIdx(OpBuilder &b, Location l, int64_t v) { return arith::ConstantIndexOp::create(b, l, v); }

/// First element of a (scalar or 1-element) tensor.
Value scalarOf(OpBuilder &b, Location l, Value t) {
  auto tt = cast<RankedTensorType>(t.getType());
  SmallVector<Value> zeros(tt.getRank(), cIdx(b, l, 0));
  return tensor::ExtractOp::create(b, l, t, zeros);
}

/// An output-only generic over `type` from `body(indices)`.
Value generate(OpBuilder &b, Location loc, RankedTensorType type,
               function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  int64_t rank = type.getRank();
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(b, loc, TypeRange{type}, ValueRange{}, ValueRange{init},
                                   ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank)}, iters,
                                   [&](OpBuilder &nb, Location l, ValueRange) {
                                     SmallVector<Value> iv;
                                     for (int64_t i = 0; i < rank; ++i)
                                       iv.push_back(linalg::IndexOp::create(nb, l, i));
                                     linalg::YieldOp::create(nb, l, body(nb, l, iv));
                                   })
      .getResult(0);
}

/// OneHot: y[.., j, ..] = indices[..] (wrapped by depth) == j ? on : off.
struct OneHotPattern : OpConversionPattern<onnx::OneHotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::OneHotOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = declaredResult(op);
    if (failed(rt))
      return failure();
    Location loc = op.getLoc();
    int64_t rank = rt->getRank();
    auto axis = onnx::normalizeAxis(int64_t(op.getAxis()), rank);
    if (!axis)
      return op.emitOpError() << "'axis' out of range for result rank " << rank;
    int64_t depth = rt->getDimSize(*axis);
    Value d = castScalar(rw, loc, scalarOf(rw, loc, ad.getDepth()), rw.getI64Type(), isUnsignedOperand(op, 1));
    emitRuntimeCheck(rw, loc, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, d,
                                                    arith::ConstantIntOp::create(rw, loc, depth, 64)));
    Value values = ad.getValues(), indices = ad.getIndices();
    bool floatIdx = isa<FloatType>(cast<RankedTensorType>(indices.getType()).getElementType());
    Value r = generate(rw, loc, *rt, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
      SmallVector<Value> at;
      for (int64_t i = 0; i < rank; ++i)
        if (i != *axis)
          at.push_back(iv[i]);
      Value raw = tensor::ExtractOp::create(b, l, indices, at);
      Value k = floatIdx ? Value(arith::FPToSIOp::create(b, l, b.getI64Type(), raw))
                         : castScalar(b, l, raw, b.getI64Type(), isUnsignedOperand(op, 0));
      Value dc = arith::ConstantIntOp::create(b, l, depth, 64);
      k = arith::SelectOp::create(b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, k,
                                                              arith::ConstantIntOp::create(b, l, 0, 64)),
                                  arith::AddIOp::create(b, l, k, dc), k);
      Value j = arith::IndexCastOp::create(b, l, b.getI64Type(), iv[*axis]);
      Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, k, j);
      Value on = tensor::ExtractOp::create(b, l, values, ValueRange{cIdx(b, l, 1)});
      Value off = tensor::ExtractOp::create(b, l, values, ValueRange{cIdx(b, l, 0)});
      return arith::SelectOp::create(b, l, hit, on, off);
    });
    rw.replaceOp(op, r);
    return success();
  }

};

/// Range: y[i] = start + i * delta; the count ceil((limit - start) / delta)
/// must be the declared length.
struct RangePattern : OpConversionPattern<onnx::RangeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::RangeOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = declaredResult(op);
    if (failed(rt))
      return failure();
    Location loc = op.getLoc();
    Type elem = rt->getElementType();
    Value start = scalarOf(rw, loc, ad.getStart()), limit = scalarOf(rw, loc, ad.getLimit()),
          delta = scalarOf(rw, loc, ad.getDelta());
    // The count in f64: exact for the integer ranges a model can hold.
    Type f64 = rw.getF64Type();
    auto asF = [&](Value v) { return castScalar(rw, loc, v, f64); };
    Value n = math::CeilOp::create(rw, loc, arith::DivFOp::create(rw, loc, arith::SubFOp::create(rw, loc, asF(limit), asF(start)), asF(delta)));
    n = arith::MaximumFOp::create(rw, loc, n, scalarConstant(rw, loc, f64, 0));
    emitRuntimeCheck(rw, loc, arith::CmpFOp::create(rw, loc, arith::CmpFPredicate::OEQ, n,
                                                    scalarConstant(rw, loc, f64, double(rt->getDimSize(0)))));
    Value r = generate(rw, loc, *rt, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
      Value i = castScalar(b, l, arith::IndexCastOp::create(b, l, b.getI64Type(), iv[0]), elem);
      return isa<FloatType>(elem) ? Value(arith::AddFOp::create(b, l, start, arith::MulFOp::create(b, l, i, delta)))
                                  : Value(arith::AddIOp::create(b, l, start, arith::MulIOp::create(b, l, i, delta)));
    });
    rw.replaceOp(op, r);
    return success();
  }
};

/// TopK by ranks: rank(i) = #{i' : x[i'] better than x[i], or equal with
/// i' < i} along the axis (O(n^2) per slice); output j takes the element
/// whose rank is j. Ties keep the lower index first, as the reference.
struct TopKPattern : OpConversionPattern<onnx::TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::TopKOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto vt = declaredResult(op, 0);
    auto it = declaredResult(op, 1);
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    if (failed(vt) || failed(it) || !xt || !xt.hasStaticShape())
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rw.getContext();
    int64_t rank = xt.getRank();
    auto axisOpt = onnx::normalizeAxis(int64_t(op.getAxis()), rank);
    if (!axisOpt)
      return op.emitOpError() << "'axis' out of range for rank " << rank;
    int64_t axis = *axisOpt, k = vt->getDimSize(axis);
    Value kv = castScalar(rw, loc, scalarOf(rw, loc, ad.getK()), rw.getI64Type());
    emitRuntimeCheck(rw, loc, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, kv,
                                                    arith::ConstantIntOp::create(rw, loc, k, 64)));
    bool largest = op.getLargest() != 0;
    Type elem = xt.getElementType();
    bool f = isa<FloatType>(elem);
    Value x = ad.getX();
    // ranks[.., i, ..] over a reduction dim i' (the last loop dim).
    auto ranksType = RankedTensorType::get(xt.getShape(), rw.getI64Type());
    SmallVector<AffineExpr> self, other;
    for (int64_t d = 0; d < rank; ++d) {
      self.push_back(getAffineDimExpr(d, ctx));
      other.push_back(d == axis ? getAffineDimExpr(rank, ctx) : getAffineDimExpr(d, ctx));
    }
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters.push_back(utils::IteratorType::reduction);
    Value zeros = filled(rw, loc, ranksType, Value(), 0.0);
    Value ranks = linalg::GenericOp::create(
                      rw, loc, TypeRange{ranksType}, ValueRange{x, x}, ValueRange{zeros},
                      ArrayRef<AffineMap>{AffineMap::get(rank + 1, 0, self, ctx),
                                          AffineMap::get(rank + 1, 0, other, ctx),
                                          AffineMap::get(rank + 1, 0, self, ctx)},
                      iters,
                      [&](OpBuilder &b, Location l, ValueRange a) {
                        Value mine = a[0], theirs = a[1];
                        Value better = f ? Value(arith::CmpFOp::create(b, l, largest ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, theirs, mine))
                                         : Value(arith::CmpIOp::create(b, l, largest ? (isUnsignedOperand(op, 0) ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt)
                                                                                     : (isUnsignedOperand(op, 0) ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt), theirs, mine));
                        Value equal = f ? Value(arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, theirs, mine))
                                        : Value(arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, theirs, mine));
                        Value before = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult,
                                                             linalg::IndexOp::create(b, l, rank),
                                                             linalg::IndexOp::create(b, l, axis));
                        Value counts = arith::OrIOp::create(b, l, better, arith::AndIOp::create(b, l, equal, before));
                        Value one = arith::ExtUIOp::create(b, l, b.getI64Type(), counts);
                        linalg::YieldOp::create(b, l, ValueRange{arith::AddIOp::create(b, l, a[2], one)});
                      })
                      .getResult(0);
    // indices[.., j, ..] = the i whose rank is j.
    auto idxType = RankedTensorType::get(vt->getShape(), rw.getI64Type());
    Value idxInit = filled(rw, loc, idxType, Value(), 0.0);
    SmallVector<AffineExpr> outE;
    for (int64_t d = 0; d < rank; ++d)
      outE.push_back(getAffineDimExpr(d, ctx));
    Value indices = linalg::GenericOp::create(
                        rw, loc, TypeRange{idxType}, ValueRange{ranks}, ValueRange{idxInit},
                        ArrayRef<AffineMap>{AffineMap::get(rank + 1, 0, other, ctx),
                                            AffineMap::get(rank + 1, 0, outE, ctx)},
                        iters,
                        [&](OpBuilder &b, Location l, ValueRange a) {
                          Value j = arith::IndexCastOp::create(b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
                          Value i = arith::IndexCastOp::create(b, l, b.getI64Type(), linalg::IndexOp::create(b, l, rank));
                          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a[0], j);
                          linalg::YieldOp::create(b, l, ValueRange{arith::SelectOp::create(b, l, hit, i, a[1])});
                        })
                        .getResult(0);
    Value values = generate(rw, loc, *vt, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
      SmallVector<Value> src(iv.begin(), iv.end());
      Value i = tensor::ExtractOp::create(b, l, indices, iv);
      src[axis] = arith::IndexCastOp::create(b, l, b.getIndexType(), i);
      return tensor::ExtractOp::create(b, l, x, src);
    });
    rw.replaceOp(op, ValueRange{values, indices});
    return success();
  }
};

/// NonZero: one sequential scan in row-major order writing the coordinates
/// of the first `count` non-zero elements (the declared count; the actual
/// count must equal it).
struct NonZeroPattern : OpConversionPattern<onnx::NonZeroOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::NonZeroOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = declaredResult(op);
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    if (failed(rt) || !xt || !xt.hasStaticShape())
      return failure();
    Location loc = op.getLoc();
    int64_t rank = xt.getRank(), cap = rt->getDimSize(1), total = xt.getNumElements();
    Value x = ad.getX();
    Value init = filled(rw, loc, *rt, Value(), 0.0);
    Value zero = cIdx(rw, loc, 0), one = cIdx(rw, loc, 1);
    auto loop = scf::ForOp::create(
        rw, loc, zero, cIdx(rw, loc, total), one, ValueRange{zero, init},
        [&](OpBuilder &b, Location l, Value lin, ValueRange acc) {
          SmallVector<Value> coords(rank);
          Value rest = lin;
          for (int64_t d = rank - 1; d >= 0; --d) {
            Value dim = cIdx(b, l, xt.getDimSize(d));
            coords[d] = arith::RemUIOp::create(b, l, rest, dim);
            rest = arith::DivUIOp::create(b, l, rest, dim);
          }
          Value v = tensor::ExtractOp::create(b, l, x, coords);
          Value nz = isa<FloatType>(v.getType())
                         ? Value(arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNE, v, scalarConstant(b, l, v.getType(), 0)))
                         : Value(arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, v, scalarConstant(b, l, v.getType(), 0)));
          Value room = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, acc[0], cIdx(b, l, cap));
          Value write = arith::AndIOp::create(b, l, nz, room);
          auto ifOp = scf::IfOp::create(
              b, l, write,
              [&](OpBuilder &tb, Location tl) {
                Value y = acc[1];
                for (int64_t d = 0; d < rank; ++d)
                  y = tensor::InsertOp::create(tb, tl, arith::IndexCastOp::create(tb, tl, tb.getI64Type(), coords[d]),
                                               y, ValueRange{cIdx(tb, tl, d), acc[0]});
                scf::YieldOp::create(tb, tl, y);
              },
              [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, acc[1]); });
          Value count = arith::AddIOp::create(b, l, acc[0], arith::IndexCastOp::create(b, l, b.getIndexType(),
                                                                                       arith::ExtUIOp::create(b, l, b.getI64Type(), nz)));
          scf::YieldOp::create(b, l, ValueRange{count, ifOp.getResult(0)});
        });
    emitRuntimeCheck(rw, loc, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, loop.getResult(0),
                                                    cIdx(rw, loc, cap)));
    rw.replaceOp(op, loop.getResult(1));
    return success();
  }
};

/// Compress: the positions of the true conditions (a scan) select slices
/// along the axis (or elements of the flattened input).
struct CompressPattern : OpConversionPattern<onnx::CompressOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::CompressOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = declaredResult(op);
    auto xt = dyn_cast<RankedTensorType>(ad.getInput().getType());
    auto ct = dyn_cast<RankedTensorType>(ad.getCondition().getType());
    if (failed(rt) || !xt || !xt.hasStaticShape() || !ct || !ct.hasStaticShape() || ct.getRank() != 1)
      return failure();
    Location loc = op.getLoc();
    Value x = ad.getInput();
    std::optional<int64_t> axis;
    if (auto a = op.getAxis()) {
      axis = onnx::normalizeAxis(int64_t(*a), xt.getRank());
      if (!axis)
        return op.emitOpError() << "'axis' out of range for rank " << xt.getRank();
    } else {
      x = tensor::CollapseShapeOp::create(rw, loc, x, SmallVector<ReassociationIndices>{
                                                          llvm::to_vector(llvm::seq<int64_t>(0, xt.getRank()))});
      axis = 0;
    }
    auto src = cast<RankedTensorType>(x.getType());
    int64_t len = std::min(ct.getDimSize(0), src.getDimSize(*axis)), cap = rt->getDimSize(*axis);
    // pos[j] = index of the j-th true condition.
    auto posType = RankedTensorType::get({std::max<int64_t>(cap, 1)}, rw.getIndexType());
    Value pos = filled(rw, loc, posType, Value(), 0.0);
    Value zero = cIdx(rw, loc, 0), one = cIdx(rw, loc, 1);
    Value cond = ad.getCondition();
    auto loop = scf::ForOp::create(
        rw, loc, zero, cIdx(rw, loc, len), one, ValueRange{zero, pos},
        [&](OpBuilder &b, Location l, Value i, ValueRange acc) {
          Value c = tensor::ExtractOp::create(b, l, cond, ValueRange{i});
          Value room = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, acc[0], cIdx(b, l, cap));
          auto ifOp = scf::IfOp::create(
              b, l, arith::AndIOp::create(b, l, c, room),
              [&](OpBuilder &tb, Location tl) {
                scf::YieldOp::create(tb, tl, ValueRange{tensor::InsertOp::create(tb, tl, i, acc[1], ValueRange{acc[0]})});
              },
              [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, acc[1]); });
          Value n = arith::AddIOp::create(b, l, acc[0], arith::IndexCastOp::create(b, l, b.getIndexType(),
                                                                                   arith::ExtUIOp::create(b, l, b.getI64Type(), c)));
          scf::YieldOp::create(b, l, ValueRange{n, ifOp.getResult(0)});
        });
    emitRuntimeCheck(rw, loc, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, loop.getResult(0),
                                                    cIdx(rw, loc, cap)));
    Value positions = loop.getResult(1);
    Value r = generate(rw, loc, *rt, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
      SmallVector<Value> at(iv.begin(), iv.end());
      at[*axis] = tensor::ExtractOp::create(b, l, positions, ValueRange{iv[*axis]});
      return tensor::ExtractOp::create(b, l, x, at);
    });
    rw.replaceOp(op, r);
    return success();
  }
};

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
    Value sz = castScalar(rw, loc, scalarOf(rw, loc, ad.getSize()), rw.getI64Type());
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
    Value r = generate(rw, loc, *rt, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
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

} // namespace

void populateDataDependentPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  p.add<OneHotPattern, RangePattern, TopKPattern, NonZeroPattern, CompressPattern,
        WindowPattern<onnx::HannWindowOp>, WindowPattern<onnx::HammingWindowOp>,
        WindowPattern<onnx::BlackmanWindowOp>>(p.getContext());
  for (StringRef n : {"onnx.OneHot", "onnx.Range", "onnx.TopK", "onnx.NonZero", "onnx.Compress",
                      "onnx.HannWindow", "onnx.HammingWindow", "onnx.BlackmanWindow"})
    names.insert(n);
}

} // namespace onnxc::conversion
