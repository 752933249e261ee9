//===- Reduction.cpp - onnx Reduce*, ArgMax/ArgMin -> linalg --------------===//
//
// A reduction is one linalg.generic into a tensor without the reduced dims
// (pre-map the element, combine, post-map the result), then keepdims
// re-inserts the size-1 dims with tensor.expand_shape (a view).
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

enum class Kind { Sum, Mean, Max, Min, Prod, L1, L2, LogSum, LogSumExp, SumSquare };

bool isFloat(Type t) { return isa<FloatType>(t); }

/// Re-inserts reduced dims as size 1: groups each reduced dim with a kept
/// neighbour.
Value keepDims(OpBuilder &b, Location loc, Value reduced, RankedTensorType resultType,
               ArrayRef<bool> isReduced) {
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices pending;
  for (int64_t i = 0; i < int64_t(isReduced.size()); ++i) {
    pending.push_back(i);
    if (!isReduced[i]) {
      groups.push_back(pending);
      pending.clear();
    }
  }
  if (!pending.empty() && !groups.empty())
    groups.back().append(pending.begin(), pending.end());
  return tensor::ExpandShapeOp::create(b, loc, resultType, reduced, groups);
}

/// Reduces `input` over `isReduced` dims; returns the tensor without them.
Value reduce(OpBuilder &b, Location loc, Value input, ArrayRef<bool> isReduced,
             Type accType, double init,
             function_ref<Value(OpBuilder &, Location, Value elem, Value acc)> combine) {
  auto t = cast<RankedTensorType>(input.getType());
  MLIRContext *ctx = b.getContext();
  int64_t rank = t.getRank();
  SmallVector<int64_t> shape;
  SmallVector<Value> dyn;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iters;
  for (int64_t i = 0; i < rank; ++i) {
    iters.push_back(isReduced[i] ? utils::IteratorType::reduction
                                 : utils::IteratorType::parallel);
    if (isReduced[i])
      continue;
    shape.push_back(t.getDimSize(i));
    outExprs.push_back(getAffineDimExpr(i, ctx));
    if (t.isDynamicDim(i))
      dyn.push_back(tensor::DimOp::create(b, loc, input, i));
  }
  auto outType = RankedTensorType::get(shape, accType);
  Value empty = tensor::EmptyOp::create(b, loc, shape, accType, dyn);
  Value filledT = linalg::FillOp::create(b, loc, scalarConstant(b, loc, accType, init), empty)
                      .getResult(0);
  return linalg::GenericOp::create(
             b, loc, TypeRange{outType}, ValueRange{input}, ValueRange{filledT},
             ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, outExprs, ctx)},
             iters,
             [&](OpBuilder &nb, Location l, ValueRange a) {
               linalg::YieldOp::create(nb, l, combine(nb, l, a[0], a[1]));
             })
      .getResult(0);
}

/// Reduced-dim mask from axes (attribute or constant input).
FailureOr<SmallVector<bool>> reducedDims(Operation *op, int64_t rank,
                                         std::optional<SmallVector<int64_t>> axes,
                                         bool noopWithEmpty) {
  SmallVector<bool> mask(rank, false);
  if (!axes || axes->empty()) {
    if (!noopWithEmpty)
      mask.assign(rank, true);
    return mask;
  }
  for (int64_t a : *axes) {
    auto axis = onnx::normalizeAxis(a, rank);
    if (!axis)
      return failure();
    mask[*axis] = true;
  }
  return mask;
}

class ReducePattern : public ConversionPattern {
public:
  ReducePattern(StringRef name, MLIRContext *ctx, Kind kind)
      : ConversionPattern(name, 1, ctx), kind(kind) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto it = dyn_cast<RankedTensorType>(operands[0].getType());
    if (failed(rt) || !it)
      return rw.notifyMatchFailure(op, "unranked");
    // Axes: ReduceSum-13 takes an input (constant or computed at run time),
    // the others (opset <= 17) an attribute.
    std::optional<SmallVector<int64_t>> axes;
    if (op->getNumOperands() > 1 && !onnx::isNone(op->getOperand(1))) {
      axes = onnx::getConstantInts(op->getOperand(1));
    } else if (auto a = op->getAttrOfType<DenseI64ArrayAttr>("axes")) {
      axes = SmallVector<int64_t>(a.asArrayRef());
    }
    auto noop = op->getAttrOfType<IntegerAttr>("noop_with_empty_axes");
    bool noopWithEmpty = noop && noop.getInt();
    if (!axes && op->getNumOperands() > 1 && !onnx::isNone(op->getOperand(1)))
      return reduceRuntimeAxes(rw, op, operands[0], operands[1], *rt, noopWithEmpty);
    auto mask = reducedDims(op, it.getRank(), axes, noopWithEmpty);
    if (failed(mask))
      return op->emitOpError("axis out of range");
    auto red = reduceMasked(rw, op, operands[0], *mask, *rt);
    if (failed(red))
      return failure();
    rw.replaceOp(op, *red);
    return success();
  }

private:
  /// Axes computed at run time: their bit mask selects one static reduction
  /// among the masks whose result shape is the one compiled for (the model's
  /// declared or inferred type); any other mask fails the run's data check.
  LogicalResult reduceRuntimeAxes(ConversionPatternRewriter &rw, Operation *op, Value input,
                                  Value axesV, RankedTensorType rt, bool noopWithEmpty) const {
    auto it = cast<RankedTensorType>(input.getType());
    auto at = dyn_cast<RankedTensorType>(axesV.getType());
    int64_t rank = it.getRank();
    if (!at || at.getRank() != 1 || at.isDynamicDim(0) || !it.hasStaticShape() || !rt.hasStaticShape() ||
        rank > 8)
      return op->emitOpError("axes computed at run time need static shapes (input rank <= 8) and a "
                             "static result shape (declare the output's shape)");
    Location loc = op->getLoc();
    int64_t k = at.getDimSize(0);
    if (k == 0) {
      auto red = reduceMasked(rw, op, input, SmallVector<bool>(rank, !noopWithEmpty), rt);
      if (failed(red))
        return failure();
      rw.replaceOp(op, *red);
      return success();
    }
    // mask |= 1 << axis for each (wrapped) axis; an axis out of range sets
    // bit `rank`, which no case has.
    Value mask = arith::ConstantIndexOp::create(rw, loc, 0);
    Value r = arith::ConstantIndexOp::create(rw, loc, rank);
    Value zero = arith::ConstantIndexOp::create(rw, loc, 0), one = arith::ConstantIndexOp::create(rw, loc, 1);
    for (int64_t j = 0; j < k; ++j) {
      Value raw = tensor::ExtractOp::create(rw, loc, axesV, ValueRange{arith::ConstantIndexOp::create(rw, loc, j)});
      Value a = arith::IndexCastOp::create(rw, loc, rw.getIndexType(), raw);
      a = arith::SelectOp::create(rw, loc, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::slt, a, zero),
                                  arith::AddIOp::create(rw, loc, a, r), a);
      Value ok = arith::AndIOp::create(rw, loc, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::sge, a, zero),
                                       arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::slt, a, r));
      a = arith::SelectOp::create(rw, loc, ok, a, r);
      mask = arith::OrIOp::create(rw, loc, mask, arith::ShLIOp::create(rw, loc, one, a));
    }
    bool keep = rt.getRank() == rank;
    SmallVector<int64_t> cases;
    for (int64_t m = 1; m < (int64_t(1) << rank); ++m) {
      SmallVector<int64_t> shape;
      for (int64_t i = 0; i < rank; ++i) {
        bool reduced = (m >> i) & 1;
        if (!reduced || keep)
          shape.push_back(reduced ? 1 : it.getDimSize(i));
      }
      if (ArrayRef<int64_t>(shape) == rt.getShape())
        cases.push_back(m);
    }
    auto sw = scf::IndexSwitchOp::create(rw, loc, TypeRange{rt}, mask, cases, cases.size());
    for (size_t c = 0; c <= cases.size(); ++c) {
      Region &region = c < cases.size() ? sw.getCaseRegions()[c] : sw.getDefaultRegion();
      OpBuilder::InsertionGuard g(rw);
      rw.setInsertionPointToStart(&region.emplaceBlock());
      Value v;
      if (c < cases.size()) {
        SmallVector<bool> bits;
        for (int64_t i = 0; i < rank; ++i)
          bits.push_back((cases[c] >> i) & 1);
        auto red = reduceMasked(rw, op, input, bits, rt);
        if (failed(red))
          return failure();
        v = *red;
      } else {
        emitRuntimeCheck(rw, loc, arith::ConstantIntOp::create(rw, loc, 0, 1));
        v = filled(rw, loc, rt, Value(), 0.0);
      }
      scf::YieldOp::create(rw, loc, v);
    }
    rw.replaceOp(op, sw.getResults());
    return success();
  }

  /// The reduction over `mask` with this pattern's kind, shaped as `rt`.
  FailureOr<Value> reduceMasked(OpBuilder &rw, Operation *op, Value input, ArrayRef<bool> mask,
                                RankedTensorType rt) const {
    Location loc = op->getLoc();
    Type elem = rt.getElementType();
    bool f = isFloat(elem);
    if (!f && (kind == Kind::Mean || kind == Kind::L2 || kind == Kind::LogSum ||
               kind == Kind::LogSumExp))
      return op->emitOpError("integer inputs are not supported for this reduction"), failure();
    Kind k = kind;
    // Each element is mapped before it is accumulated (|x|, x^2, e^x) and
    // the accumulator after (mean, root, log).
    auto pre = [k, f](OpBuilder &b, Location l, Value x) -> Value {
      switch (k) {
      case Kind::L1:
        return f ? Value(math::AbsFOp::create(b, l, x)) : Value(math::AbsIOp::create(b, l, x));
      case Kind::L2:
      case Kind::SumSquare:
        return f ? Value(arith::MulFOp::create(b, l, x, x)) : Value(arith::MulIOp::create(b, l, x, x));
      case Kind::LogSumExp:
        return math::ExpOp::create(b, l, x);
      default:
        return x;
      }
    };
    auto post = [k](OpBuilder &b, Location l, Value acc, Value count) -> Value {
      switch (k) {
      case Kind::Mean: return count ? Value(arith::DivFOp::create(b, l, acc, count)) : acc;
      case Kind::L2: return math::SqrtOp::create(b, l, acc);
      case Kind::LogSum:
      case Kind::LogSumExp: return math::LogOp::create(b, l, acc);
      default: return acc;
      }
    };
    // noop_with_empty_axes: nothing is reduced, yet each element gets the
    // maps (ONNX spec since onnx/onnx#7137, as ONNX Runtime does).
    if (!llvm::is_contained(mask, true))
      return buildElementwise(rw, loc, rt, ValueRange{input}, [&](OpBuilder &b, Location l, Type, ValueRange a) {
        return post(b, l, pre(b, l, a[0]), Value());
      });

    double inf = std::numeric_limits<double>::infinity();
    double init = 0;
    if (kind == Kind::Prod)
      init = 1;
    else if (kind == Kind::Max)
      init = f ? -inf : double(APInt::getSignedMinValue(elem.getIntOrFloatBitWidth()).getSExtValue());
    else if (kind == Kind::Min)
      init = f ? inf : double(APInt::getSignedMaxValue(elem.getIntOrFloatBitWidth()).getSExtValue());
    Value red = reduce(rw, loc, input, mask, elem, init,
                       [&](OpBuilder &b, Location l, Value x, Value acc) -> Value {
                         switch (k) {
                         case Kind::Max:
                           return f ? Value(arith::MaximumFOp::create(b, l, x, acc))
                                    : Value(arith::MaxSIOp::create(b, l, x, acc));
                         case Kind::Min:
                           return f ? Value(arith::MinimumFOp::create(b, l, x, acc))
                                    : Value(arith::MinSIOp::create(b, l, x, acc));
                         case Kind::Prod:
                           return f ? Value(arith::MulFOp::create(b, l, x, acc))
                                    : Value(arith::MulIOp::create(b, l, x, acc));
                         default:
                           x = pre(b, l, x);
                           return f ? Value(arith::AddFOp::create(b, l, x, acc))
                                    : Value(arith::AddIOp::create(b, l, x, acc));
                         }
                       });
    if (kind == Kind::Mean || kind == Kind::L2 || kind == Kind::LogSum ||
        kind == Kind::LogSumExp) {
      Value countF = elementCount(rw, loc, input, mask, elem);
      auto redT = cast<RankedTensorType>(red.getType());
      red = buildElementwise(rw, loc, redT, ValueRange{red},
                             [&](OpBuilder &b, Location l, Type, ValueRange a) { return post(b, l, a[0], countF); });
    }
    if (cast<RankedTensorType>(red.getType()).getRank() != rt.getRank())
      red = keepDims(rw, loc, red, rt, mask);
    return red;
  }

  Kind kind;
};

/// ArgMax/ArgMin: a generic with two accumulators (best value, its index).
template <typename OpTy, bool isMax>
struct ArgReducePattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto it = dyn_cast<RankedTensorType>(ad.getData().getType());
    if (failed(rt) || !it)
      return rw.notifyMatchFailure(op, "unranked");
    Location loc = op.getLoc();
    MLIRContext *ctx = rw.getContext();
    int64_t rank = it.getRank();
    int64_t axis = *onnx::normalizeAxis(int64_t(op.getAxis()), rank);
    Type elem = it.getElementType();
    bool f = isFloat(elem);
    bool last = op.getSelectLastIndex() != 0;
    SmallVector<int64_t> shape;
    SmallVector<Value> dyn;
    SmallVector<AffineExpr> outExprs;
    SmallVector<utils::IteratorType> iters;
    SmallVector<bool> mask(rank, false);
    mask[axis] = true;
    for (int64_t i = 0; i < rank; ++i) {
      iters.push_back(i == axis ? utils::IteratorType::reduction : utils::IteratorType::parallel);
      if (i == axis)
        continue;
      shape.push_back(it.getDimSize(i));
      outExprs.push_back(getAffineDimExpr(i, ctx));
      if (it.isDynamicDim(i))
        dyn.push_back(tensor::DimOp::create(rw, loc, ad.getData(), i));
    }
    double inf = std::numeric_limits<double>::infinity();
    double initV = f ? (isMax ? -inf : inf)
                     : double(isMax ? APInt::getSignedMinValue(elem.getIntOrFloatBitWidth()).getSExtValue()
                                    : APInt::getSignedMaxValue(elem.getIntOrFloatBitWidth()).getSExtValue());
    Type i64 = rw.getI64Type();
    Value emptyV = tensor::EmptyOp::create(rw, loc, shape, elem, dyn);
    Value emptyI = tensor::EmptyOp::create(rw, loc, shape, i64, dyn);
    Value vals = linalg::FillOp::create(rw, loc, scalarConstant(rw, loc, elem, initV), emptyV)
                     .getResult(0);
    Value idxs = linalg::FillOp::create(rw, loc, scalarConstant(rw, loc, i64, 0), emptyI)
                     .getResult(0);
    auto outMap = AffineMap::get(rank, 0, outExprs, ctx);
    auto g = linalg::GenericOp::create(
        rw, loc, TypeRange{vals.getType(), idxs.getType()}, ValueRange{ad.getData()},
        ValueRange{vals, idxs},
        ArrayRef<AffineMap>{rw.getMultiDimIdentityMap(rank), outMap, outMap}, iters,
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value i = arith::IndexCastOp::create(b, l, i64, linalg::IndexOp::create(b, l, axis));
          Value better;
          if (f) {
            auto pred = isMax ? (last ? arith::CmpFPredicate::OGE : arith::CmpFPredicate::OGT)
                              : (last ? arith::CmpFPredicate::OLE : arith::CmpFPredicate::OLT);
            better = arith::CmpFOp::create(b, l, pred, a[0], a[1]);
          } else {
            auto pred = isMax ? (last ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sgt)
                              : (last ? arith::CmpIPredicate::sle : arith::CmpIPredicate::slt);
            better = arith::CmpIOp::create(b, l, pred, a[0], a[1]);
          }
          // The first element always wins (the accumulator is a sentinel).
          Value first = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i,
                                              scalarConstant(b, l, i64, 0));
          better = arith::OrIOp::create(b, l, better, first);
          linalg::YieldOp::create(b, l, ValueRange{arith::SelectOp::create(b, l, better, a[0], a[1]),
                                                   arith::SelectOp::create(b, l, better, i, a[2])});
        });
    Value r = g.getResult(1);
    if (op.getKeepdims())
      r = keepDims(rw, loc, r, *rt, mask);
    rw.replaceOp(op, r);
    return success();
  }
};

/// Hardmax: 1 where the element is the first maximum along the axis. The
/// index comes from an onnx.ArgMax (keepdims) that this same conversion
/// lowers right after.
struct HardmaxPattern : OpConversionPattern<onnx::HardmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::HardmaxOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    Location loc = op.getLoc();
    int64_t rank = rt->getRank();
    int64_t axis = *onnx::normalizeAxis(int64_t(op.getAxis()), rank);
    SmallVector<int64_t> idxShape(rt->getShape());
    idxShape[axis] = 1;
    auto idxType = RankedTensorType::get(idxShape, rw.getI64Type());
    auto argmax = onnx::ArgMaxOp::create(
        rw, loc, TypeRange{idxType}, ValueRange{ad.getInput()},
        ArrayRef<NamedAttribute>{rw.getNamedAttr("axis", rw.getI64IntegerAttr(axis)),
                                 rw.getNamedAttr("keepdims", rw.getI64IntegerAttr(1))});
    Value r = buildElementwise(rw, loc, *rt, ValueRange{ad.getInput(), argmax.getResult()},
                               [&](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
                                 Value i = arith::IndexCastOp::create(
                                     b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
                                 Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, i, a[1]);
                                 return arith::SelectOp::create(b, l, hit, scalarConstant(b, l, t, 1),
                                                                scalarConstant(b, l, t, 0));
                               });
    rw.replaceOp(op, r);
    return success();
  }
};

} // namespace

void populateReductionPatterns(RewritePatternSet &patterns, llvm::StringSet<> &names) {
  MLIRContext *ctx = patterns.getContext();
  std::pair<const char *, Kind> kinds[] = {
      {"onnx.ReduceSum", Kind::Sum},      {"onnx.ReduceMean", Kind::Mean},
      {"onnx.ReduceMax", Kind::Max},      {"onnx.ReduceMin", Kind::Min},
      {"onnx.ReduceProd", Kind::Prod},    {"onnx.ReduceL1", Kind::L1},
      {"onnx.ReduceL2", Kind::L2},        {"onnx.ReduceLogSum", Kind::LogSum},
      {"onnx.ReduceLogSumExp", Kind::LogSumExp}, {"onnx.ReduceSumSquare", Kind::SumSquare}};
  for (auto [name, kind] : kinds) {
    patterns.add<ReducePattern>(name, ctx, kind);
    names.insert(name);
  }
  patterns.add<ArgReducePattern<onnx::ArgMaxOp, true>, ArgReducePattern<onnx::ArgMinOp, false>,
               HardmaxPattern>(ctx);
  names.insert("onnx.Hardmax");
  names.insert("onnx.ArgMax");
  names.insert("onnx.ArgMin");
}

} // namespace onnxc::conversion
