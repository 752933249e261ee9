//===- Normalization.cpp - LayerNorm/InstanceNorm, Trilu, CumSum, ... -----===//
//
// Normalizations: mean and variance are reductions kept as size-1 dims so
// that the final scale-and-shift is one broadcasting elementwise generic;
// LRN sums squares over a channel window.
// Trilu/CumSum/GatherElements/DepthToSpace are index-driven generics.
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

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

/// Returns (x - mean) and 1/sqrt(var + eps) (keepdims) over `mask`.
std::pair<Value, Value> normalize(OpBuilder &b, Location loc, Value x, ArrayRef<bool> mask,
                                  double eps, Value *meanOut = nullptr) {
  auto t = cast<RankedTensorType>(x.getType());
  Value mean = meanKeepDims(b, loc, x, mask);
  Value centered = buildElementwise(b, loc, t, ValueRange{x, mean},
                                    [](OpBuilder &nb, Location l, Type, ValueRange a) -> Value {
                                      return arith::SubFOp::create(nb, l, a[0], a[1]);
                                    });
  Value sq = buildElementwise(b, loc, t, ValueRange{centered},
                              [](OpBuilder &nb, Location l, Type, ValueRange a) -> Value {
                                return arith::MulFOp::create(nb, l, a[0], a[0]);
                              });
  Value var = meanKeepDims(b, loc, sq, mask);
  Value inv = buildElementwise(b, loc, cast<RankedTensorType>(var.getType()), ValueRange{var},
                               [&](OpBuilder &nb, Location l, Type et, ValueRange a) -> Value {
                                 return math::RsqrtOp::create(
                                     nb, l, arith::AddFOp::create(nb, l, a[0], scalarConstant(nb, l, et, eps)));
                               });
  if (meanOut)
    *meanOut = mean;
  return {centered, inv};
}

/// Reshapes a per-channel [C] tensor to [C, 1, ...] for NC... broadcasting.
Value channelView(OpBuilder &b, Location loc, Value v, int64_t rank) {
  auto t = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape{t.getDimSize(0)};
  shape.append(rank - 2, 1);
  ReassociationIndices all;
  for (int64_t i = 0; i < rank - 1; ++i)
    all.push_back(i);
  return tensor::ExpandShapeOp::create(b, loc, RankedTensorType::get(shape, t.getElementType()), v,
                                       SmallVector<ReassociationIndices>{all});
}

struct LayerNormPattern : OpConversionPattern<onnx::LayerNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::LayerNormalizationOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    Location loc = op.getLoc();
    int64_t rank = rt->getRank();
    int64_t axis = *onnx::normalizeAxis(int64_t(op.getAxis()), rank);
    SmallVector<bool> mask(rank, false);
    for (int64_t i = axis; i < rank; ++i)
      mask[i] = true;
    Value mean;
    auto [centered, inv] = normalize(rw, loc, ad.getX(), mask, op.getEpsilon().convertToFloat(), &mean);
    SmallVector<Value> ins{centered, inv, ad.getScale()};
    bool hasB = !onnx::isNone(ad.getB());
    if (hasB)
      ins.push_back(ad.getB());
    Value y = buildElementwise(rw, loc, *rt, ins, [&](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
      Value v = arith::MulFOp::create(b, l, arith::MulFOp::create(b, l, a[0], a[1]), a[2]);
      return hasB ? Value(arith::AddFOp::create(b, l, v, a[3])) : v;
    });
    SmallVector<Value> results{y};
    results.push_back(isa<NoneType>(op.getResult(1).getType()) ? Value(onnx::NoValueOp::create(rw, loc)) : mean);
    results.push_back(isa<NoneType>(op.getResult(2).getType()) ? Value(onnx::NoValueOp::create(rw, loc)) : inv);
    rw.replaceOp(op, results);
    return success();
  }
};

struct InstanceNormPattern : OpConversionPattern<onnx::InstanceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::InstanceNormalizationOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || rt->getRank() < 3)
      return rw.notifyMatchFailure(op, "needs N, C and spatial dims");
    Location loc = op.getLoc();
    int64_t rank = rt->getRank();
    SmallVector<bool> mask(rank, true);
    mask[0] = mask[1] = false;
    auto [centered, inv] = normalize(rw, loc, ad.getInput(), mask, op.getEpsilon().convertToFloat());
    Value y = buildElementwise(
        rw, loc, *rt,
        ValueRange{centered, inv, channelView(rw, loc, ad.getScale(), rank),
                   channelView(rw, loc, ad.getB(), rank)},
        [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
          Value v = arith::MulFOp::create(b, l, arith::MulFOp::create(b, l, a[0], a[1]), a[2]);
          return arith::AddFOp::create(b, l, v, a[3]);
        });
    rw.replaceOp(op, y);
    return success();
  }
};

/// GroupNormalization (opset 21; 18's per-group scale/bias are expanded on
/// import): statistics over each group of C/G channels and the spatial
/// dims, on an [N, G, C/G, ...] view; then a per-channel affine map.
struct GroupNormPattern : OpConversionPattern<onnx::GroupNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::GroupNormalizationOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || rt->getRank() < 2 || !rt->hasStaticShape())
      return rw.notifyMatchFailure(op, "needs a static N, C, ... input");
    int64_t groups = op.getNumGroups(), c = rt->getDimSize(1), rank = rt->getRank();
    if (groups <= 0 || c % groups != 0)
      return op.emitOpError() << "num_groups " << groups << " does not divide the " << c << " channels";
    Location loc = op.getLoc();
    SmallVector<int64_t> grouped{rt->getDimSize(0), groups, c / groups};
    llvm::append_range(grouped, rt->getShape().drop_front(2));
    SmallVector<ReassociationIndices> reassoc{{0}, {1, 2}};
    for (int64_t d = 3; d <= rank; ++d)
      reassoc.push_back({d});
    auto groupedType = RankedTensorType::get(grouped, rt->getElementType());
    Value x = tensor::ExpandShapeOp::create(rw, loc, groupedType, ad.getX(), reassoc);
    SmallVector<bool> mask(rank + 1, true);
    mask[0] = mask[1] = false;
    auto [centered, inv] = normalize(rw, loc, x, mask, op.getEpsilon().convertToFloat());
    Value normalized = buildElementwise(rw, loc, groupedType, ValueRange{centered, inv},
                                        [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                                          return arith::MulFOp::create(b, l, a[0], a[1]);
                                        });
    Value flat = tensor::CollapseShapeOp::create(rw, loc, *rt, normalized, reassoc);
    Value y = buildElementwise(
        rw, loc, *rt,
        ValueRange{flat, channelView(rw, loc, ad.getScale(), rank), channelView(rw, loc, ad.getBias(), rank)},
        [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
          return arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, a[0], a[1]), a[2]);
        });
    rw.replaceOp(op, y);
    return success();
  }
};

/// RMSNormalization (opset 23): x / sqrt(mean(x^2 over axis..rank-1) + eps)
/// * scale, the scale broadcast over the normalized dims.
struct RMSNormPattern : OpConversionPattern<onnx::RMSNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::RMSNormalizationOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    int64_t rank = rt->getRank();
    auto axis = onnx::normalizeAxis(op.getAxis(), rank);
    if (!axis)
      return op.emitOpError() << "axis " << op.getAxis() << " out of range for rank " << rank;
    Location loc = op.getLoc();
    SmallVector<bool> mask(rank, false);
    for (int64_t d = *axis; d < rank; ++d)
      mask[d] = true;
    Value sq = buildElementwise(rw, loc, *rt, ValueRange{ad.getX()}, [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
      return arith::MulFOp::create(b, l, a[0], a[0]);
    });
    Value meanSq = meanKeepDims(rw, loc, sq, mask);
    double eps = op.getEpsilon().convertToDouble();
    Value y = buildElementwise(rw, loc, *rt, ValueRange{ad.getX(), meanSq, ad.getScale()},
                               [&](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
                                 Value rms = math::SqrtOp::create(
                                     b, l, arith::AddFOp::create(b, l, a[1], scalarConstant(b, l, t, eps)));
                                 return arith::MulFOp::create(b, l, arith::DivFOp::create(b, l, a[0], rms), a[2]);
                               });
    rw.replaceOp(op, y);
    return success();
  }
};

/// RotaryEmbedding (opset 23): one generic over X ([B, H, S, D], or
/// [B, S, H * D] with num_heads). Feature d < rotary_dim pairs with its
/// partner (d +- rotary_dim/2, or d ^ 1 when interleaved) and is rotated by
/// the cached cos/sin of its position (position_ids, or the cache is
/// [B, S, rotary_dim/2] already); the other features pass through.
struct RotaryEmbeddingPattern : OpConversionPattern<onnx::RotaryEmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::RotaryEmbeddingOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !rt->hasStaticShape() || (rt->getRank() != 3 && rt->getRank() != 4))
      return op.emitOpError("needs a static 3-D or 4-D input");
    bool fourD = rt->getRank() == 4;
    int64_t heads = fourD ? rt->getDimSize(1) : op.getNumHeads();
    int64_t hidden = rt->getDimSize(rt->getRank() - 1);
    if (heads <= 0 || (!fourD && hidden % heads != 0))
      return op.emitOpError("a 3-D input needs num_heads dividing its last dim");
    int64_t headSize = fourD ? hidden : hidden / heads;
    int64_t rot = op.getRotaryEmbeddingDim() ? op.getRotaryEmbeddingDim() : headSize;
    if (rot % 2 != 0 || rot > headSize)
      return op.emitOpError() << "rotary_embedding_dim " << rot << " must be even and at most " << headSize;
    bool interleaved = op.getInterleaved() != 0;
    bool positions = !onnx::isNone(op.getPositionIds());
    Value x = ad.getX(), cosC = ad.getCosCache(), sinC = ad.getSinCache(), pos = ad.getPositionIds();
    Type elem = rt->getElementType();
    Value y = generateTensor(rw, op.getLoc(), *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      auto c = [&](int64_t v) { return cIdx(b, l, v); };
      // (batch, sequence position, feature within the head)
      Value bIdx = iv[0], sIdx = fourD ? iv[2] : iv[1];
      Value d = fourD ? iv[3] : arith::RemUIOp::create(b, l, iv[2], c(headSize)).getResult();
      Value head0 = fourD ? Value() : arith::SubIOp::create(b, l, iv[2], d).getResult();
      auto read = [&](Value feature) {
        SmallVector<Value> at(iv);
        at.back() = fourD ? feature : arith::AddIOp::create(b, l, head0, feature).getResult();
        return tensor::ExtractOp::create(b, l, x, at).getResult();
      };
      Value self = read(d);
      Value rotated = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, d, c(rot));
      Value dc = arith::MinUIOp::create(b, l, d, c(rot - 1)); // in range for the reads below
      Value half = c(rot / 2);
      Value first, i, partner; // first: d holds x1 (the real part)
      if (interleaved) {
        first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, arith::RemUIOp::create(b, l, dc, c(2)), c(0));
        i = arith::DivUIOp::create(b, l, dc, c(2));
        partner = arith::XOrIOp::create(b, l, dc, c(1));
      } else {
        first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, dc, half);
        i = arith::SelectOp::create(b, l, first, dc, arith::SubIOp::create(b, l, dc, half));
        partner = arith::SelectOp::create(b, l, first, arith::AddIOp::create(b, l, dc, half),
                                          arith::SubIOp::create(b, l, dc, half));
      }
      SmallVector<Value> cacheAt;
      if (positions) {
        Value p = tensor::ExtractOp::create(b, l, pos, ValueRange{bIdx, sIdx});
        cacheAt = {arith::IndexCastOp::create(b, l, b.getIndexType(), p), i};
      } else {
        cacheAt = {bIdx, sIdx, i};
      }
      Value cs = castScalar(b, l, tensor::ExtractOp::create(b, l, cosC, cacheAt), elem);
      Value sn = castScalar(b, l, tensor::ExtractOp::create(b, l, sinC, cacheAt), elem);
      Value other = read(partner);
      // real = cos x1 - sin x2, imag = sin x1 + cos x2
      Value real = arith::SubFOp::create(b, l, arith::MulFOp::create(b, l, cs, self), arith::MulFOp::create(b, l, sn, other));
      Value imag = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, sn, other), arith::MulFOp::create(b, l, cs, self));
      Value v = arith::SelectOp::create(b, l, first, real, imag);
      return arith::SelectOp::create(b, l, rotated, v, self).getResult();
    });
    rw.replaceOp(op, y);
    return success();
  }
};

/// Trilu: keep x[..., i, j] where j - i >= k (upper) or j - i <= k (lower).
struct TriluPattern : OpConversionPattern<onnx::TriluOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::TriluOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || rt->getRank() < 2)
      return rw.notifyMatchFailure(op, "rank < 2");
    bool upper = op.getUpper() != 0;
    int64_t rank = rt->getRank();
    Location loc = op.getLoc();
    // k: a scalar (or 1-element) tensor, constant or read at run time.
    Value kv = arith::ConstantIndexOp::create(rw, loc, 0);
    if (!onnx::isNone(ad.getK())) {
      kv = arith::IndexCastOp::create(rw, loc, rw.getIndexType(), firstElement(rw, loc, ad.getK()));
    }
    Value r = buildElementwise(rw, loc, *rt, ValueRange{ad.getInput()},
                               [&](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
                                 Value i = linalg::IndexOp::create(b, l, rank - 2);
                                 Value j = linalg::IndexOp::create(b, l, rank - 1);
                                 Value diff = arith::SubIOp::create(b, l, j, i);
                                 Value keep = arith::CmpIOp::create(
                                     b, l, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle, diff, kv);
                                 return arith::SelectOp::create(b, l, keep, a[0], scalarConstant(b, l, t, 0));
                               });
    rw.replaceOp(op, r);
    return success();
  }
};

/// CumSum along a static `axis` as a triangular reduction:
/// y[i] = sum_j x[j] * [j <= i] (or the exclusive/reversed variants).
Value cumSumAlong(OpBuilder &rw, Location loc, RankedTensorType rt, Value x, int64_t axis,
                  bool exclusive, bool reverse) {
  MLIRContext *ctx = rw.getContext();
  int64_t rank = rt.getRank();
  Type elem = rt.getElementType();
  bool f = isa<FloatType>(elem);
  // Dims: the output dims, then j (the summed position along the axis).
  SmallVector<AffineExpr> xe, ye;
  for (int64_t i = 0; i < rank; ++i) {
    xe.push_back(i == axis ? getAffineDimExpr(rank, ctx) : getAffineDimExpr(i, ctx));
    ye.push_back(getAffineDimExpr(i, ctx));
  }
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  iters.push_back(utils::IteratorType::reduction);
  Value init = filled(rw, loc, rt, x, 0.0);
  return linalg::GenericOp::create(
             rw, loc, TypeRange{rt}, ValueRange{x}, ValueRange{init},
             ArrayRef<AffineMap>{AffineMap::get(rank + 1, 0, xe, ctx), AffineMap::get(rank + 1, 0, ye, ctx)},
             iters,
             [&](OpBuilder &b, Location l, ValueRange a) {
               Value i = linalg::IndexOp::create(b, l, axis);
               Value j = linalg::IndexOp::create(b, l, rank);
               arith::CmpIPredicate pred = reverse ? (exclusive ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::uge)
                                                   : (exclusive ? arith::CmpIPredicate::ult : arith::CmpIPredicate::ule);
               Value in = arith::CmpIOp::create(b, l, pred, j, i);
               Value v = arith::SelectOp::create(b, l, in, a[0], scalarConstant(b, l, elem, 0));
               Value s = f ? Value(arith::AddFOp::create(b, l, a[1], v)) : Value(arith::AddIOp::create(b, l, a[1], v));
               linalg::YieldOp::create(b, l, s);
             })
      .getResult(0);
}

/// CumSum: a constant axis picks one generic; an axis computed at run time
/// selects among one generic per possible axis (scf.index_switch; an axis
/// out of range yields zeros).
struct CumSumPattern : OpConversionPattern<onnx::CumSumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::CumSumOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto at = dyn_cast<RankedTensorType>(ad.getAxis().getType());
    if (failed(rt) || !at || at.getNumElements() != 1)
      return rw.notifyMatchFailure(op, "needs a ranked result and a one-element axis");
    Location loc = op.getLoc();
    int64_t rank = rt->getRank();
    bool exclusive = op.getExclusive() != 0, reverse = op.getReverse() != 0;
    if (auto axisV = onnx::getConstantInts(op.getAxis())) {
      auto axis = onnx::normalizeAxis((*axisV)[0], rank);
      if (!axis)
        return op.emitOpError() << "'axis' " << (*axisV)[0] << " out of range for rank " << rank;
      rw.replaceOp(op, cumSumAlong(rw, loc, *rt, ad.getX(), *axis, exclusive, reverse));
      return success();
    }
    Value axis = arith::IndexCastOp::create(rw, loc, rw.getIndexType(), firstElement(rw, loc, ad.getAxis()));
    Value r = arith::ConstantIndexOp::create(rw, loc, rank);
    Value neg = arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::slt, axis,
                                      arith::ConstantIndexOp::create(rw, loc, 0));
    axis = arith::SelectOp::create(rw, loc, neg, arith::AddIOp::create(rw, loc, axis, r), axis);
    SmallVector<int64_t> cases;
    for (int64_t i = 0; i < rank; ++i)
      cases.push_back(i);
    auto sw = scf::IndexSwitchOp::create(rw, loc, TypeRange{*rt}, axis, cases, rank);
    for (int64_t i = 0; i <= rank; ++i) {
      Region &region = i < rank ? sw.getCaseRegions()[i] : sw.getDefaultRegion();
      OpBuilder::InsertionGuard g(rw);
      rw.setInsertionPointToStart(&region.emplaceBlock());
      Value v = i < rank ? cumSumAlong(rw, loc, *rt, ad.getX(), i, exclusive, reverse)
                         : filled(rw, loc, *rt, ad.getX(), 0.0);
      scf::YieldOp::create(rw, loc, v);
    }
    rw.replaceOp(op, sw.getResults());
    return success();
  }
};

/// GatherElements: y[i...] = data[i... with i_axis := indices[i...]].
struct GatherElementsPattern : OpConversionPattern<onnx::GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::GatherElementsOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto it = dyn_cast<RankedTensorType>(ad.getIndices().getType());
    if (failed(rt) || !it)
      return rw.notifyMatchFailure(op, "unranked");
    Location loc = op.getLoc();
    int64_t rank = rt->getRank();
    int64_t axis = *onnx::normalizeAxis(int64_t(op.getAxis()), rank);
    Value data = ad.getData();
    SmallVector<Value> dyn;
    for (int64_t i = 0; i < rank; ++i)
      if (rt->isDynamicDim(i))
        dyn.push_back(tensor::DimOp::create(rw, loc, ad.getIndices(), i));
    Value init = tensor::EmptyOp::create(rw, loc, rt->getShape(), rt->getElementType(), dyn);
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    Value r = linalg::GenericOp::create(
                  rw, loc, TypeRange{*rt}, ValueRange{ad.getIndices()}, ValueRange{init},
                  ArrayRef<AffineMap>{rw.getMultiDimIdentityMap(rank), rw.getMultiDimIdentityMap(rank)}, iters,
                  [&](OpBuilder &b, Location l, ValueRange a) {
                    SmallVector<Value> src;
                    for (int64_t i = 0; i < rank; ++i)
                      src.push_back(linalg::IndexOp::create(b, l, i));
                    src[axis] = wrapIndex(b, l, a[0], data, axis);
                    linalg::YieldOp::create(b, l, ValueRange{tensor::ExtractOp::create(b, l, data, src)});
                  })
                  .getResult(0);
    rw.replaceOp(op, r);
    return success();
  }
};

/// MeanVarianceNormalization over `axes`: (x - E[x]) / (sqrt(E[x^2] -
/// E[x]^2) + 1e-9), as the ONNX function body computes it.
struct MeanVarianceNormPattern : OpConversionPattern<onnx::MeanVarianceNormalizationOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::MeanVarianceNormalizationOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    Location loc = op.getLoc();
    int64_t rank = rt->getRank();
    SmallVector<bool> mask(rank, false);
    for (int64_t a : op.getAxes()) {
      auto n = onnx::normalizeAxis(a, rank);
      if (!n)
        return op.emitOpError() << "axis " << a << " out of range for rank " << rank;
      mask[*n] = true;
    }
    Value x = ad.getX();
    Value mean = meanKeepDims(rw, loc, x, mask);
    Value sq = buildElementwise(rw, loc, *rt, ValueRange{x},
                                [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                                  return arith::MulFOp::create(b, l, a[0], a[0]);
                                });
    Value meanSq = meanKeepDims(rw, loc, sq, mask);
    Value y = buildElementwise(
        rw, loc, *rt, ValueRange{x, mean, meanSq}, [](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
          Value var = arith::SubFOp::create(b, l, a[2], arith::MulFOp::create(b, l, a[1], a[1]));
          Value sd = arith::AddFOp::create(b, l, math::SqrtOp::create(b, l, var), scalarConstant(b, l, t, 1e-9));
          return arith::DivFOp::create(b, l, arith::SubFOp::create(b, l, a[0], a[1]), sd);
        });
    rw.replaceOp(op, y);
    return success();
  }
};

/// LRN across channels: the sum of squares over a window of `size` channels
/// (zero-padded at the ends) reads a channel-padded x^2 at c + k.
struct LRNPattern : OpConversionPattern<onnx::LRNOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::LRNOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !rt->hasStaticShape() || rt->getRank() < 2)
      return rw.notifyMatchFailure(op, "needs a static N, C, ... shape");
    Location loc = op.getLoc();
    MLIRContext *ctx = rw.getContext();
    int64_t rank = rt->getRank(), size = int64_t(op.getSize());
    if (size < 1)
      return op.emitOpError() << "'size' must be >= 1, got " << size;
    int64_t pre = (size - 1) / 2, post = size - 1 - pre;
    Type elem = rt->getElementType();
    Value x = ad.getX();
    Value sq = buildElementwise(rw, loc, *rt, ValueRange{x},
                                [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                                  return arith::MulFOp::create(b, l, a[0], a[0]);
                                });
    SmallVector<OpFoldResult> lo(rank, rw.getIndexAttr(0)), hi(rank, rw.getIndexAttr(0));
    lo[1] = rw.getIndexAttr(pre);
    hi[1] = rw.getIndexAttr(post);
    SmallVector<int64_t> padShape(rt->getShape());
    padShape[1] += size - 1;
    Value padded = tensor::PadOp::create(rw, loc, RankedTensorType::get(padShape, elem), sq, lo, hi,
                                         scalarConstant(rw, loc, elem, 0));
    // Dims: the output's, then k (the window position).
    SmallVector<AffineExpr> in, out;
    for (int64_t i = 0; i < rank; ++i) {
      AffineExpr d = getAffineDimExpr(i, ctx);
      in.push_back(i == 1 ? d + getAffineDimExpr(rank, ctx) : d);
      out.push_back(d);
    }
    Value window = tensor::EmptyOp::create(rw, loc, ArrayRef<int64_t>{size}, elem);
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters.push_back(utils::IteratorType::reduction);
    Value sum = linalg::GenericOp::create(
                    rw, loc, TypeRange{*rt}, ValueRange{padded, window}, ValueRange{filled(rw, loc, *rt, x, 0.0)},
                    ArrayRef<AffineMap>{AffineMap::get(rank + 1, 0, in, ctx),
                                        AffineMap::get(rank + 1, 0, getAffineDimExpr(rank, ctx)),
                                        AffineMap::get(rank + 1, 0, out, ctx)},
                    iters,
                    [](OpBuilder &b, Location l, ValueRange a) {
                      linalg::YieldOp::create(b, l, ValueRange{arith::AddFOp::create(b, l, a[0], a[2])});
                    })
                    .getResult(0);
    double alpha = op.getAlpha().convertToFloat(), beta = op.getBeta().convertToFloat(),
           bias = op.getBias().convertToFloat();
    Value y = buildElementwise(
        rw, loc, *rt, ValueRange{x, sum}, [&](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
          Value s = arith::AddFOp::create(b, l, scalarConstant(b, l, t, bias),
                                          arith::MulFOp::create(b, l, a[1], scalarConstant(b, l, t, alpha / size)));
          return arith::DivFOp::create(b, l, a[0], math::PowFOp::create(b, l, s, scalarConstant(b, l, t, beta)));
        });
    rw.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateNormalizationPatterns(RewritePatternSet &patterns, llvm::StringSet<> &names) {
  patterns.add<LayerNormPattern, InstanceNormPattern, GroupNormPattern, RMSNormPattern, RotaryEmbeddingPattern, TriluPattern, CumSumPattern,
               GatherElementsPattern, MeanVarianceNormPattern, LRNPattern>(patterns.getContext());
  for (StringRef n : {"onnx.LayerNormalization", "onnx.InstanceNormalization",
                      "onnx.GroupNormalization", "onnx.RMSNormalization", "onnx.RotaryEmbedding", "onnx.Trilu",
                      "onnx.CumSum", "onnx.GatherElements", "onnx.MeanVarianceNormalization",
                      "onnx.LRN"})
    names.insert(n);
}

} // namespace onnxc::conversion
