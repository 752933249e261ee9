//===- Training.cpp - ai.onnx.preview.training optimizers -> linalg -------===//
//
// Adagrad, Momentum (standard and Nesterov) and Adam update each parameter
// elementwise, as the operator specification's reference formulas say; the
// scalars R (learning rate) and T (step count) broadcast. Each new tensor is
// one elementwise generic over the parameter's shape.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

/// Scalar arithmetic in one element type, for the update formulas.
struct Calc {
  OpBuilder &b;
  Location loc;
  Type elem;
  Value c(double v) const { return scalarConstant(b, loc, elem, v); }
  Value add(Value x, Value y) const { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) const { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) const { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) const { return arith::DivFOp::create(b, loc, x, y); }
  Value sqrt(Value x) const { return math::SqrtOp::create(b, loc, x); }
  /// T as a float, and T > 0.
  Value steps(Value t) const { return arith::SIToFPOp::create(b, loc, elem, t); }
  Value positive(Value t) const {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, t,
                                 arith::ConstantIntOp::create(b, loc, t.getType(), 0));
  }
  Value select(Value c, Value x, Value y) const { return arith::SelectOp::create(b, loc, c, x, y); }
  /// norm_coefficient * x + g
  Value regularized(double norm, Value x, Value g) const { return add(mul(c(norm), x), g); }
};

/// Splits (R, T, X.., G.., S1.., S2..) into per-parameter groups.
struct Groups {
  Value r, t;
  SmallVector<ValueRange> blocks; // X, G, then the states
  unsigned n = 0;
};

FailureOr<Groups> groups(Operation *op, ValueRange operands, unsigned numBlocks) {
  Groups g;
  g.r = operands[0];
  g.t = operands[1];
  ValueRange rest = operands.drop_front(2);
  if (rest.size() % numBlocks != 0)
    return op->emitOpError("expects equally many tensors per group");
  g.n = rest.size() / numBlocks;
  for (unsigned k = 0; k < numBlocks; ++k)
    g.blocks.push_back(rest.slice(k * g.n, g.n));
  for (Value v : rest)
    if (auto t = dyn_cast<RankedTensorType>(v.getType()); !t || !t.hasStaticShape())
      return op->emitOpError() << "needs static parameter shapes, got " << v.getType();
  return g;
}

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// Calls `update` with each parameter's (X, G, states...) — it returns the
/// new X, then the new states — and orders the results as the op returns
/// them: every new X, then each state block.
SmallVector<Value> perParameter(const Groups &g, function_ref<SmallVector<Value>(ValueRange)> update) {
  SmallVector<SmallVector<Value>> blocks(g.blocks.size() - 1);
  for (unsigned j = 0; j < g.n; ++j) {
    SmallVector<Value> param;
    for (ValueRange block : g.blocks)
      param.push_back(block[j]);
    for (auto [out, v] : llvm::zip(blocks, update(param)))
      out.push_back(v);
  }
  SmallVector<Value> results;
  for (auto &block : blocks)
    llvm::append_range(results, block);
  return results;
}

struct AdagradPattern : OpConversionPattern<onnx::AdagradOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::AdagradOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto g = groups(op, ad.getOperands(), 3);
    if (failed(g))
      return failure();
    double norm = op.getNormCoefficient().convertToDouble(), eps = op.getEpsilon().convertToDouble(),
           decay = op.getDecayFactor().convertToDouble();
    rw.replaceOp(op, perParameter(*g, [&](ValueRange p) -> SmallVector<Value> {
      Value x = p[0], grad = p[1], h = p[2];
      Value hNew = buildElementwise(rw, op.getLoc(), typeOf(h), {x, grad, h},
                                    [&](OpBuilder &b, Location l, Type e, ValueRange a) {
                                      Calc k{b, l, e};
                                      Value gr = k.regularized(norm, a[0], a[1]);
                                      return k.add(a[2], k.mul(gr, gr));
                                    });
      Value xNew = buildElementwise(
          rw, op.getLoc(), typeOf(x), {x, grad, hNew, g->r, g->t},
          [&](OpBuilder &b, Location l, Type e, ValueRange a) {
            Calc k{b, l, e};
            Value rate = k.div(a[3], k.add(k.c(1), k.mul(k.steps(a[4]), k.c(decay))));
            Value gr = k.regularized(norm, a[0], a[1]);
            return k.sub(a[0], k.div(k.mul(rate, gr), k.add(k.sqrt(a[2]), k.c(eps))));
          });
      return {xNew, hNew};
    }));
    return success();
  }
};

struct MomentumPattern : OpConversionPattern<onnx::MomentumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::MomentumOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto g = groups(op, ad.getOperands(), 3);
    if (failed(g))
      return failure();
    bool nesterov = op.getMode() == "nesterov";
    if (!nesterov && op.getMode() != "standard")
      return op.emitOpError() << "mode '" << op.getMode() << "' is neither 'standard' nor 'nesterov'";
    double norm = op.getNormCoefficient().convertToDouble(), alpha = op.getAlpha().convertToDouble(),
           beta = op.getBeta().convertToDouble();
    rw.replaceOp(op, perParameter(*g, [&](ValueRange p) -> SmallVector<Value> {
      Value x = p[0], grad = p[1], v = p[2];
      // The gradient's weight is 1 on the first step (T == 0).
      Value vNew = buildElementwise(rw, op.getLoc(), typeOf(v), {x, grad, v, g->t},
                                    [&](OpBuilder &b, Location l, Type e, ValueRange a) {
                                      Calc k{b, l, e};
                                      Value w = k.select(k.positive(a[3]), k.c(beta), k.c(1));
                                      return k.add(k.mul(k.c(alpha), a[2]),
                                                   k.mul(w, k.regularized(norm, a[0], a[1])));
                                    });
      Value xNew = buildElementwise(
          rw, op.getLoc(), typeOf(x), {x, grad, vNew, g->r},
          [&](OpBuilder &b, Location l, Type e, ValueRange a) {
            Calc k{b, l, e};
            Value dir = nesterov ? k.add(k.regularized(norm, a[0], a[1]), k.mul(k.c(alpha), a[2])) : a[2];
            return k.sub(a[0], k.mul(a[3], dir));
          });
      return {xNew, vNew};
    }));
    return success();
  }
};

struct AdamPattern : OpConversionPattern<onnx::AdamOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::AdamOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto g = groups(op, ad.getOperands(), 4);
    if (failed(g))
      return failure();
    double norm = op.getNormCoefficient().convertToDouble(),
           post = op.getNormCoefficientPost().convertToDouble(), alpha = op.getAlpha().convertToDouble(),
           beta = op.getBeta().convertToDouble(), eps = op.getEpsilon().convertToDouble();
    Location loc = op.getLoc();
    rw.replaceOp(op, perParameter(*g, [&](ValueRange p) -> SmallVector<Value> {
      Value x = p[0], grad = p[1], v = p[2], h = p[3];
      Value vNew = buildElementwise(rw, loc, typeOf(v), {x, grad, v},
                                    [&](OpBuilder &b, Location l, Type e, ValueRange a) {
                                      Calc k{b, l, e};
                                      return k.add(k.mul(k.c(alpha), a[2]),
                                                   k.mul(k.c(1 - alpha), k.regularized(norm, a[0], a[1])));
                                    });
      Value hNew = buildElementwise(rw, loc, typeOf(h), {x, grad, h},
                                    [&](OpBuilder &b, Location l, Type e, ValueRange a) {
                                      Calc k{b, l, e};
                                      Value gr = k.regularized(norm, a[0], a[1]);
                                      return k.add(k.mul(k.c(beta), a[2]), k.mul(k.c(1 - beta), k.mul(gr, gr)));
                                    });
      // Bias correction of the rate from step 1 on:
      // R * sqrt(1 - beta^T) / (1 - alpha^T).
      Value xNew = buildElementwise(
          rw, loc, typeOf(x), {x, vNew, hNew, g->r, g->t},
          [&](OpBuilder &b, Location l, Type e, ValueRange a) {
            Calc k{b, l, e};
            Value t = k.steps(a[4]);
            Value corrected = k.div(k.mul(a[3], k.sqrt(k.sub(k.c(1), math::PowFOp::create(b, l, k.c(beta), t)))),
                                    k.sub(k.c(1), math::PowFOp::create(b, l, k.c(alpha), t)));
            Value rate = k.select(k.positive(a[4]), corrected, a[3]);
            Value step = k.div(a[1], k.add(k.sqrt(a[2]), k.c(eps)));
            return k.mul(k.c(1 - post), k.sub(a[0], k.mul(rate, step)));
          });
      return {xNew, vNew, hNew};
    }));
    return success();
  }
};

} // namespace

void populateTrainingPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  p.add<AdagradPattern, MomentumPattern, AdamPattern>(p.getContext());
  for (StringRef n : {"onnx.Adagrad", "onnx.Momentum", "onnx.Adam"})
    names.insert(n);
}

} // namespace onnxc::conversion
