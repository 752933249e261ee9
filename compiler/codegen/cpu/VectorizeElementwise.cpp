//===- VectorizeElementwise.cpp - SIMD loops for elementwise linalg ops ---===//
#include "compiler/codegen/cpu/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/IRMapping.h"

namespace onnxc {
#define GEN_PASS_DEF_VECTORIZEELEMENTWISE
#include "compiler/codegen/cpu/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {

enum class Access { Vector, Broadcast };

/// How `operand` is read along the innermost loop `inner`, or failure.
FailureOr<Access> classify(linalg::LinalgOp op, OpOperand &operand, unsigned inner) {
  auto t = dyn_cast<MemRefType>(operand.get().getType());
  if (!t || !t.hasStaticShape())
    return failure();
  AffineMap map = op.getMatchingIndexingMap(&operand);
  if (!map.isProjectedPermutation(/*allowZeroInResults=*/true))
    return failure();
  if (!map.isFunctionOfDim(inner))
    return Access::Broadcast;
  SmallVector<int64_t> strides;
  int64_t offset;
  auto last = map.getNumResults() ? dyn_cast<AffineDimExpr>(map.getResults().back()) : nullptr;
  if (!last || last.getPosition() != inner ||
      failed(t.getStridesAndOffset(strides, offset)) || strides.back() != 1)
    return failure();
  return Access::Vector;
}

/// Body ops that act lane-wise on vectors and lower to LLVM on vectors.
bool isLaneWise(Operation &o) {
  if (isa<arith::ArithDialect>(o.getDialect()))
    return !isa<arith::ConstantOp>(o) || isa<FloatType, IntegerType>(o.getResult(0).getType());
  return isa<math::ExpOp, math::Exp2Op, math::LogOp, math::Log2Op, math::TanhOp, math::SqrtOp,
             math::RsqrtOp, math::AbsFOp, math::AbsIOp, math::FloorOp, math::CeilOp,
             math::ErfOp, math::SinOp, math::CosOp, math::FmaOp, math::PowFOp,
             math::RoundEvenOp, math::RoundOp, math::TruncOp, math::CopySignOp>(o);
}

struct VectorizeElementwise
    : onnxc::impl::VectorizeElementwiseBase<VectorizeElementwise> {
  using VectorizeElementwiseBase::VectorizeElementwiseBase;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics() && op.getNumLoops() > 0 &&
          op.getNumLoops() == op.getNumParallelLoops())
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops)
      vectorize(op);
  }

  void vectorize(linalg::LinalgOp op) {
    unsigned inner = op.getNumLoops() - 1;
    SmallVector<Access> access;
    for (OpOperand &operand : op->getOpOperands()) {
      auto a = classify(op, operand, inner);
      if (failed(a))
        return;
      access.push_back(*a);
    }
    Block *body = op.getBlock();
    Type elem;
    for (Operation &o : body->without_terminator()) {
      if (!isLaneWise(o) || o.getNumRegions() || o.getNumResults() != 1)
        return;
    }
    for (OpOperand &init : op.getDpsInitsMutable()) {
      if (access[init.getOperandNumber()] != Access::Vector)
        return;
      elem = cast<MemRefType>(init.get().getType()).getElementType();
    }
    int64_t bits = elem.getIntOrFloatBitWidth();
    if (bits < 8 || bits > 64 || !elem.isIntOrFloat())
      return;
    int64_t vl = std::max<int64_t>(vectorBits / bits, 2);

    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t n = ranges[inner], full = n - n % vl, tail = n % vl;
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto c = [&](OpBuilder &b, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    auto vecOf = [&](Type t) { return VectorType::get({vl}, t); };

    SmallVector<Value> ivs(op.getNumLoops());
    auto indices = [&](OpBuilder &b, OpOperand &operand) {
      SmallVector<Value> idx;
      for (AffineExpr e : op.getMatchingIndexingMap(&operand).getResults()) {
        auto d = dyn_cast<AffineDimExpr>(e);
        idx.push_back(d ? ivs[d.getPosition()] : c(b, 0)); // broadcast dims: 0
      }
      return idx;
    };
    // One chunk of `vl` lanes at ivs (`mask` for the tail).
    auto chunk = [&](OpBuilder &b, Value mask) {
      IRMapping map;
      for (OpOperand &operand : op->getOpOperands()) {
        BlockArgument arg = op.getMatchingBlockArgument(&operand);
        if (arg.use_empty())
          continue;
        Value mem = operand.get();
        Type t = arg.getType();
        SmallVector<Value> idx = indices(b, operand);
        Value v;
        if (access[operand.getOperandNumber()] == Access::Broadcast) {
          v = vector::BroadcastOp::create(b, loc, vecOf(t), memref::LoadOp::create(b, loc, mem, idx));
        } else if (mask) {
          // Dead lanes hold 1, not 0: integer division traps on 0.
          Attribute one = isa<FloatType>(t) ? Attribute(b.getFloatAttr(t, 1.0))
                                            : Attribute(b.getIntegerAttr(t, 1));
          Value pass = arith::ConstantOp::create(b, loc, vecOf(t),
                                                 DenseElementsAttr::get(vecOf(t), one));
          v = vector::MaskedLoadOp::create(b, loc, vecOf(t), mem, idx, mask, pass);
        } else {
          v = vector::LoadOp::create(b, loc, vecOf(t), mem, idx);
        }
        map.map(arg, v);
      }
      auto lookup = [&](Value v) -> Value {
        if (Value m = map.lookupOrNull(v))
          return m;
        // Scalars from outside the body are broadcast.
        Value s = vector::BroadcastOp::create(b, loc, vecOf(v.getType()), v);
        map.map(v, s);
        return s;
      };
      for (Operation &o : body->without_terminator()) {
        if (auto cst = dyn_cast<arith::ConstantOp>(o)) {
          map.map(o.getResult(0), vector::BroadcastOp::create(
                                      b, loc, vecOf(o.getResult(0).getType()),
                                      b.clone(o)->getResult(0)));
          continue;
        }
        for (Value operand : o.getOperands())
          lookup(operand);
        Operation *clone = b.clone(o, map);
        clone->getResult(0).setType(vecOf(o.getResult(0).getType()));
      }
      auto yield = cast<linalg::YieldOp>(body->getTerminator());
      for (auto [init, value] : llvm::zip(op.getDpsInitsMutable(), yield.getOperands())) {
        Value v = lookup(value);
        SmallVector<Value> idx = indices(b, init);
        if (mask)
          vector::MaskedStoreOp::create(b, loc, init.get(), idx, mask, v);
        else
          vector::StoreOp::create(b, loc, v, init.get(), idx);
      }
    };
    std::function<void(OpBuilder &, unsigned)> nest = [&](OpBuilder &b, unsigned d) {
      if (d == inner) {
        if (full)
          scf::ForOp::create(b, loc, c(b, 0), c(b, full), c(b, vl), ValueRange{},
                             [&](OpBuilder &nb, Location l, Value iv, ValueRange) {
                               ivs[d] = iv;
                               chunk(nb, Value());
                               scf::YieldOp::create(nb, l);
                             });
        if (tail) {
          ivs[d] = c(b, full);
          chunk(b, vector::ConstantMaskOp::create(
                       b, loc, VectorType::get({vl}, b.getI1Type()), ArrayRef<int64_t>{tail}));
        }
        return;
      }
      scf::ForOp::create(b, loc, c(b, 0), c(b, ranges[d]), c(b, 1), ValueRange{},
                         [&](OpBuilder &nb, Location l, Value iv, ValueRange) {
                           ivs[d] = iv;
                           nest(nb, d + 1);
                           scf::YieldOp::create(nb, l);
                         });
    };
    nest(b, 0);
    op->erase();
  }
};

} // namespace
