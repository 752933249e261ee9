//===- VectorizeElementwise.cpp - SIMD loops for elementwise linalg ops ---===//
#include "compiler/codegen/cpu/Dispatch.h"
#include "compiler/codegen/cpu/LaneWise.h"
#include "compiler/codegen/cpu/Loops.h"
#include "compiler/codegen/cpu/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

#include <limits>

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

struct VectorizeElementwise
    : onnxc::impl::VectorizeElementwiseBase<VectorizeElementwise> {
  using VectorizeElementwiseBase::VectorizeElementwiseBase;

  SymbolTable *symbols = nullptr;

  void runOnOperation() override {
    SymbolTable table(getOperation());
    symbols = &table;
    SmallVector<linalg::LinalgOp> ops;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics() && op.getNumLoops() > 0)
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops)
      vectorize(op);
    // exp/tanh/erf on vectors would be split into one libm call per lane:
    // MLIR's polynomial approximations keep them in SIMD registers.
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(
        patterns, [](StringRef name) {
          return name == math::ExpOp::getOperationName() ||
                 name == math::TanhOp::getOperationName() ||
                 name == math::ErfOp::getOperationName();
        });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }

  void vectorize(linalg::LinalgOp op) {
    unsigned inner = op.getNumLoops() - 1;
    // A reduction along the innermost dim keeps one vector accumulator per
    // output element and reduces its lanes at the end.
    bool reduction = op.getNumReductionLoops() == 1 &&
                     op.getIteratorTypesArray()[inner] == utils::IteratorType::reduction;
    if (!reduction && op.getNumLoops() != op.getNumParallelLoops())
      return;
    if (reduction && op.getNumDpsInits() != 1)
      return;
    SmallVector<Access> access;
    for (OpOperand &operand : op->getOpOperands()) {
      auto a = classify(op, operand, inner);
      if (failed(a))
        return;
      bool isInit = op.isDpsInit(&operand);
      if (isInit && *a != (reduction ? Access::Broadcast : Access::Vector))
        return;
      // A vector of i1 is bit-packed in memory, a memref of i1 is one byte
      // per element: such operands stay scalar (the loop is not vectorized).
      if (*a == Access::Vector)
        if (auto mt = dyn_cast<MemRefType>(operand.get().getType());
            mt && mt.getElementType().isIntOrFloat() && mt.getElementType().getIntOrFloatBitWidth() < 8)
          return;
      access.push_back(*a);
    }
    Block *body = op.getBlock();
    if (!onnxc::cpu::isLaneWiseBody(body))
      return;
    auto yield = cast<linalg::YieldOp>(body->getTerminator());
    Type elem = cast<MemRefType>(op.getDpsInits()[0].getType()).getElementType();
    std::optional<vector::CombiningKind> kind;
    TypedAttr identity;
    if (reduction && failed(matchCombiner(op, yield, kind, identity)))
      return;
    if (!elem.isIntOrFloat() || elem.getIntOrFloatBitWidth() < 8 ||
        elem.getIntOrFloatBitWidth() > 64)
      return;
    int64_t vl = std::max<int64_t>(vectorBits / elem.getIntOrFloatBitWidth(), 2);

    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t n = ranges[inner], full = n - n % vl, tail = n % vl;
    OpBuilder b(op);
    Location loc = op.getLoc();
    auto c = [&](OpBuilder &b, int64_t v) { return onnxc::cpu::cIdx(b, loc, v); };
    auto vecOf = [&](Type t) { return VectorType::get({vl}, t); };

    SmallVector<Value> ivs(op.getNumLoops());
    IRMapping outer; // outer values as seen where the loops are built
    auto indices = [&](OpBuilder &b, OpOperand &operand) {
      SmallVector<Value> idx;
      for (AffineExpr e : op.getMatchingIndexingMap(&operand).getResults()) {
        auto d = dyn_cast<AffineDimExpr>(e);
        idx.push_back(d ? ivs[d.getPosition()] : c(b, 0)); // broadcast dims: 0
      }
      return idx;
    };
    // The body on one chunk of `vl` lanes at ivs (`mask` for the tail);
    // returns the yielded vectors. In a reduction the output block argument
    // stands for the accumulator `acc`.
    auto chunk = [&](OpBuilder &b, Value mask, Value acc) {
      IRMapping map;
      for (OpOperand &operand : op->getOpOperands()) {
        BlockArgument arg = op.getMatchingBlockArgument(&operand);
        if (arg.use_empty())
          continue;
        if (reduction && op.isDpsInit(&operand)) {
          map.map(arg, acc);
          continue;
        }
        Value mem = outer.lookupOrDefault(operand.get());
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
      return onnxc::cpu::cloneOnVectors(b, loc, body, vl, map, outer);
    };
    auto store = [&](OpBuilder &b, Value mask, ValueRange values) {
      for (auto [init, v] : llvm::zip(op.getDpsInitsMutable(), values)) {
        SmallVector<Value> idx = indices(b, init);
        Value mem = outer.lookupOrDefault(init.get());
        if (mask)
          vector::MaskedStoreOp::create(b, loc, mem, idx, mask, v);
        else
          vector::StoreOp::create(b, loc, v, mem, idx);
      }
    };
    auto tailMask = [&](OpBuilder &b) -> Value {
      return vector::ConstantMaskOp::create(b, loc, VectorType::get({vl}, b.getI1Type()),
                                            ArrayRef<int64_t>{tail});
    };
    auto innerLoop = [&](OpBuilder &b, unsigned d) {
      if (!reduction) {
        if (full)
          onnxc::cpu::forLoop(b, loc, 0, full, vl, [&](OpBuilder &nb, Value iv) {
            ivs[d] = iv;
            store(nb, Value(), chunk(nb, Value(), Value()));
          });
        if (tail) {
          ivs[d] = c(b, full);
          Value mask = tailMask(b);
          store(b, mask, chunk(b, mask, Value()));
        }
        return;
      }
      Value acc = arith::ConstantOp::create(b, loc, vecOf(elem),
                                            DenseElementsAttr::get(vecOf(elem), identity));
      if (full)
        acc = scf::ForOp::create(b, loc, c(b, 0), c(b, full), c(b, vl), ValueRange{acc},
                                 [&](OpBuilder &nb, Location l, Value iv, ValueRange carried) {
                                   ivs[d] = iv;
                                   scf::YieldOp::create(nb, l, chunk(nb, Value(), carried[0]));
                                 })
                  .getResult(0);
      if (tail) {
        ivs[d] = c(b, full);
        Value mask = tailMask(b);
        acc = arith::SelectOp::create(b, loc, mask, chunk(b, mask, acc)[0], acc);
      }
      // Fold the lanes into the output element.
      OpOperand &init = op.getDpsInitsMutable()[0];
      SmallVector<Value> idx = indices(b, init);
      Value mem = outer.lookupOrDefault(init.get());
      Value old = memref::LoadOp::create(b, loc, mem, idx);
      Value r = vector::ReductionOp::create(b, loc, *kind, acc, old);
      memref::StoreOp::create(b, loc, r, mem, idx);
    };
    // Threads split the first outer dim of size > 1 (leading unit dims
    // index 0); below ~64K elements waking them costs more than it saves.
    std::optional<unsigned> split;
    for (unsigned d = 0; d < inner && !split; ++d)
      if (ranges[d] > 1)
        split = d;
    Value begin, end;
    std::function<void(OpBuilder &, unsigned)> nest = [&](OpBuilder &b, unsigned d) {
      if (d == inner)
        return innerLoop(b, d);
      if (split && d < *split) {
        ivs[d] = c(b, 0);
        return nest(b, d + 1);
      }
      bool isSplit = split && d == *split;
      onnxc::cpu::forLoop(b, loc, isSplit ? begin : c(b, 0), isSplit ? end : c(b, ranges[d]), 1,
                          [&](OpBuilder &nb, Value iv) {
                            ivs[d] = iv;
                            nest(nb, d + 1);
                          });
    };
    if (!split) {
      nest(b, 0);
      op->erase();
      return;
    }
    // Captures: the operands, and outer values the body uses (constants
    // are cloned into the task instead).
    SmallVector<Value> captures(op->getOperands());
    SetVector<Operation *> constants;
    for (Operation &o : body->without_terminator())
      for (Value v : o.getOperands()) {
        if (v.getParentBlock() == body)
          continue;
        if (auto cst = v.getDefiningOp<arith::ConstantOp>())
          constants.insert(cst);
        else if (!llvm::is_contained(captures, v))
          captures.push_back(v);
      }
    int64_t elements = 1;
    for (int64_t r : ranges)
      elements *= r;
    onnxc::cpu::emitParallelFor(
        op->getParentOfType<func::FuncOp>(), *symbols, b, loc, "rows", ranges[*split], captures,
        parallel && elements >= 65536,
        [&](OpBuilder &b, Value lo, Value hi, ValueRange captured) {
          for (auto [from, to] : llvm::zip(captures, captured))
            outer.map(from, to);
          for (Operation *cst : constants)
            outer.map(cst->getResult(0), b.clone(*cst)->getResult(0));
          begin = lo, end = hi;
          nest(b, 0);
        });
    op->erase();
  }

  /// A reduction body must end in `out = combine(x, out)` with `out` used
  /// nowhere else; `kind` and its identity element describe `combine`.
  static LogicalResult matchCombiner(linalg::LinalgOp op, linalg::YieldOp yield,
                                     std::optional<vector::CombiningKind> &kind,
                                     TypedAttr &identity) {
    BlockArgument out = op.getMatchingBlockArgument(&op.getDpsInitsMutable()[0]);
    Operation *combine = yield.getOperand(0).getDefiningOp();
    if (!combine || combine->getBlock() != op.getBlock() || !out.hasOneUse() ||
        *out.getUsers().begin() != combine)
      return failure();
    Type t = out.getType();
    auto fp = [&](double v) { return FloatAttr::get(t, v); };
    double inf = std::numeric_limits<double>::infinity();
    using K = vector::CombiningKind;
    if (isa<arith::AddFOp>(combine))
      kind = K::ADD, identity = fp(0.0);
    else if (isa<arith::MulFOp>(combine))
      kind = K::MUL, identity = fp(1.0);
    else if (isa<arith::MaximumFOp>(combine))
      kind = K::MAXIMUMF, identity = fp(-inf);
    else if (isa<arith::MinimumFOp>(combine))
      kind = K::MINIMUMF, identity = fp(inf);
    else if (isa<arith::MaxNumFOp>(combine))
      kind = K::MAXNUMF, identity = fp(-inf);
    else if (isa<arith::MinNumFOp>(combine))
      kind = K::MINNUMF, identity = fp(inf);
    else if (isa<arith::AddIOp>(combine))
      kind = K::ADD, identity = IntegerAttr::get(t, 0);
    else
      return failure();
    return success();
  }
};

} // namespace
