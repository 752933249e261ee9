//===- TensorIndexing.cpp - onnx Gather/Slice/Tile/Pad/... -> linalg ------===//
//
// Index-computing ops are written as "output-driven" generics: one
// linalg.generic with only an output; its body computes the source index
// from linalg.index values and reads the source with tensor.extract.
// Shape/Size become constants when the input shape is static. Scatter ops
// are loops over the updates that insert into a copy of the data.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

struct ShapePattern : OpConversionPattern<onnx::ShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ShapeOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto it = dyn_cast<RankedTensorType>(ad.getData().getType());
    auto rt = rankedResult(rw, op);
    if (!it || failed(rt) || !rt->hasStaticShape())
      return rw.notifyMatchFailure(op, "unranked");
    int64_t rank = it.getRank();
    int64_t start = int64_t(op.getStart()), end = op.getEnd() ? int64_t(*op.getEnd()) : rank;
    if (start < 0)
      start += rank;
    if (end < 0)
      end += rank;
    start = std::clamp<int64_t>(start, 0, rank);
    end = std::clamp<int64_t>(end, start, rank);
    Location loc = op.getLoc();
    SmallVector<Value> dims;
    for (int64_t i = start; i < end; ++i)
      dims.push_back(arith::IndexCastOp::create(rw, loc, rw.getI64Type(),
                                                tensor::DimOp::create(rw, loc, ad.getData(), i)));
    rw.replaceOpWithNewOp<tensor::FromElementsOp>(op, *rt, dims);
    return success();
  }
};

struct SizePattern : OpConversionPattern<onnx::SizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::SizeOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto it = dyn_cast<RankedTensorType>(ad.getData().getType());
    if (!it)
      return rw.notifyMatchFailure(op, "unranked");
    Location loc = op.getLoc();
    Value n = cIdx(rw, loc, 1);
    for (int64_t i = 0; i < it.getRank(); ++i)
      n = arith::MulIOp::create(rw, loc, n, tensor::DimOp::create(rw, loc, ad.getData(), i));
    Value v = arith::IndexCastOp::create(rw, loc, rw.getI64Type(), n);
    rw.replaceOpWithNewOp<tensor::FromElementsOp>(
        op, RankedTensorType::get({}, rw.getI64Type()), ValueRange{v});
    return success();
  }
};

/// out[a..., j..., b...] = data[a..., norm(indices[j...]), b...]
struct GatherPattern : OpConversionPattern<onnx::GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::GatherOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto dt = dyn_cast<RankedTensorType>(ad.getData().getType());
    auto it = dyn_cast<RankedTensorType>(ad.getIndices().getType());
    if (failed(rt) || !dt || !it)
      return rw.notifyMatchFailure(op, "unranked");
    Location loc = op.getLoc();
    int64_t axis = *onnx::normalizeAxis(int64_t(op.getAxis()), dt.getRank());
    int64_t ir = it.getRank();
    SmallVector<Value> dyn;
    for (int64_t i = 0; i < rt->getRank(); ++i) {
      if (!rt->isDynamicDim(i))
        continue;
      if (i < axis)
        dyn.push_back(tensor::DimOp::create(rw, loc, ad.getData(), i));
      else if (i < axis + ir)
        dyn.push_back(tensor::DimOp::create(rw, loc, ad.getIndices(), i - axis));
      else
        dyn.push_back(tensor::DimOp::create(rw, loc, ad.getData(), i - ir + 1));
    }
    Value data = ad.getData(), indices = ad.getIndices();
    Value r = generateTensor(rw, loc, *rt, dyn, [&](OpBuilder &b, Location l, ValueRange iv) {
      SmallVector<Value> ii(iv.begin() + axis, iv.begin() + axis + ir);
      Value raw = tensor::ExtractOp::create(b, l, indices, ii);
      SmallVector<Value> src(iv.begin(), iv.begin() + axis);
      src.push_back(wrapIndex(b, l, raw, data, axis));
      src.append(iv.begin() + axis + ir, iv.end());
      return tensor::ExtractOp::create(b, l, data, src);
    });
    rw.replaceOp(op, r);
    return success();
  }
};

/// GatherND: out[b..., i..., j...] = data[b..., indices[b..., i..., 0:k],
/// j...] with b the batch_dims leading dims shared by data and indices and
/// k = the last dim of indices (static). Negative indices count from the end.
struct GatherNDPattern : OpConversionPattern<onnx::GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::GatherNDOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto dt = dyn_cast<RankedTensorType>(ad.getData().getType());
    auto it = dyn_cast<RankedTensorType>(ad.getIndices().getType());
    if (failed(rt) || !rt->hasStaticShape() || !dt || !it || it.getRank() < 1 ||
        it.isDynamicDim(it.getRank() - 1))
      return rw.notifyMatchFailure(op, "needs static shapes");
    int64_t b = int64_t(op.getBatchDims()), q = it.getRank(), k = it.getDimSize(q - 1);
    if (b < 0 || b + k > dt.getRank() || rt->getRank() != q - 1 + dt.getRank() - b - k)
      return op.emitOpError("batch_dims and the indices' last dim do not fit the data");
    Location loc = op.getLoc();
    Value data = ad.getData(), indices = ad.getIndices();
    Value r = generateTensor(rw, loc, *rt, {}, [&](OpBuilder &bb, Location l, ValueRange iv) {
      SmallVector<Value> src(iv.begin(), iv.begin() + b);
      SmallVector<Value> at(iv.begin(), iv.begin() + (q - 1));
      for (int64_t t = 0; t < k; ++t) {
        at.push_back(cIdx(bb, l, t));
        Value raw = tensor::ExtractOp::create(bb, l, indices, at);
        at.pop_back();
        src.push_back(wrapIndex(bb, l, raw, data, b + t));
      }
      src.append(iv.begin() + (q - 1), iv.end());
      return tensor::ExtractOp::create(bb, l, data, src);
    });
    rw.replaceOp(op, r);
    return success();
  }
};

/// Combines an existing element with a scattered update per `reduction`
/// (none/add/mul/max/min; callers check the name).
Value combineScatter(OpBuilder &b, Location l, StringRef reduction, Value old, Value upd,
                     bool isUnsigned) {
  bool f = isa<FloatType>(upd.getType());
  if (reduction == "none")
    return upd;
  if (reduction == "add")
    return f ? Value(arith::AddFOp::create(b, l, old, upd)) : Value(arith::AddIOp::create(b, l, old, upd));
  if (reduction == "mul")
    return f ? Value(arith::MulFOp::create(b, l, old, upd)) : Value(arith::MulIOp::create(b, l, old, upd));
  if (reduction == "max")
    return f ? Value(arith::MaximumFOp::create(b, l, old, upd))
             : isUnsigned ? Value(arith::MaxUIOp::create(b, l, old, upd))
                          : Value(arith::MaxSIOp::create(b, l, old, upd));
  return f ? Value(arith::MinimumFOp::create(b, l, old, upd))
           : isUnsigned ? Value(arith::MinUIOp::create(b, l, old, upd))
                        : Value(arith::MinSIOp::create(b, l, old, upd));
}

/// Scatter*: a copy of `data`, then one loop nest over `updates` in order
/// (so duplicate indices combine as the reference does); `position` maps
/// the update's index to the data index it writes.
Value scatterLoop(OpBuilder &b, Location loc, Value data, Value updates, StringRef reduction,
                  bool isUnsigned,
                  function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)> position) {
  auto ut = cast<RankedTensorType>(updates.getType());
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t i = 0; i < ut.getRank(); ++i) {
    lbs.push_back(cIdx(b, loc, 0));
    ubs.push_back(tensor::DimOp::create(b, loc, updates, i));
    steps.push_back(cIdx(b, loc, 1));
  }
  auto nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, ValueRange{data},
      [&](OpBuilder &nb, Location l, ValueRange iv, ValueRange acc) -> scf::ValueVector {
        SmallVector<Value> at = position(nb, l, iv);
        Value v = tensor::ExtractOp::create(nb, l, updates, iv);
        if (reduction != "none")
          v = combineScatter(nb, l, reduction, tensor::ExtractOp::create(nb, l, acc[0], at), v,
                           isUnsigned);
        return {tensor::InsertOp::create(nb, l, v, acc[0], at)};
      });
  return nest.results.empty() ? data : nest.results[0];
}

/// ScatterElements (and opset-9 Scatter): out[i.. with i_axis := idx[i..]]
/// = updates[i..].
template <typename OpTy>
struct ScatterElementsPattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto dt = dyn_cast<RankedTensorType>(ad.getData().getType());
    if (!dt || !isa<RankedTensorType>(ad.getUpdates().getType()))
      return rw.notifyMatchFailure(op, "unranked");
    StringRef reduction = "none";
    if constexpr (std::is_same_v<OpTy, onnx::ScatterElementsOp>)
      reduction = op.getReduction();
    if (!llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction))
      return op.emitOpError() << "unknown reduction '" << reduction << "'";
    auto axis = onnx::normalizeAxis(int64_t(op.getAxis()), dt.getRank());
    if (!axis)
      return op.emitOpError() << "'axis' out of range for rank " << dt.getRank();
    Value data = ad.getData(), indices = ad.getIndices();
    Value r = scatterLoop(rw, op.getLoc(), data, ad.getUpdates(), reduction,
                          isUnsignedOperand(op, 0),
                          [&](OpBuilder &b, Location l, ValueRange iv) {
                            SmallVector<Value> at(iv.begin(), iv.end());
                            Value raw = tensor::ExtractOp::create(b, l, indices, iv);
                            at[*axis] = wrapIndex(b, l, raw, data, *axis);
                            return at;
                          });
    rw.replaceOp(op, r);
    return success();
  }
};

/// ScatterND: updates[i.., j..] goes to data[idx[i.., 0..k-1], j..].
struct ScatterNDPattern : OpConversionPattern<onnx::ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ScatterNDOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto dt = dyn_cast<RankedTensorType>(ad.getData().getType());
    auto it = dyn_cast<RankedTensorType>(ad.getIndices().getType());
    auto ut = dyn_cast<RankedTensorType>(ad.getUpdates().getType());
    if (!dt || !it || !ut || it.getRank() < 1 || it.isDynamicDim(it.getRank() - 1))
      return rw.notifyMatchFailure(op, "needs ranked operands and a static index depth");
    int64_t q = it.getRank(), k = it.getDimSize(q - 1);
    if (k > dt.getRank() || ut.getRank() != q - 1 + dt.getRank() - k)
      return op.emitOpError() << "updates of rank " << ut.getRank() << " do not fit indices of rank "
                              << q << " (depth " << k << ") into data of rank " << dt.getRank();
    StringRef reduction = op.getReduction();
    if (!llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction))
      return op.emitOpError() << "unknown reduction '" << reduction << "'";
    Value data = ad.getData(), indices = ad.getIndices();
    Value r = scatterLoop(rw, op.getLoc(), data, ad.getUpdates(), reduction,
                          isUnsignedOperand(op, 0),
                          [&](OpBuilder &b, Location l, ValueRange iv) {
                            SmallVector<Value> at, src(iv.begin(), iv.begin() + (q - 1));
                            for (int64_t t = 0; t < k; ++t) {
                              src.push_back(cIdx(b, l, t));
                              Value raw = tensor::ExtractOp::create(b, l, indices, src);
                              src.pop_back();
                              at.push_back(wrapIndex(b, l, raw, data, t));
                            }
                            at.append(iv.begin() + (q - 1), iv.end());
                            return at;
                          });
    rw.replaceOp(op, r);
    return success();
  }
};

/// ReverseSequence: out[.., t, .., b, ..] = in[.., t' , .., b, ..] with
/// t' = len[b] - 1 - t for t < len[b], else t.
struct ReverseSequencePattern : OpConversionPattern<onnx::ReverseSequenceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ReverseSequenceOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !rt->hasStaticShape())
      return rw.notifyMatchFailure(op, "needs a static shape");
    int64_t rank = rt->getRank();
    auto ta = onnx::normalizeAxis(int64_t(op.getTimeAxis()), rank);
    auto ba = onnx::normalizeAxis(int64_t(op.getBatchAxis()), rank);
    if (!ta || !ba || *ta == *ba)
      return op.emitOpError("time_axis and batch_axis must be distinct dims of the input");
    Value in = ad.getInput(), lens = ad.getSequenceLens();
    Value r = generateTensor(rw, op.getLoc(), *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      Value len = arith::IndexCastOp::create(b, l, b.getIndexType(),
                                             tensor::ExtractOp::create(b, l, lens, iv[*ba]));
      Value t = iv[*ta];
      Value inside = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, t, len);
      Value rev = arith::SubIOp::create(b, l, arith::SubIOp::create(b, l, len, t), cIdx(b, l, 1));
      SmallVector<Value> src(iv.begin(), iv.end());
      src[*ta] = arith::SelectOp::create(b, l, inside, rev, t);
      return tensor::ExtractOp::create(b, l, in, src);
    });
    rw.replaceOp(op, r);
    return success();
  }
};

/// Slice with constant starts/ends/axes/steps (any sign of step):
/// out[i] = in[start + i * step] along each sliced axis.
struct SlicePattern : OpConversionPattern<onnx::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::SliceOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto dt = dyn_cast<RankedTensorType>(ad.getData().getType());
    if (failed(rt) || !dt || !dt.hasStaticShape() || !rt->hasStaticShape())
      return op.emitOpError("slicing dynamic shapes is not supported yet");
    auto starts = onnx::getConstantInts(op.getStarts());
    auto ends = onnx::getConstantInts(op.getEnds());
    std::optional<SmallVector<int64_t>> axes, steps;
    if (!onnx::isNone(op.getAxes()))
      axes = onnx::getConstantInts(op.getAxes());
    if (!onnx::isNone(op.getSteps()))
      steps = onnx::getConstantInts(op.getSteps());
    if (!starts || !ends || (!onnx::isNone(op.getAxes()) && !axes) ||
        (!onnx::isNone(op.getSteps()) && !steps))
      return sliceAtRunTime(rw, op, ad, dt, *rt);
    int64_t rank = dt.getRank();
    SmallVector<int64_t> begin(rank, 0), stride(rank, 1);
    for (size_t i = 0; i < starts->size(); ++i) {
      int64_t a = *onnx::normalizeAxis(axes ? (*axes)[i] : int64_t(i), rank);
      int64_t step = steps ? (*steps)[i] : 1, dim = dt.getDimSize(a);
      int64_t s = (*starts)[i];
      if (s < 0)
        s += dim;
      s = step > 0 ? std::clamp<int64_t>(s, 0, dim) : std::clamp<int64_t>(s, -1, dim - 1);
      begin[a] = s;
      stride[a] = step;
    }
    Location loc = op.getLoc();
    Value data = ad.getData();
    Value r = generateTensor(rw, loc, *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      SmallVector<Value> src;
      for (int64_t d = 0; d < rank; ++d)
        src.push_back(arith::AddIOp::create(
            b, l, cIdx(b, l, begin[d]), arith::MulIOp::create(b, l, iv[d], cIdx(b, l, stride[d]))));
      return tensor::ExtractOp::create(b, l, data, src);
    });
    rw.replaceOp(op, r);
    return success();
  }

private:
  /// starts/ends/axes/steps computed at run time: each dim's begin, step and
  /// element count follow ONNX's clamping rules in i64 arithmetic; the
  /// counts must equal the result shape compiled for (else the run's data
  /// check fails), and reads are clamped into the data.
  LogicalResult sliceAtRunTime(ConversionPatternRewriter &rw, onnx::SliceOp op, OpAdaptor ad,
                               RankedTensorType dt, RankedTensorType rt) const {
    auto st = dyn_cast<RankedTensorType>(ad.getStarts().getType());
    if (!st || st.getRank() != 1 || st.isDynamicDim(0))
      return op.emitOpError("starts computed at run time need a static length");
    Location loc = op.getLoc();
    int64_t rank = dt.getRank(), k = st.getDimSize(0);
    auto c = [&](int64_t v) -> Value { return arith::ConstantIntOp::create(rw, loc, v, 64); };
    auto cmp = [&](arith::CmpIPredicate p, Value a, Value b) -> Value {
      return arith::CmpIOp::create(rw, loc, p, a, b);
    };
    auto sel = [&](Value cond, Value a, Value b) -> Value { return arith::SelectOp::create(rw, loc, cond, a, b); };
    auto clamp = [&](Value v, Value lo, Value hi) -> Value {
      return arith::MinSIOp::create(rw, loc, arith::MaxSIOp::create(rw, loc, v, lo), hi);
    };
    auto element = [&](Value t, int64_t j) -> Value {
      Value v = tensor::ExtractOp::create(rw, loc, t, ValueRange{cIdx(rw, loc, j)});
      return castScalar(rw, loc, v, rw.getI64Type());
    };
    SmallVector<Value> begin(rank, c(0)), step(rank, c(1)), count;
    for (int64_t d = 0; d < rank; ++d)
      count.push_back(c(dt.getDimSize(d)));
    Value ok = arith::ConstantIntOp::create(rw, loc, 1, 1);
    bool hasAxes = !isa<NoneType>(ad.getAxes().getType()), hasSteps = !isa<NoneType>(ad.getSteps().getType());
    for (int64_t j = 0; j < k; ++j) {
      Value a = hasAxes ? element(ad.getAxes(), j) : c(j);
      a = sel(cmp(arith::CmpIPredicate::slt, a, c(0)), arith::AddIOp::create(rw, loc, a, c(rank)), a);
      ok = arith::AndIOp::create(rw, loc, ok, cmp(arith::CmpIPredicate::ult, a, c(rank)));
      Value dim = c(0);
      for (int64_t d = 0; d < rank; ++d)
        dim = sel(cmp(arith::CmpIPredicate::eq, a, c(d)), c(dt.getDimSize(d)), dim);
      Value s = element(ad.getStarts(), j), e = element(ad.getEnds(), j);
      Value sp = hasSteps ? element(ad.getSteps(), j) : c(1);
      ok = arith::AndIOp::create(rw, loc, ok, cmp(arith::CmpIPredicate::ne, sp, c(0)));
      s = sel(cmp(arith::CmpIPredicate::slt, s, c(0)), arith::AddIOp::create(rw, loc, s, dim), s);
      e = sel(cmp(arith::CmpIPredicate::slt, e, c(0)), arith::AddIOp::create(rw, loc, e, dim), e);
      Value fwd = cmp(arith::CmpIPredicate::sgt, sp, c(0));
      Value dimM1 = arith::SubIOp::create(rw, loc, dim, c(1));
      s = sel(fwd, clamp(s, c(0), dim), clamp(s, c(0), dimM1));
      e = sel(fwd, clamp(e, c(0), dim), clamp(e, c(-1), dimM1));
      // count = max(0, ceil((e - s) / step)) for either sign of step.
      Value span = sel(fwd, arith::SubIOp::create(rw, loc, e, s), arith::SubIOp::create(rw, loc, s, e));
      Value mag = sel(fwd, sp, arith::SubIOp::create(rw, loc, c(0), sp));
      mag = arith::MaxSIOp::create(rw, loc, mag, c(1));
      Value n = arith::DivSIOp::create(
          rw, loc, arith::AddIOp::create(rw, loc, span, arith::SubIOp::create(rw, loc, mag, c(1))), mag);
      n = arith::MaxSIOp::create(rw, loc, n, c(0));
      for (int64_t d = 0; d < rank; ++d) {
        Value here = cmp(arith::CmpIPredicate::eq, a, c(d));
        begin[d] = sel(here, s, begin[d]);
        step[d] = sel(here, sp, step[d]);
        count[d] = sel(here, n, count[d]);
      }
    }
    for (int64_t d = 0; d < rank; ++d)
      ok = arith::AndIOp::create(rw, loc, ok, cmp(arith::CmpIPredicate::eq, count[d], c(rt.getDimSize(d))));
    emitRuntimeCheck(rw, loc, ok);
    SmallVector<Value> b0, s0;
    for (int64_t d = 0; d < rank; ++d) {
      b0.push_back(arith::IndexCastOp::create(rw, loc, rw.getIndexType(), begin[d]));
      s0.push_back(arith::IndexCastOp::create(rw, loc, rw.getIndexType(), step[d]));
    }
    Value data = ad.getData();
    Value r = generateTensor(rw, loc, rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      SmallVector<Value> src;
      for (int64_t d = 0; d < rank; ++d) {
        Value i = arith::AddIOp::create(b, l, b0[d], arith::MulIOp::create(b, l, iv[d], s0[d]));
        i = arith::MaxSIOp::create(b, l, i, cIdx(b, l, 0));
        src.push_back(arith::MinSIOp::create(b, l, i, cIdx(b, l, dt.getDimSize(d) - 1)));
      }
      return tensor::ExtractOp::create(b, l, data, src);
    });
    rw.replaceOp(op, r);
    return success();
  }
};

struct ExpandPattern : OpConversionPattern<onnx::ExpandOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ExpandOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !rt->hasStaticShape())
      return op.emitOpError("Expand to a shape computed at run time is not supported yet");
    rw.replaceOp(op, buildElementwise(rw, op.getLoc(), *rt, ValueRange{ad.getInput()},
                                      [](OpBuilder &, Location, Type, ValueRange a) { return a[0]; }));
    return success();
  }
};

/// out[i] = in[i mod dim_in] per dim.
struct TilePattern : OpConversionPattern<onnx::TileOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::TileOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !rt->hasStaticShape())
      return op.emitOpError("Tile with repeats computed at run time is not supported yet");
    Value in = ad.getInput();
    Value r = generateTensor(rw, op.getLoc(), *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      SmallVector<Value> src;
      for (auto [d, i] : llvm::enumerate(iv))
        src.push_back(arith::RemUIOp::create(b, l, i, tensor::DimOp::create(b, l, in, d)));
      return tensor::ExtractOp::create(b, l, in, src);
    });
    rw.replaceOp(op, r);
    return success();
  }
};

struct ConstantOfShapePattern : OpConversionPattern<onnx::ConstantOfShapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ConstantOfShapeOp op, OpAdaptor,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !rt->hasStaticShape())
      return op.emitOpError("ConstantOfShape with a shape computed at run time is not supported yet");
    Attribute v = rw.getZeroAttr(rt->getElementType());
    if (auto value = op.getValue()) {
      auto dense = dyn_cast<DenseElementsAttr>(*value);
      if (!dense)
        return op.emitOpError("unsupported 'value'");
      v = dense.getValues<Attribute>()[0];
    }
    rw.replaceOpWithNewOp<arith::ConstantOp>(op, DenseElementsAttr::get(*rt, v));
    return success();
  }
};

/// Pad with constant pads: constant mode via tensor.pad, reflect/edge/wrap as
/// an output-driven generic.
struct PadPattern : OpConversionPattern<onnx::PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::PadOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto dt = dyn_cast<RankedTensorType>(ad.getData().getType());
    if (failed(rt) || !dt || !rt->hasStaticShape())
      return op.emitOpError("needs a static result shape (declare it when pads are computed at run time)");
    auto pads = onnx::fullRankPads(op, dt.getRank());
    if (!onnx::isNone(op.getAxes()) && !pads)
      return op.emitOpError("run-time pads or axes with an axes input are not supported yet");
    Location loc = op.getLoc();
    int64_t rank = dt.getRank();
    Type elem = rt->getElementType();
    StringRef mode = op.getMode();
    if (mode != "constant" && mode != "reflect" && mode != "edge" && mode != "wrap")
      return op.emitOpError() << "pad mode '" << mode << "' is not supported";
    if (!dt.hasStaticShape())
      return op.emitOpError("padding dynamic shapes is not supported yet");
    // Begin pads as index values: constants, or read (and checked against
    // the compiled shape) at run time.
    SmallVector<Value> begin;
    if (pads) {
      for (int64_t d = 0; d < rank; ++d)
        begin.push_back(cIdx(rw, loc, (*pads)[d]));
    } else {
      Value ok = arith::ConstantIntOp::create(rw, loc, 1, 1);
      auto padAt = [&](int64_t i) -> Value {
        Value v = tensor::ExtractOp::create(rw, loc, ad.getPads(), ValueRange{cIdx(rw, loc, i)});
        return arith::IndexCastOp::create(rw, loc, rw.getIndexType(), v);
      };
      for (int64_t d = 0; d < rank; ++d) {
        Value b0 = padAt(d), e0 = padAt(rank + d);
        Value n = arith::AddIOp::create(rw, loc, arith::AddIOp::create(rw, loc, cIdx(rw, loc, dt.getDimSize(d)), b0), e0);
        ok = arith::AndIOp::create(rw, loc, ok, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, n,
                                                                     cIdx(rw, loc, rt->getDimSize(d))));
        begin.push_back(b0);
      }
      emitRuntimeCheck(rw, loc, ok);
    }
    if (mode == "constant" && pads) {
      Value pv;
      if (!onnx::isNone(ad.getConstantValue()))
        pv = tensor::ExtractOp::create(rw, loc, ad.getConstantValue(), ValueRange{});
      else
        pv = arith::ConstantOp::create(rw, loc, cast<TypedAttr>(rw.getZeroAttr(elem)));
      // Negative pads crop: pad by the positive part, then slice.
      SmallVector<OpFoldResult> lo, hi;
      bool negative = false;
      for (int64_t i = 0; i < rank; ++i) {
        lo.push_back(rw.getIndexAttr(std::max<int64_t>(0, (*pads)[i])));
        hi.push_back(rw.getIndexAttr(std::max<int64_t>(0, (*pads)[i + rank])));
        negative |= (*pads)[i] < 0 || (*pads)[i + rank] < 0;
      }
      SmallVector<int64_t> padded;
      for (int64_t i = 0; i < rank; ++i)
        padded.push_back(dt.getDimSize(i) + std::max<int64_t>(0, (*pads)[i]) +
                         std::max<int64_t>(0, (*pads)[i + rank]));
      Value p = tensor::PadOp::create(rw, loc, RankedTensorType::get(padded, elem),
                                      ad.getData(), lo, hi, pv);
      if (negative) {
        SmallVector<OpFoldResult> off, sizes, strides;
        for (int64_t i = 0; i < rank; ++i) {
          off.push_back(rw.getIndexAttr(std::max<int64_t>(0, -(*pads)[i])));
          sizes.push_back(rw.getIndexAttr(rt->getDimSize(i)));
          strides.push_back(rw.getIndexAttr(1));
        }
        p = tensor::ExtractSliceOp::create(rw, loc, *rt, p, off, sizes, strides);
      }
      rw.replaceOp(op, p);
      return success();
    }
    // A gather: reflect/edge fold i - pad_begin into the data; constant
    // padding with run-time pads selects the value outside it.
    bool reflect = mode == "reflect", constant = mode == "constant", wrap = mode == "wrap";
    Value data = ad.getData();
    Value pv;
    if (constant)
      pv = onnx::isNone(ad.getConstantValue())
               ? Value(arith::ConstantOp::create(rw, loc, cast<TypedAttr>(rw.getZeroAttr(elem))))
               : Value(tensor::ExtractOp::create(rw, loc, ad.getConstantValue(), ValueRange{}));
    Value r = generateTensor(rw, loc, *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      SmallVector<Value> src;
      Value inside = arith::ConstantIntOp::create(b, l, 1, 1);
      for (int64_t d = 0; d < rank; ++d) {
        int64_t n = dt.getDimSize(d);
        // j = i - pad_begin, then fold into [0, n).
        Value j = arith::SubIOp::create(b, l, iv[d], begin[d]);
        Value zero = cIdx(b, l, 0), last = cIdx(b, l, n - 1);
        if (constant)
          inside = arith::AndIOp::create(
              b, l, inside,
              arith::AndIOp::create(b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, j, zero),
                                    arith::CmpIOp::create(b, l, arith::CmpIPredicate::sle, j, last)));
        if (reflect) {
          Value negJ = arith::SubIOp::create(b, l, zero, j);
          Value lt = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, j, zero);
          j = arith::SelectOp::create(b, l, lt, negJ, j);
          Value over = arith::SubIOp::create(b, l, arith::MulIOp::create(b, l, last, cIdx(b, l, 2)), j);
          Value gt = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, j, last);
          j = arith::SelectOp::create(b, l, gt, over, j);
        }
        if (wrap) {
          // The data as a torus (19): j mod n, made non-negative.
          Value m = arith::RemSIOp::create(b, l, j, cIdx(b, l, n));
          Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, m, zero);
          j = arith::SelectOp::create(b, l, neg, arith::AddIOp::create(b, l, m, cIdx(b, l, n)), m);
        }
        // Clamped also after reflecting, so that no read leaves the data.
        j = arith::MaxSIOp::create(b, l, j, zero);
        j = arith::MinSIOp::create(b, l, j, last);
        src.push_back(j);
      }
      Value v = tensor::ExtractOp::create(b, l, data, src);
      return constant ? Value(arith::SelectOp::create(b, l, inside, v, pv)) : v;
    });
    rw.replaceOp(op, r);
    return success();
  }
};

/// Split along an axis into static pieces (tensor.extract_slice views).
struct SplitPattern : OpConversionPattern<onnx::SplitOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::SplitOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto dt = dyn_cast<RankedTensorType>(ad.getInput().getType());
    if (!dt || !dt.hasStaticShape())
      return op.emitOpError("splitting dynamic shapes is not supported yet");
    int64_t rank = dt.getRank();
    int64_t axis = *onnx::normalizeAxis(int64_t(op.getAxis()), rank);
    SmallVector<Value> results;
    int64_t offset = 0;
    for (Value r : op.getResults()) {
      auto t = dyn_cast<RankedTensorType>(r.getType());
      if (!t || !t.hasStaticShape())
        return op.emitOpError("split sizes must be known at compile time");
      SmallVector<OpFoldResult> off(rank, rw.getIndexAttr(0)), sizes, strides(rank, rw.getIndexAttr(1));
      off[axis] = rw.getIndexAttr(offset);
      for (int64_t d : t.getShape())
        sizes.push_back(rw.getIndexAttr(d));
      // An empty piece reads nothing (and a slice at the end of the axis
      // would not verify).
      if (t.getNumElements() == 0)
        results.push_back(tensor::EmptyOp::create(rw, op.getLoc(), t.getShape(), t.getElementType()));
      else
        results.push_back(tensor::ExtractSliceOp::create(rw, op.getLoc(), t, ad.getInput(), off, sizes, strides));
      offset += t.getDimSize(axis);
    }
    rw.replaceOp(op, results);
    return success();
  }
};

/// DepthToSpace (DCR/CRD) and SpaceToDepth: pure index shuffles.
template <typename OpTy, bool toSpace>
struct BlockShufflePattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto it = dyn_cast<RankedTensorType>(ad.getInput().getType());
    if (failed(rt) || !it || !rt->hasStaticShape() || rt->getRank() != 4)
      return op.emitOpError("needs a static 4-D input");
    int64_t bs = int64_t(op.getBlocksize());
    bool crd = false;
    if constexpr (toSpace)
      crd = op.getMode() == "CRD";
    Value in = ad.getInput();
    Value r = generateTensor(rw, op.getLoc(), *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      auto c = [&](int64_t v) { return cIdx(b, l, v); };
      auto div = [&](Value a, int64_t v) { return arith::DivUIOp::create(b, l, a, c(v)); };
      auto rem = [&](Value a, int64_t v) { return arith::RemUIOp::create(b, l, a, c(v)); };
      auto add = [&](Value a, Value x) { return arith::AddIOp::create(b, l, a, x); };
      auto mul = [&](Value a, int64_t v) { return arith::MulIOp::create(b, l, a, c(v)); };
      SmallVector<Value> src{iv[0]};
      if (toSpace) {
        int64_t outC = rt->getDimSize(1);
        Value i = rem(iv[2], bs), j = rem(iv[3], bs);
        Value blk = add(mul(i, bs), j);
        src.push_back(crd ? add(mul(iv[1], bs * bs), blk) : add(mul(blk, outC), iv[1]));
        src.push_back(div(iv[2], bs));
        src.push_back(div(iv[3], bs));
      } else {
        int64_t inC = it.getDimSize(1);
        Value blk = div(iv[1], inC);
        src.push_back(rem(iv[1], inC));
        src.push_back(add(mul(iv[2], bs), div(blk, bs)));
        src.push_back(add(mul(iv[3], bs), rem(blk, bs)));
      }
      return tensor::ExtractOp::create(b, l, in, src);
    });
    rw.replaceOp(op, r);
    return success();
  }
};

/// EyeLike: ones on the k-th diagonal.
struct EyeLikePattern : OpConversionPattern<onnx::EyeLikeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::EyeLikeOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !rt->hasStaticShape() || rt->getRank() != 2)
      return op.emitOpError("needs a static 2-D shape");
    int64_t k = int64_t(op.getK());
    Type elem = rt->getElementType();
    Value r = generateTensor(rw, op.getLoc(), *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      Value diag = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq,
                                         arith::AddIOp::create(b, l, iv[0], cIdx(b, l, k)), iv[1]);
      if (k < 0)
        diag = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, iv[0],
                                     arith::AddIOp::create(b, l, iv[1], cIdx(b, l, -k)));
      return arith::SelectOp::create(b, l, diag, scalarConstant(b, l, elem, 1),
                                     scalarConstant(b, l, elem, 0));
    });
    rw.replaceOp(op, r);
    return success();
  }
};

} // namespace

namespace {

/// CenterCropPad: each output index reads input index + offset, where the
/// offset centers the crop (floor((in - out) / 2)) or the zero padding
/// (-floor((out - in) / 2)); reads outside the input give 0.
struct CenterCropPadPattern : OpConversionPattern<onnx::CenterCropPadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::CenterCropPadOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto it = dyn_cast<RankedTensorType>(ad.getInputData().getType());
    if (failed(rt) || !rt->hasStaticShape() || !it || !it.hasStaticShape())
      return op.emitOpError("needs a static input and a constant target shape");
    Value x = ad.getInputData();
    Type elem = rt->getElementType();
    if (!elem.isIntOrFloat())
      return op.emitOpError() << "element type " << elem << " is not supported";
    SmallVector<int64_t> offset;
    for (int64_t d = 0; d < rt->getRank(); ++d) {
      int64_t in = it.getDimSize(d), out = rt->getDimSize(d);
      offset.push_back(in >= out ? (in - out) / 2 : -((out - in) / 2));
    }
    Value y = generateTensor(rw, op.getLoc(), *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      Value ok = arith::ConstantIntOp::create(b, l, 1, 1);
      SmallVector<Value> at;
      for (auto [d, i] : llvm::enumerate(iv)) {
        Value src = arith::AddIOp::create(b, l, i, cIdx(b, l, offset[d]));
        Value inside = arith::AndIOp::create(
            b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, src, cIdx(b, l, 0)),
            arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, src, cIdx(b, l, it.getDimSize(d))));
        ok = arith::AndIOp::create(b, l, ok, inside);
        at.push_back(arith::SelectOp::create(b, l, inside, src, cIdx(b, l, 0)));
      }
      Value v = tensor::ExtractOp::create(b, l, x, at);
      return arith::SelectOp::create(b, l, ok, v, scalarConstant(b, l, elem, 0)).getResult();
    });
    rw.replaceOp(op, y);
    return success();
  }
};

/// Col2Im: out[n, c, x] sums in[n, c * K + k, block(x, k)] over the kernel
/// offsets k whose block position (x + pad - k * dilation) / stride is
/// whole and inside the block grid; block sizes are constants.
struct Col2ImPattern : OpConversionPattern<onnx::Col2ImOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::Col2ImOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto it = dyn_cast<RankedTensorType>(ad.getInput().getType());
    auto block = onnx::getConstantInts(op.getBlockShape());
    if (failed(rt) || !rt->hasStaticShape() || !it || !it.hasStaticShape() || !block)
      return op.emitOpError("needs a static input, constant image and block shapes");
    int64_t sp = block->size();
    auto attrOr = [&](std::optional<ArrayRef<int64_t>> a, size_t n, int64_t dflt) {
      return a ? SmallVector<int64_t>(*a) : SmallVector<int64_t>(n, dflt);
    };
    SmallVector<int64_t> dil = attrOr(op.getDilations(), sp, 1), str = attrOr(op.getStrides(), sp, 1),
                         pads = attrOr(op.getPads(), 2 * sp, 0);
    if (int64_t(dil.size()) != sp || int64_t(str.size()) != sp || int64_t(pads.size()) != 2 * sp)
      return op.emitOpError("dilations/strides/pads do not match the block's rank");
    SmallVector<int64_t> blocks;
    int64_t total = 1, k = 1;
    for (int64_t d = 0; d < sp; ++d) {
      int64_t img = rt->getDimSize(2 + d);
      blocks.push_back((img + pads[d] + pads[sp + d] - dil[d] * ((*block)[d] - 1) - 1) / str[d] + 1);
      total *= blocks.back();
      k *= (*block)[d];
    }
    if (it.getDimSize(2) != total || it.getDimSize(1) != rt->getDimSize(1) * k)
      return op.emitOpError() << "input " << it << " does not hold " << total << " blocks of " << k
                              << " values per channel";
    Value in = ad.getInput();
    Type elem = rt->getElementType();
    Value y = generateTensor(rw, op.getLoc(), *rt, {}, [&](OpBuilder &b, Location l, ValueRange iv) {
      Value init = scalarConstant(b, l, elem, 0);
      return forLoop(b, l, cIdx(b, l, 0), cIdx(b, l, k), ValueRange{init}, [&](OpBuilder &b2, Location l2, Value kk, ValueRange acc) {
        auto c2 = [&](int64_t v) { return cIdx(b2, l2, v); };
        Value ok = arith::ConstantIntOp::create(b2, l2, 1, 1);
        Value rest = kk, lin = c2(0);
        // Kernel offsets, last dim fastest; block index linearized the same.
        SmallVector<Value> offs(sp);
        for (int64_t d = sp - 1; d >= 0; --d) {
          offs[d] = arith::RemUIOp::create(b2, l2, rest, c2((*block)[d]));
          rest = arith::DivUIOp::create(b2, l2, rest, c2((*block)[d]));
        }
        for (int64_t d = 0; d < sp; ++d) {
          Value t = arith::SubIOp::create(b2, l2, arith::AddIOp::create(b2, l2, iv[2 + d], c2(pads[d])),
                                          arith::MulIOp::create(b2, l2, offs[d], c2(dil[d])));
          Value q = arith::DivSIOp::create(b2, l2, t, c2(str[d]));
          Value whole = arith::CmpIOp::create(b2, l2, arith::CmpIPredicate::eq,
                                              arith::RemSIOp::create(b2, l2, t, c2(str[d])), c2(0));
          Value inGrid = arith::AndIOp::create(
              b2, l2, arith::CmpIOp::create(b2, l2, arith::CmpIPredicate::sge, t, c2(0)),
              arith::CmpIOp::create(b2, l2, arith::CmpIPredicate::slt, q, c2(blocks[d])));
          ok = arith::AndIOp::create(b2, l2, ok, arith::AndIOp::create(b2, l2, whole, inGrid));
          Value qc = arith::SelectOp::create(b2, l2, inGrid, q, c2(0));
          lin = arith::AddIOp::create(b2, l2, arith::MulIOp::create(b2, l2, lin, c2(blocks[d])), qc);
        }
        Value row = arith::AddIOp::create(b2, l2, arith::MulIOp::create(b2, l2, iv[1], c2(k)), kk);
        Value v = tensor::ExtractOp::create(b2, l2, in, ValueRange{iv[0], row, lin});
        v = arith::SelectOp::create(b2, l2, ok, v, scalarConstant(b2, l2, elem, 0));
        Value sum = isa<FloatType>(elem) ? Value(arith::AddFOp::create(b2, l2, acc[0], v))
                                         : Value(arith::AddIOp::create(b2, l2, acc[0], v));
        return SmallVector<Value>{sum};
      })[0];
    });
    rw.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateTensorIndexingPatterns(RewritePatternSet &patterns, llvm::StringSet<> &names) {
  patterns.add<ShapePattern, SizePattern, GatherPattern, GatherNDPattern, SlicePattern,
               ExpandPattern,
               TilePattern, ConstantOfShapePattern, PadPattern, SplitPattern,
               BlockShufflePattern<onnx::DepthToSpaceOp, true>,
               BlockShufflePattern<onnx::SpaceToDepthOp, false>, EyeLikePattern,
               ScatterElementsPattern<onnx::ScatterElementsOp>,
               ScatterElementsPattern<onnx::ScatterOp>, ScatterNDPattern, ReverseSequencePattern,
               CenterCropPadPattern, Col2ImPattern>(
      patterns.getContext());
  for (StringRef n : {"onnx.CenterCropPad", "onnx.Col2Im",
                      "onnx.Shape", "onnx.Size", "onnx.Gather", "onnx.GatherND", "onnx.Slice",
                      "onnx.Expand",
                      "onnx.Tile", "onnx.ConstantOfShape", "onnx.Pad", "onnx.Split",
                      "onnx.DepthToSpace", "onnx.SpaceToDepth", "onnx.EyeLike",
                      "onnx.ScatterElements", "onnx.Scatter", "onnx.ScatterND",
                      "onnx.ReverseSequence"})
    names.insert(n);
}

} // namespace onnxc::conversion
