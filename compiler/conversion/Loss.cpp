//===- Loss.cpp - NegativeLogLikelihoodLoss, SoftmaxCrossEntropyLoss ------===//
//
// NLL: loss[n, d...] = -input[n, t, d...] * w[t] with t = target[n, d...]
// (0 where t == ignore_index), an output-driven generic over the target;
// "sum" adds the losses, "mean" divides by the sum of the applied weights.
// SoftmaxCrossEntropyLoss is LogSoftmax over dim 1, then NLL.
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

/// Sums every element of a float tensor into a rank-0 tensor.
Value sumAll(OpBuilder &b, Location loc, Value t) {
  auto tt = cast<RankedTensorType>(t.getType());
  Type elem = tt.getElementType();
  auto scalarT = RankedTensorType::get({}, elem);
  Value init = filled(b, loc, scalarT, Value(), 0.0);
  SmallVector<utils::IteratorType> iters(tt.getRank(), utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, TypeRange{scalarT}, ValueRange{t}, ValueRange{init},
             ArrayRef<AffineMap>{b.getMultiDimIdentityMap(tt.getRank()),
                                 AffineMap::get(tt.getRank(), 0, {}, b.getContext())},
             iters,
             [](OpBuilder &nb, Location l, ValueRange a) {
               linalg::YieldOp::create(nb, l, ValueRange{arith::AddFOp::create(nb, l, a[0], a[1])});
             })
      .getResult(0);
}

/// The NLL loss of log-probabilities `input` [N, C, d...].
FailureOr<Value> nll(OpBuilder &b, Location loc, Value input, Value target,
                     Value weight, std::optional<int64_t> ignore, StringRef reduction,
                     RankedTensorType resultType) {
  auto tt = dyn_cast<RankedTensorType>(target.getType());
  auto it = cast<RankedTensorType>(input.getType());
  if (!tt)
    return failure();
  Type elem = it.getElementType();
  auto lossT = RankedTensorType::get(tt.getShape(), elem);
  bool hasW = !onnx::isNone(weight);
  Value original = target;
  auto perElement = [&](bool weightOnly) {
    return buildElementwise(b, loc, lossT, ValueRange{target, original},
                            [&](OpBuilder &nb, Location l, Type, ValueRange a) -> Value {
                              Value t = arith::IndexCastOp::create(nb, l, nb.getIndexType(), a[0]);
                              Value w = scalarConstant(nb, l, elem, 1.0);
                              if (hasW)
                                w = tensor::ExtractOp::create(nb, l, weight, ValueRange{t});
                              Value v = w;
                              if (!weightOnly) {
                                // input[n, t, d...]: n and d from the target's indices.
                                SmallVector<Value> idx{linalg::IndexOp::create(nb, l, 0), t};
                                for (int64_t i = 1; i < tt.getRank(); ++i)
                                  idx.push_back(linalg::IndexOp::create(nb, l, i));
                                Value x = tensor::ExtractOp::create(nb, l, input, idx);
                                v = arith::NegFOp::create(nb, l, arith::MulFOp::create(nb, l, x, w));
                              }
                              if (ignore) {
                                Value skip = arith::CmpIOp::create(
                                    nb, l, arith::CmpIPredicate::eq, a[1],
                                    scalarConstant(nb, l, a[1].getType(), double(*ignore)));
                                v = arith::SelectOp::create(nb, l, skip, scalarConstant(nb, l, elem, 0), v);
                              }
                              return v;
                            });
  };
  // An ignored target may lie outside [0, C): read class 0 there instead
  // (the loss is zeroed by comparing the original target).
  if (ignore) {
    target = buildElementwise(b, loc, tt, ValueRange{target},
                              [&](OpBuilder &nb, Location l, Type t, ValueRange a) -> Value {
                                Value skip = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, a[0],
                                                                   scalarConstant(nb, l, t, double(*ignore)));
                                return arith::SelectOp::create(nb, l, skip, scalarConstant(nb, l, t, 0), a[0]);
                              });
  }
  Value losses = perElement(false);
  if (reduction == "none")
    return losses;
  Value total = sumAll(b, loc, losses);
  if (reduction == "sum")
    return total;
  Value denom;
  if (hasW || ignore)
    denom = sumAll(b, loc, perElement(true));
  else
    denom = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(RankedTensorType::get({}, elem),
                                       b.getFloatAttr(elem, double(tt.getNumElements()))));
  return buildElementwise(b, loc, resultType, ValueRange{total, denom},
                          [](OpBuilder &nb, Location l, Type, ValueRange a) -> Value {
                            return arith::DivFOp::create(nb, l, a[0], a[1]);
                          });
}

std::optional<int64_t> ignoreIndex(Operation *op) {
  if (auto a = op->getAttrOfType<IntegerAttr>("ignore_index"))
    return a.getInt();
  if (auto a = op->getInherentAttr("ignore_index"))
    if (auto i = dyn_cast_or_null<IntegerAttr>(*a))
      return i.getInt();
  return std::nullopt;
}

struct NLLPattern : OpConversionPattern<onnx::NegativeLogLikelihoodLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::NegativeLogLikelihoodLossOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !isa<RankedTensorType>(ad.getInput().getType()))
      return rw.notifyMatchFailure(op, "unranked");
    auto r = nll(rw, op.getLoc(), ad.getInput(), ad.getTarget(), ad.getWeight(),
                 ignoreIndex(op), op.getReduction(), *rt);
    if (failed(r))
      return rw.notifyMatchFailure(op, "unranked target");
    rw.replaceOp(op, *r);
    return success();
  }
};

struct SCEPattern : OpConversionPattern<onnx::SoftmaxCrossEntropyLossOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::SoftmaxCrossEntropyLossOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto st = dyn_cast<RankedTensorType>(ad.getScores().getType());
    if (failed(rt) || !st)
      return rw.notifyMatchFailure(op, "unranked");
    Location loc = op.getLoc();
    // log_softmax over the class dim, through the onnx op's own lowering.
    auto ls = onnx::LogSoftmaxOp::create(rw, loc, TypeRange{st}, ValueRange{ad.getScores()},
                                         ArrayRef<NamedAttribute>{rw.getNamedAttr("axis", rw.getI64IntegerAttr(1))});
    auto r = nll(rw, loc, ls.getResult(), ad.getLabels(), ad.getWeights(), ignoreIndex(op),
                 op.getReduction(), *rt);
    if (failed(r))
      return rw.notifyMatchFailure(op, "unranked labels");
    SmallVector<Value> results{*r};
    results.push_back(isa<NoneType>(op.getLogProb().getType())
                          ? Value(onnx::NoValueOp::create(rw, loc))
                          : ls.getResult());
    rw.replaceOp(op, results);
    return success();
  }
};

} // namespace

void populateLossPatterns(RewritePatternSet &patterns, llvm::StringSet<> &names) {
  patterns.add<NLLPattern, SCEPattern>(patterns.getContext());
  names.insert("onnx.NegativeLogLikelihoodLoss");
  names.insert("onnx.SoftmaxCrossEntropyLoss");
}

} // namespace onnxc::conversion
