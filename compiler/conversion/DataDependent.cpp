//===- DataDependent.cpp - ops whose result shape depends on values ------===//
//
// OneHot (depth), Range (start/limit/delta), TopK (K), NonZero, Compress and
// NonMaxSuppression and Unique (counts): compiled for the result shape the
// model declares; the values that determine it are checked at run time
// (emitRuntimeCheck: ONNXC_ERR_DATA when they disagree) and every read stays
// in bounds either way. TfIdfVectorizer and MaxUnpool (shapes from
// attributes or declared, loops and index-driven sums of the same kind)
// live here too; the signal ops are in Signal.cpp.
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
    Value d = castScalar(rw, loc, firstElement(rw, loc, ad.getDepth()), rw.getI64Type(), isUnsignedOperand(op, 1));
    emitRuntimeCheck(rw, loc, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, d,
                                                    arith::ConstantIntOp::create(rw, loc, depth, 64)));
    Value values = ad.getValues(), indices = ad.getIndices();
    bool floatIdx = isa<FloatType>(cast<RankedTensorType>(indices.getType()).getElementType());
    Value r = generateTensor(rw, loc, *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
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
    Value start = firstElement(rw, loc, ad.getStart()), limit = firstElement(rw, loc, ad.getLimit()),
          delta = firstElement(rw, loc, ad.getDelta());
    // The count in f64: exact for the integer ranges a model can hold.
    Type f64 = rw.getF64Type();
    auto asF = [&](Value v) { return castScalar(rw, loc, v, f64); };
    Value n = math::CeilOp::create(rw, loc, arith::DivFOp::create(rw, loc, arith::SubFOp::create(rw, loc, asF(limit), asF(start)), asF(delta)));
    n = arith::MaximumFOp::create(rw, loc, n, scalarConstant(rw, loc, f64, 0));
    emitRuntimeCheck(rw, loc, arith::CmpFOp::create(rw, loc, arith::CmpFPredicate::OEQ, n,
                                                    scalarConstant(rw, loc, f64, double(rt->getDimSize(0)))));
    Value r = generateTensor(rw, loc, *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
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
    Value kv = castScalar(rw, loc, firstElement(rw, loc, ad.getK()), rw.getI64Type());
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
    Value values = generateTensor(rw, loc, *vt, {}, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
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
    Value r = generateTensor(rw, loc, *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) -> Value {
      SmallVector<Value> at(iv.begin(), iv.end());
      at[*axis] = tensor::ExtractOp::create(b, l, positions, ValueRange{iv[*axis]});
      return tensor::ExtractOp::create(b, l, x, at);
    });
    rw.replaceOp(op, r);
    return success();
  }
};


/// NonMaxSuppression per (batch, class): candidates visited in descending
/// score order (ranks as in TopK, O(n^2)), kept when their score exceeds
/// score_threshold and their IoU with every box kept so far for the class
/// is at most iou_threshold, up to max_output_boxes_per_class. Kept rows
/// (batch, class, box) are written into the declared [K, 3] result; the
/// total must be K.
struct NonMaxSuppressionPattern : OpConversionPattern<onnx::NonMaxSuppressionOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::NonMaxSuppressionOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = declaredResult(op);
    auto bt = dyn_cast<RankedTensorType>(ad.getBoxes().getType());
    auto st = dyn_cast<RankedTensorType>(ad.getScores().getType());
    if (failed(rt) || !bt || !st || !bt.hasStaticShape() || !st.hasStaticShape() || bt.getRank() != 3 ||
        st.getRank() != 3 || bt.getDimSize(2) != 4 || !bt.getElementType().isF32())
      return op.emitOpError("needs static f32 boxes [B, N, 4] and scores [B, C, N]");
    Location loc = op.getLoc();
    int64_t B = bt.getDimSize(0), N = bt.getDimSize(1), C = st.getDimSize(1), K = rt->getDimSize(0);
    Type f32 = rw.getF32Type(), i64 = rw.getI64Type();
    auto opt = [&](Value v, Type t, double dflt) -> Value {
      return isa<NoneType>(v.getType()) ? scalarConstant(rw, loc, t, dflt) : castScalar(rw, loc, firstElement(rw, loc, v), t);
    };
    Value maxOut = arith::IndexCastOp::create(rw, loc, rw.getIndexType(), opt(ad.getMaxOutputBoxesPerClass(), i64, 0));
    Value iouThr = opt(ad.getIouThreshold(), f32, 0), scoreThr = opt(ad.getScoreThreshold(), f32, -INFINITY);
    bool center = op.getCenterPointBox() != 0;
    Value boxes = ad.getBoxes(), scores = ad.getScores();
    Value zero = cIdx(rw, loc, 0), one = cIdx(rw, loc, 1);
    // (y1, x1, y2, x2) with y1 <= y2, x1 <= x2 of box i of batch b.
    auto corners = [&](OpBuilder &b, Location l, Value bi, Value i) {
      SmallVector<Value> v;
      for (int64_t k = 0; k < 4; ++k)
        v.push_back(tensor::ExtractOp::create(b, l, boxes, ValueRange{bi, i, cIdx(b, l, k)}));
      auto half = [&](Value x) { return arith::MulFOp::create(b, l, x, scalarConstant(b, l, f32, 0.5)); };
      if (center) // [x_center, y_center, width, height]
        return SmallVector<Value>{arith::SubFOp::create(b, l, v[1], half(v[3])), arith::SubFOp::create(b, l, v[0], half(v[2])),
                                  arith::AddFOp::create(b, l, v[1], half(v[3])), arith::AddFOp::create(b, l, v[0], half(v[2]))};
      return SmallVector<Value>{arith::MinimumFOp::create(b, l, v[0], v[2]), arith::MinimumFOp::create(b, l, v[1], v[3]),
                                arith::MaximumFOp::create(b, l, v[0], v[2]), arith::MaximumFOp::create(b, l, v[1], v[3])};
    };
    auto iou = [&](OpBuilder &b, Location l, ArrayRef<Value> p, ArrayRef<Value> q) -> Value {
      auto sub = [&](Value x, Value y) { return arith::SubFOp::create(b, l, x, y); };
      auto mul = [&](Value x, Value y) { return arith::MulFOp::create(b, l, x, y); };
      Value z = scalarConstant(b, l, f32, 0);
      Value h = arith::MaximumFOp::create(b, l, sub(arith::MinimumFOp::create(b, l, p[2], q[2]),
                                                    arith::MaximumFOp::create(b, l, p[0], q[0])), z);
      Value w = arith::MaximumFOp::create(b, l, sub(arith::MinimumFOp::create(b, l, p[3], q[3]),
                                                    arith::MaximumFOp::create(b, l, p[1], q[1])), z);
      Value inter = mul(h, w);
      Value areaP = mul(sub(p[2], p[0]), sub(p[3], p[1])), areaQ = mul(sub(q[2], q[0]), sub(q[3], q[1]));
      Value uni = sub(arith::AddFOp::create(b, l, areaP, areaQ), inter);
      Value pos = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, uni, z);
      return arith::SelectOp::create(b, l, pos, arith::DivFOp::create(b, l, inter, uni), z);
    };
    Value out = filled(rw, loc, *rt, Value(), 0.0);
    auto perBatch = scf::ForOp::create(rw, loc, zero, cIdx(rw, loc, B), one, ValueRange{zero, out},
      [&](OpBuilder &b1, Location l1, Value bi, ValueRange acc1) {
        auto perClass = scf::ForOp::create(b1, l1, zero, cIdx(b1, l1, C), one, acc1,
          [&](OpBuilder &b2, Location l2, Value ci, ValueRange acc2) {
            // order[r] = the box of rank r by descending score (ties: lower index).
            auto orderType = RankedTensorType::get({N}, b2.getIndexType());
            Value order = filled(b2, l2, orderType, Value(), 0.0);
            auto ranks = scf::ForOp::create(b2, l2, zero, cIdx(b2, l2, N), one, ValueRange{order},
              [&](OpBuilder &b3, Location l3, Value i, ValueRange acc3) {
                Value si = tensor::ExtractOp::create(b3, l3, scores, ValueRange{bi, ci, i});
                auto cnt = scf::ForOp::create(b3, l3, zero, cIdx(b3, l3, N), one, ValueRange{zero},
                  [&](OpBuilder &b4, Location l4, Value j, ValueRange acc4) {
                    Value sj = tensor::ExtractOp::create(b4, l4, scores, ValueRange{bi, ci, j});
                    Value better = arith::CmpFOp::create(b4, l4, arith::CmpFPredicate::OGT, sj, si);
                    Value tie = arith::AndIOp::create(b4, l4, arith::CmpFOp::create(b4, l4, arith::CmpFPredicate::OEQ, sj, si),
                                                      arith::CmpIOp::create(b4, l4, arith::CmpIPredicate::ult, j, i));
                    Value inc = arith::SelectOp::create(b4, l4, arith::OrIOp::create(b4, l4, better, tie), one, zero);
                    scf::YieldOp::create(b4, l4, ValueRange{arith::AddIOp::create(b4, l4, acc4[0], inc)});
                  });
                scf::YieldOp::create(b3, l3, ValueRange{tensor::InsertOp::create(b3, l3, i, acc3[0], ValueRange{cnt.getResult(0)})});
              });
            order = ranks.getResult(0);
            Value classStart = acc2[0];
            // Greedy selection in rank order.
            auto greedy = scf::ForOp::create(b2, l2, zero, cIdx(b2, l2, N), one, ValueRange{acc2[0], acc2[1]},
              [&](OpBuilder &b3, Location l3, Value r, ValueRange acc3) {
                Value i = tensor::ExtractOp::create(b3, l3, order, ValueRange{r});
                Value si = tensor::ExtractOp::create(b3, l3, scores, ValueRange{bi, ci, i});
                SmallVector<Value> p = corners(b3, l3, bi, i);
                // Suppressed by a box kept earlier for this class?
                auto clash = scf::ForOp::create(b3, l3, classStart, acc3[0], one,
                                                ValueRange{arith::ConstantIntOp::create(b3, l3, 0, 1)},
                  [&](OpBuilder &b4, Location l4, Value s, ValueRange acc4) {
                    Value kept = tensor::ExtractOp::create(b4, l4, acc3[1], ValueRange{s, cIdx(b4, l4, 2)});
                    Value ki = arith::IndexCastOp::create(b4, l4, b4.getIndexType(), kept);
                    Value over = arith::CmpFOp::create(b4, l4, arith::CmpFPredicate::OGT,
                                                       iou(b4, l4, p, corners(b4, l4, bi, ki)), iouThr);
                    scf::YieldOp::create(b4, l4, ValueRange{arith::OrIOp::create(b4, l4, acc4[0], over)});
                  });
                Value taken = arith::SubIOp::create(b3, l3, acc3[0], classStart);
                Value keep = arith::AndIOp::create(b3, l3, arith::CmpFOp::create(b3, l3, arith::CmpFPredicate::OGT, si, scoreThr),
                                                   arith::CmpIOp::create(b3, l3, arith::CmpIPredicate::ult, taken, maxOut));
                keep = arith::AndIOp::create(b3, l3, keep, arith::XOrIOp::create(b3, l3, clash.getResult(0),
                                                                              arith::ConstantIntOp::create(b3, l3, 1, 1)));
                Value room = arith::CmpIOp::create(b3, l3, arith::CmpIPredicate::ult, acc3[0], cIdx(b3, l3, K));
                auto ifOp = scf::IfOp::create(b3, l3, arith::AndIOp::create(b3, l3, keep, room),
                  [&](OpBuilder &tb, Location tl) {
                    Value y = acc3[1];
                    Value vals[3] = {bi, ci, i};
                    for (int64_t k = 0; k < 3; ++k)
                      y = tensor::InsertOp::create(tb, tl, arith::IndexCastOp::create(tb, tl, i64, vals[k]), y,
                                                   ValueRange{acc3[0], cIdx(tb, tl, k)});
                    scf::YieldOp::create(tb, tl, y);
                  },
                  [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, acc3[1]); });
                Value n = arith::AddIOp::create(b3, l3, acc3[0], arith::SelectOp::create(b3, l3, keep, one, zero));
                scf::YieldOp::create(b3, l3, ValueRange{n, ifOp.getResult(0)});
              });
            scf::YieldOp::create(b2, l2, greedy.getResults());
          });
        scf::YieldOp::create(b1, l1, perClass.getResults());
      });
    emitRuntimeCheck(rw, loc, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, perBatch.getResult(0),
                                                    cIdx(rw, loc, K)));
    rw.replaceOp(op, perBatch.getResult(1));
    return success();
  }
};

/// TfIdfVectorizer over integer tokens: for each n in [min, max], start
/// position and skip, the n tokens are compared with each pool n-gram of
/// that length (the pool and ngram_indexes are constant tensors read in
/// loops); matches count at their output index, then TF/IDF/TFIDF weighting.
struct TfIdfVectorizerPattern : OpConversionPattern<onnx::TfIdfVectorizerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::TfIdfVectorizerOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = declaredResult(op);
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    if (failed(rt) || !xt || !xt.hasStaticShape() || xt.getRank() < 1 || xt.getRank() > 2 ||
        !isa<IntegerType>(xt.getElementType()))
      return op.emitOpError("supports integer tokens of rank 1 or 2 with static shapes (string pools: no)");
    auto pool = op.getPoolInt64s();
    if (!pool)
      return op.emitOpError("needs pool_int64s");
    StringRef mode = op.getMode();
    if (mode != "TF" && mode != "IDF" && mode != "TFIDF")
      return op.emitOpError() << "unknown mode '" << mode << "'";
    Location loc = op.getLoc();
    ArrayRef<int64_t> counts = op.getNgramCounts(), indexes = op.getNgramIndexes();
    int64_t minN = int64_t(op.getMinGramLength()), maxN = int64_t(op.getMaxGramLength());
    int64_t maxSkip = int64_t(op.getMaxSkipCount()), poolSize = int64_t(pool->size());
    bool batched = xt.getRank() == 2;
    int64_t rows = batched ? xt.getDimSize(0) : 1, len = xt.getDimSize(xt.getRank() - 1);
    int64_t outs = rt->getDimSize(rt->getRank() - 1);
    auto constTensor = [&](ArrayRef<int64_t> v) -> Value {
      auto t = RankedTensorType::get({int64_t(v.size())}, rw.getI64Type());
      return arith::ConstantOp::create(rw, loc, DenseElementsAttr::get(t, v));
    };
    Value poolT = constTensor(*pool), indexT = constTensor(indexes);
    auto countType = RankedTensorType::get({rows, outs}, rw.getF32Type());
    Value acc = filled(rw, loc, countType, Value(), 0.0);
    Value x = ad.getX();
    Value zero = cIdx(rw, loc, 0), one = cIdx(rw, loc, 1);
    int64_t gramOffset = 0;
    for (int64_t n = 1; n <= int64_t(counts.size()); ++n) {
      int64_t begin = counts[n - 1], end = n < int64_t(counts.size()) ? counts[n] : poolSize;
      int64_t grams = std::max<int64_t>(0, end - begin) / n;
      if (n >= minN && n <= maxN && grams > 0) {
        int64_t skips = n == 1 ? 1 : maxSkip + 1;
        auto nest = scf::buildLoopNest(
            rw, loc, ValueRange{zero, zero, zero, zero},
            ValueRange{cIdx(rw, loc, rows), cIdx(rw, loc, len), cIdx(rw, loc, skips), cIdx(rw, loc, grams)},
            ValueRange{one, one, one, one}, ValueRange{acc},
            [&](OpBuilder &b, Location l, ValueRange iv, ValueRange a) -> scf::ValueVector {
              Value row = iv[0], start = iv[1], gap = arith::AddIOp::create(b, l, iv[2], cIdx(b, l, 1)), j = iv[3];
              Value lastPos = arith::AddIOp::create(b, l, start, arith::MulIOp::create(b, l, gap, cIdx(b, l, n - 1)));
              Value fits = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, lastPos, cIdx(b, l, len));
              Value match = fits;
              for (int64_t t = 0; t < n; ++t) {
                Value pos = arith::AddIOp::create(b, l, start, arith::MulIOp::create(b, l, gap, cIdx(b, l, t)));
                pos = arith::MinUIOp::create(b, l, pos, cIdx(b, l, len - 1));
                SmallVector<Value> at{pos};
                if (batched)
                  at.insert(at.begin(), row);
                Value tok = castScalar(b, l, tensor::ExtractOp::create(b, l, x, at), b.getI64Type());
                Value pi = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, j, cIdx(b, l, n)), cIdx(b, l, begin + t));
                Value want = tensor::ExtractOp::create(b, l, poolT, ValueRange{pi});
                match = arith::AndIOp::create(b, l, match, arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, tok, want));
              }
              Value oi = tensor::ExtractOp::create(b, l, indexT, ValueRange{arith::AddIOp::create(b, l, j, cIdx(b, l, gramOffset))});
              Value o = arith::IndexCastOp::create(b, l, b.getIndexType(), oi);
              Value old = tensor::ExtractOp::create(b, l, a[0], ValueRange{row, o});
              Value inc = arith::SelectOp::create(b, l, match, scalarConstant(b, l, b.getF32Type(), 1), scalarConstant(b, l, b.getF32Type(), 0));
              return {tensor::InsertOp::create(b, l, arith::AddFOp::create(b, l, old, inc), a[0], ValueRange{row, o})};
            });
        acc = nest.results[0];
      }
      gramOffset += grams;
    }
    SmallVector<float> w(outs, 1.0f);
    if (auto weights = op.getWeights())
      for (int64_t i = 0; i < std::min<int64_t>(outs, weights->size()); ++i)
        w[i] = (*weights)[i];
    auto wt = RankedTensorType::get({outs}, rw.getF32Type());
    Value wv = arith::ConstantOp::create(rw, loc, DenseElementsAttr::get(wt, ArrayRef<float>(w)));
    Value y = buildElementwise(rw, loc, countType, ValueRange{acc, wv},
                               [&](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
                                 if (mode == "TF")
                                   return a[0];
                                 if (mode == "TFIDF")
                                   return arith::MulFOp::create(b, l, a[0], a[1]);
                                 Value any = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, a[0], scalarConstant(b, l, t, 0));
                                 return arith::SelectOp::create(b, l, any, a[1], scalarConstant(b, l, t, 0));
                               });
    if (!batched)
      y = tensor::CollapseShapeOp::create(rw, loc, *rt, y, SmallVector<ReassociationIndices>{{0, 1}});
    rw.replaceOp(op, y);
    return success();
  }
};

/// MaxUnpool: zeros of the output shape (declared, or from output_shape
/// checked at run time), each input value stored at the position its flat
/// index names in the default unpooled shape ((in - 1) * stride + kernel -
/// pads per spatial dim), as the reference does when output_shape differs.
struct MaxUnpoolPattern : OpConversionPattern<onnx::MaxUnpoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::MaxUnpoolOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = declaredResult(op);
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    if (failed(rt) || !xt || !xt.hasStaticShape())
      return failure();
    Location loc = op.getLoc();
    int64_t count = xt.getNumElements();
    if (!isa<NoneType>(ad.getOutputShape().getType())) {
      Value ok = arith::ConstantIntOp::create(rw, loc, 1, 1);
      for (int64_t d = 0; d < rt->getRank(); ++d) {
        Value v = tensor::ExtractOp::create(rw, loc, ad.getOutputShape(), ValueRange{cIdx(rw, loc, d)});
        ok = arith::AndIOp::create(rw, loc, ok, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, v,
                                                                     arith::ConstantIntOp::create(rw, loc, rt->getDimSize(d), 64)));
      }
      emitRuntimeCheck(rw, loc, ok);
    }
    auto flatT = [](RankedTensorType t) { return RankedTensorType::get({t.getNumElements()}, t.getElementType()); };
    SmallVector<ReassociationIndices> allOut{llvm::to_vector(llvm::seq<int64_t>(0, rt->getRank()))};
    SmallVector<ReassociationIndices> allIn{llvm::to_vector(llvm::seq<int64_t>(0, xt.getRank()))};
    Value x = tensor::CollapseShapeOp::create(rw, loc, flatT(xt), ad.getX(), allIn);
    Value idx = tensor::CollapseShapeOp::create(rw, loc, flatT(cast<RankedTensorType>(ad.getI().getType())), ad.getI(), allIn);
    int64_t spatial = xt.getRank() - 2;
    ArrayRef<int64_t> kernel = op.getKernelShape();
    SmallVector<int64_t> strides = onnx::orOnes(op.getStrides(), spatial), dflt{xt.getDimSize(0), xt.getDimSize(1)};
    auto pads = op.getPads();
    for (int64_t d = 0; d < spatial; ++d)
      dflt.push_back((xt.getDimSize(2 + d) - 1) * strides[d] + kernel[d] -
                     (pads ? (*pads)[d] + (*pads)[spatial + d] : 0));
    int64_t dfltTotal = 1;
    for (int64_t d : dflt)
      dfltTotal *= d;
    Value y = filled(rw, loc, flatT(*rt), Value(), 0.0);
    auto loop = scf::ForOp::create(
        rw, loc, cIdx(rw, loc, 0), cIdx(rw, loc, count), cIdx(rw, loc, 1), ValueRange{y},
        [&](OpBuilder &b, Location l, Value i, ValueRange acc) {
          Value flat = arith::IndexCastOp::create(b, l, b.getIndexType(), tensor::ExtractOp::create(b, l, idx, ValueRange{i}));
          // Coordinates in the default shape, then the output's flat index;
          // a position outside the output is dropped.
          Value inside = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, flat, cIdx(b, l, dfltTotal));
          SmallVector<Value> coord(dflt.size());
          Value rest = flat;
          for (int64_t d = int64_t(dflt.size()) - 1; d >= 0; --d) {
            coord[d] = arith::RemUIOp::create(b, l, rest, cIdx(b, l, dflt[d]));
            rest = arith::DivUIOp::create(b, l, rest, cIdx(b, l, dflt[d]));
          }
          Value at = cIdx(b, l, 0);
          for (int64_t d = 0; d < int64_t(dflt.size()); ++d) {
            inside = arith::AndIOp::create(b, l, inside, arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, coord[d],
                                                                              cIdx(b, l, rt->getDimSize(d))));
            at = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, at, cIdx(b, l, rt->getDimSize(d))), coord[d]);
          }
          auto ifOp = scf::IfOp::create(
              b, l, inside,
              [&](OpBuilder &tb, Location tl) {
                Value v = tensor::ExtractOp::create(tb, tl, x, ValueRange{i});
                scf::YieldOp::create(tb, tl, ValueRange{tensor::InsertOp::create(tb, tl, v, acc[0], ValueRange{at})});
              },
              [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, acc[0]); });
          scf::YieldOp::create(b, l, ifOp.getResults());
        });
    rw.replaceOp(op, tensor::ExpandShapeOp::create(rw, loc, *rt, loop.getResult(0), allOut).getResult());
    return success();
  }
};


/// Unique over elements (no axis) or slices along `axis`, on an [n, S] view:
/// first[i] = the first slice equal to slice i; unique slices take their
/// position by first occurrence or, sorted, by lexicographic rank among the
/// uniques. Outputs follow; their declared length K is checked.
struct UniquePattern : OpConversionPattern<onnx::UniqueOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::UniqueOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto yt = declaredResult(op, 0);
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    if (failed(yt) || !xt || !xt.hasStaticShape())
      return failure();
    for (unsigned i = 1; i < op->getNumResults(); ++i)
      if (!isa<NoneType>(op->getResult(i).getType()) && failed(declaredResult(op, i)))
        return failure();
    Location loc = op.getLoc();
    int64_t rank = xt.getRank();
    Value x = ad.getX();
    std::optional<int64_t> axis;
    if (auto a = op.getAxis()) {
      axis = onnx::normalizeAxis(int64_t(*a), rank);
      if (!axis)
        return op.emitOpError() << "'axis' out of range for rank " << rank;
    }
    // [n, S] view: the axis first, the rest flattened.
    SmallVector<int64_t> perm;
    if (axis) {
      perm.push_back(*axis);
      for (int64_t d = 0; d < rank; ++d)
        if (d != *axis)
          perm.push_back(d);
      SmallVector<int64_t> shape;
      for (int64_t d : perm)
        shape.push_back(xt.getDimSize(d));
      Value init = tensor::EmptyOp::create(rw, loc, shape, xt.getElementType());
      x = linalg::TransposeOp::create(rw, loc, x, init, perm).getResult()[0];
    }
    int64_t n = axis ? xt.getDimSize(*axis) : xt.getNumElements(), S = xt.getNumElements() / std::max<int64_t>(n, 1);
    auto x2t = RankedTensorType::get({n, S}, xt.getElementType());
    SmallVector<ReassociationIndices> re{{0}, {}};
    if (axis) {
      for (int64_t d = 1; d < rank; ++d)
        re[1].push_back(d);
      x = rank == 1 ? Value(tensor::ExpandShapeOp::create(rw, loc, x2t, x, SmallVector<ReassociationIndices>{{0, 1}}))
                    : Value(tensor::CollapseShapeOp::create(rw, loc, x, re));
    } else {
      Value flat = tensor::CollapseShapeOp::create(rw, loc, x, SmallVector<ReassociationIndices>{
                                                               llvm::to_vector(llvm::seq<int64_t>(0, rank))});
      x = tensor::ExpandShapeOp::create(rw, loc, x2t, flat, SmallVector<ReassociationIndices>{{0, 1}});
    }
    int64_t K = yt->getDimSize(axis ? *axis : 0);
    bool sorted = op.getSorted() != 0, f = isa<FloatType>(xt.getElementType());
    Value zero = cIdx(rw, loc, 0), one = cIdx(rw, loc, 1);
    // `cond ? then() : otherwise` for a tensor, as scf.if (an arith.select of
    // two tensors would not bufferize in place).
    auto ifTensor = [&](OpBuilder &b, Location l, Value cond, function_ref<Value(OpBuilder &, Location)> then,
                        Value otherwise) -> Value {
      return scf::IfOp::create(
                 b, l, cond, [&](OpBuilder &tb, Location tl) { scf::YieldOp::create(tb, tl, then(tb, tl)); },
                 [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, otherwise); })
          .getResult(0);
    };
    // Compares slices i and j: (equal, i < j lexicographically).
    auto compare = [&](OpBuilder &b, Location l, Value i, Value j) {
      Value t = arith::ConstantIntOp::create(b, l, 1, 1), fl = arith::ConstantIntOp::create(b, l, 0, 1);
      auto r = forLoop(b, l, zero, cIdx(b, l, S), ValueRange{fl, fl}, [&](OpBuilder &nb, Location nl, Value s, ValueRange acc) -> SmallVector<Value> {
        Value a = tensor::ExtractOp::create(nb, nl, x, ValueRange{i, s}), c = tensor::ExtractOp::create(nb, nl, x, ValueRange{j, s});
        Value lt = f ? Value(arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OLT, a, c))
                     : Value(arith::CmpIOp::create(nb, nl, isUnsignedOperand(op, 0) ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt, a, c));
        Value ne = f ? Value(arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::UNE, a, c))
                     : Value(arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ne, a, c));
        Value undecided = arith::XOrIOp::create(nb, nl, acc[0], t);
        Value decideNow = arith::AndIOp::create(nb, nl, undecided, ne);
        return {arith::OrIOp::create(nb, nl, acc[0], ne), arith::SelectOp::create(nb, nl, decideNow, lt, acc[1])};
      });
      return std::pair<Value, Value>{arith::XOrIOp::create(b, l, r[0], t), r[1]};
    };
    auto idxType = RankedTensorType::get({n}, rw.getIndexType());
    // first[i]
    Value first = forLoop(rw, loc, zero, cIdx(rw, loc, n), ValueRange{filled(rw, loc, idxType, Value(), 0.0)},
                       [&](OpBuilder &b, Location l, Value i, ValueRange acc) -> SmallVector<Value> {
      Value fi = forLoop(b, l, zero, arith::AddIOp::create(b, l, i, one), ValueRange{i},
                      [&](OpBuilder &nb, Location nl, Value j, ValueRange a) -> SmallVector<Value> {
        Value eq = compare(nb, nl, j, i).first;
        Value earlier = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ult, j, a[0]);
        return {arith::SelectOp::create(nb, nl, arith::AndIOp::create(nb, nl, eq, earlier), j, a[0])};
      })[0];
      return {tensor::InsertOp::create(b, l, fi, acc[0], ValueRange{i})};
    })[0];
    auto isUnique = [&](OpBuilder &b, Location l, Value i) -> Value {
      return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, tensor::ExtractOp::create(b, l, first, ValueRange{i}), i);
    };
    // pos[u] for unique u (and the unique count).
    auto posLoop = forLoop(rw, loc, zero, cIdx(rw, loc, n), ValueRange{filled(rw, loc, idxType, Value(), 0.0), zero},
                        [&](OpBuilder &b, Location l, Value u, ValueRange acc) -> SmallVector<Value> {
      Value uq = isUnique(b, l, u);
      Value p = acc[1];
      if (sorted)
        p = forLoop(b, l, zero, cIdx(b, l, n), ValueRange{zero}, [&](OpBuilder &nb, Location nl, Value v, ValueRange a) -> SmallVector<Value> {
          Value less = arith::AndIOp::create(nb, nl, isUnique(nb, nl, v), compare(nb, nl, v, u).second);
          return {arith::AddIOp::create(nb, nl, a[0], arith::SelectOp::create(nb, nl, less, one, zero))};
        })[0];
      Value pos = ifTensor(b, l, uq, [&](OpBuilder &tb, Location tl) -> Value {
        return tensor::InsertOp::create(tb, tl, p, acc[0], ValueRange{u});
      }, acc[0]);
      return {pos,
              arith::AddIOp::create(b, l, acc[1], arith::SelectOp::create(b, l, uq, one, zero))};
    });
    Value pos = posLoop[0];
    emitRuntimeCheck(rw, loc, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, posLoop[1], cIdx(rw, loc, K)));
    // Outputs.
    Type i64 = rw.getI64Type();
    auto kT = RankedTensorType::get({K}, i64), nT = RankedTensorType::get({n}, i64);
    auto y2t = RankedTensorType::get({K, S}, xt.getElementType());
    auto outs = forLoop(rw, loc, zero, cIdx(rw, loc, n),
                     ValueRange{filled(rw, loc, y2t, Value(), 0.0), filled(rw, loc, kT, Value(), 0.0),
                                filled(rw, loc, nT, Value(), 0.0), filled(rw, loc, kT, Value(), 0.0)},
                     [&](OpBuilder &b, Location l, Value i, ValueRange acc) -> SmallVector<Value> {
      Value fi = tensor::ExtractOp::create(b, l, first, ValueRange{i});
      Value p = arith::MinUIOp::create(b, l, tensor::ExtractOp::create(b, l, pos, ValueRange{fi}), cIdx(b, l, std::max<int64_t>(K - 1, 0)));
      auto asI64 = [&](Value v) { return arith::IndexCastOp::create(b, l, i64, v); };
      Value inv = tensor::InsertOp::create(b, l, asI64(p), acc[2], ValueRange{i});
      Value cnt = tensor::InsertOp::create(b, l, arith::AddIOp::create(b, l, tensor::ExtractOp::create(b, l, acc[3], ValueRange{p}),
                                                                       arith::ConstantIntOp::create(b, l, 1, 64)),
                                           acc[3], ValueRange{p});
      Value uq = isUnique(b, l, i);
      Value idx = ifTensor(b, l, uq, [&](OpBuilder &tb, Location tl) -> Value {
        return tensor::InsertOp::create(tb, tl, arith::IndexCastOp::create(tb, tl, i64, i), acc[1], ValueRange{p});
      }, acc[1]);
      Value y = ifTensor(b, l, uq, [&](OpBuilder &tb, Location tl) -> Value {
        return forLoop(tb, tl, zero, cIdx(tb, tl, S), ValueRange{acc[0]}, [&](OpBuilder &nb, Location nl, Value s, ValueRange a) -> SmallVector<Value> {
          Value v = tensor::ExtractOp::create(nb, nl, x, ValueRange{i, s});
          return {tensor::InsertOp::create(nb, nl, v, a[0], ValueRange{p, s})};
        })[0];
      }, acc[0]);
      return {y, idx, inv, cnt};
    });
    // Y back to the input's layout.
    Value y = outs[0];
    if (axis) {
      SmallVector<int64_t> shape;
      for (int64_t d : perm)
        shape.push_back(d == *axis ? K : xt.getDimSize(d));
      auto permuted = RankedTensorType::get(shape, xt.getElementType());
      y = rank == 1 ? Value(tensor::CollapseShapeOp::create(rw, loc, permuted, y, SmallVector<ReassociationIndices>{{0, 1}}))
                    : Value(tensor::ExpandShapeOp::create(rw, loc, permuted, y, re));
      SmallVector<int64_t> inv(rank);
      for (int64_t d = 0; d < rank; ++d)
        inv[perm[d]] = d;
      Value init = tensor::EmptyOp::create(rw, loc, yt->getShape(), xt.getElementType());
      y = linalg::TransposeOp::create(rw, loc, y, init, inv).getResult()[0];
    } else {
      y = tensor::CollapseShapeOp::create(rw, loc, *yt, y, SmallVector<ReassociationIndices>{{0, 1}});
    }
    SmallVector<Value> results{y};
    for (unsigned i = 1; i < op->getNumResults(); ++i)
      results.push_back(isa<NoneType>(op->getResult(i).getType()) ? Value(onnx::NoValueOp::create(rw, loc)) : outs[i]);
    rw.replaceOp(op, results);
    return success();
  }
};

} // namespace

void populateDataDependentPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  p.add<OneHotPattern, RangePattern, TopKPattern, NonZeroPattern, CompressPattern,
        NonMaxSuppressionPattern, TfIdfVectorizerPattern, MaxUnpoolPattern, UniquePattern>(
      p.getContext());
  for (StringRef n : {"onnx.OneHot", "onnx.Range", "onnx.TopK", "onnx.NonZero", "onnx.Compress",
                      "onnx.NonMaxSuppression", "onnx.TfIdfVectorizer", "onnx.MaxUnpool", "onnx.Unique"})
    names.insert(n);
}

} // namespace onnxc::conversion
