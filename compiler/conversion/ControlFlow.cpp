//===- ControlFlow.cpp - onnx If/Loop/Scan -> scf ----------------------------===//
//
// Subgraphs are regions ending in onnx.Yield. If becomes scf.if with the
// branches moved in; Scan becomes scf.for over the scan length with the body
// merged in: scan inputs are sliced per step, scan outputs inserted per step,
// and each new state is copied into its loop-carried tensor so that the
// state keeps one buffer across iterations (a body temporary is never
// carried). Loop becomes scf.while over (iteration, condition, states, scan
// buffers); its scan outputs have the length the model declares, checked at
// run time (ONNXC_ERR_DATA) since the trip count is a value. The ops inside
// are legalized by the same conversion.
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

FailureOr<SmallVector<Type>> staticResults(Operation *op) {
  SmallVector<Type> types;
  for (Value r : op->getResults()) {
    auto t = dyn_cast<RankedTensorType>(r.getType());
    if (!t || !t.hasStaticShape()) {
      op->emitOpError() << "result #" << types.size() << " needs a static tensor type, got " << r.getType();
      return failure();
    }
    types.push_back(t);
  }
  return types;
}

struct IfPattern : OpConversionPattern<onnx::IfOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::IfOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto types = staticResults(op);
    if (failed(types))
      return failure();
    Location loc = op.getLoc();
    Value cond = firstElement(rw, loc, ad.getCond());
    auto ifOp = scf::IfOp::create(rw, loc, *types, cond, /*addThenBlock=*/false, /*addElseBlock=*/false);
    rw.inlineRegionBefore(op.getThenBranch(), ifOp.getThenRegion(), ifOp.getThenRegion().end());
    rw.inlineRegionBefore(op.getElseBranch(), ifOp.getElseRegion(), ifOp.getElseRegion().end());
    rw.replaceOp(op, ifOp.getResults());
    return success();
  }
};

/// onnx.Yield of a branch moved into scf.if: scf.yield, with a cast where
/// a branch's static type is only compatible with the result's.
struct YieldPattern : OpConversionPattern<onnx::YieldOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::YieldOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto parent = dyn_cast<scf::IfOp>(op->getParentOp());
    if (!parent)
      return rw.notifyMatchFailure(op, "handled by the enclosing op's pattern");
    SmallVector<Value> vals;
    for (auto [v, t] : llvm::zip(ad.getOperands(), parent.getResultTypes())) {
      if (v.getType() != t) {
        if (!isa<RankedTensorType>(v.getType()) ||
            !tensor::CastOp::areCastCompatible(v.getType(), t))
          return op.emitOpError() << "branch yields " << v.getType() << " where the If result is " << t;
        v = tensor::CastOp::create(rw, op.getLoc(), t, v);
      }
      vals.push_back(v);
    }
    rw.replaceOpWithNewOp<scf::YieldOp>(op, vals);
    return success();
  }
};

/// One step's slice of `full` along `axis` at `pos` (where a scan input is
/// read or a scan output written).
void stepSlice(OpBuilder &b, RankedTensorType full, int64_t axis, Value pos, SmallVectorImpl<OpFoldResult> &o,
               SmallVectorImpl<OpFoldResult> &s, SmallVectorImpl<OpFoldResult> &st) {
  for (int64_t d = 0; d < full.getRank(); ++d) {
    o.push_back(d == axis ? OpFoldResult(pos) : OpFoldResult(b.getIndexAttr(0)));
    s.push_back(b.getIndexAttr(d == axis ? 1 : full.getDimSize(d)));
    st.push_back(b.getIndexAttr(1));
  }
}

/// Scan (opset 9+): states and scan inputs in, final states and stacked
/// scan outputs out; axes and directions per input/output.
struct ScanPattern : OpConversionPattern<onnx::ScanOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ScanOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto types = staticResults(op);
    if (failed(types))
      return failure();
    Location loc = op.getLoc();
    ValueRange ins = ad.getInitialStateAndScanInputs();
    int64_t m = int64_t(op.getNumScanInputs()), n = int64_t(ins.size()) - m;
    int64_t k = int64_t(op->getNumResults()) - n;
    Block &body = op.getBody().front();
    if (n < 0 || k < 0 || int64_t(body.getNumArguments()) != n + m)
      return op.emitOpError("body arguments do not match the states and scan inputs");
    auto attrOr = [&](std::optional<ArrayRef<int64_t>> a, int64_t i) -> int64_t {
      return a && i < int64_t(a->size()) ? (*a)[i] : 0;
    };
    // Scan length from the first scan input.
    SmallVector<int64_t> inAxis, outAxis;
    int64_t len = -1;
    for (int64_t j = 0; j < m; ++j) {
      auto t = dyn_cast<RankedTensorType>(ins[n + j].getType());
      if (!t || !t.hasStaticShape())
        return op.emitOpError() << "scan input " << j << " needs a static shape";
      auto a = onnx::normalizeAxis(attrOr(op.getScanInputAxes(), j), t.getRank());
      if (!a)
        return op.emitOpError() << "scan input axis out of range for input " << j;
      inAxis.push_back(*a);
      if (len >= 0 && t.getDimSize(*a) != len)
        return op.emitOpError("scan inputs differ in length");
      len = t.getDimSize(*a);
    }
    if (len < 0)
      return op.emitOpError("needs at least one scan input");
    for (int64_t j = 0; j < k; ++j) {
      auto t = cast<RankedTensorType>((*types)[n + j]);
      auto a = onnx::normalizeAxis(attrOr(op.getScanOutputAxes(), j), t.getRank());
      if (!a || t.getDimSize(*a) != len)
        return op.emitOpError() << "scan output " << j << " does not stack " << len << " steps on its axis";
      outAxis.push_back(*a);
    }
    for (int64_t i = 0; i < n + m; ++i) {
      auto t = dyn_cast<RankedTensorType>(body.getArgument(i).getType());
      if (!t || !t.hasStaticShape())
        return op.emitOpError() << "body argument " << i << " needs a static shape";
    }
    SmallVector<Value> inits(ins.begin(), ins.begin() + n);
    for (int64_t j = 0; j < k; ++j) {
      auto t = cast<RankedTensorType>((*types)[n + j]);
      inits.push_back(tensor::EmptyOp::create(rw, loc, t.getShape(), t.getElementType()));
    }
    Value lb = arith::ConstantIndexOp::create(rw, loc, 0), ub = arith::ConstantIndexOp::create(rw, loc, len),
          one = arith::ConstantIndexOp::create(rw, loc, 1);
    auto forOp = scf::ForOp::create(rw, loc, lb, ub, one, inits);
    Block *loopBody = forOp.getBody();
    rw.setInsertionPointToStart(loopBody);
    Value t = forOp.getInductionVar();
    Value last = arith::ConstantIndexOp::create(rw, loc, len - 1);
    auto step = [&](bool reverse) -> Value { return reverse ? Value(arith::SubIOp::create(rw, loc, last, t)) : t; };
    SmallVector<Value> args(forOp.getRegionIterArgs().begin(), forOp.getRegionIterArgs().begin() + n);
    for (int64_t j = 0; j < m; ++j) {
      auto full = cast<RankedTensorType>(ins[n + j].getType());
      SmallVector<OpFoldResult> o, s, st;
      stepSlice(rw, full, inAxis[j], step(attrOr(op.getScanInputDirections(), j) != 0), o, s, st);
      args.push_back(tensor::ExtractSliceOp::create(rw, loc, cast<RankedTensorType>(body.getArgument(n + j).getType()),
                                                    ins[n + j], o, s, st));
    }
    rw.mergeBlocks(&body, loopBody, args);
    auto yield = cast<onnx::YieldOp>(loopBody->getTerminator());
    rw.setInsertionPoint(yield);
    SmallVector<Value> next;
    for (int64_t i = 0; i < n; ++i) {
      Value carried = forOp.getRegionIterArgs()[i];
      Value v = rw.getRemappedValue(yield.getOperand(i));
      if (v.getType() != carried.getType())
        return op.emitOpError() << "state " << i << " changes type in the body";
      next.push_back(linalg::CopyOp::create(rw, loc, v, carried).getResult(0));
    }
    for (int64_t j = 0; j < k; ++j) {
      Value acc = forOp.getRegionIterArgs()[n + j];
      auto full = cast<RankedTensorType>(acc.getType());
      SmallVector<OpFoldResult> o, s, st;
      stepSlice(rw, full, outAxis[j], step(attrOr(op.getScanOutputDirections(), j) != 0), o, s, st);
      next.push_back(tensor::InsertSliceOp::create(rw, loc, rw.getRemappedValue(yield.getOperand(n + j)), acc, o, s, st));
    }
    scf::YieldOp::create(rw, loc, next);
    rw.eraseOp(yield);
    rw.replaceOp(op, forOp.getResults());
    return success();
  }
};

/// Loop (opset 1+): while (i < M && cond) { states = body(i, cond, states) }.
struct LoopPattern : OpConversionPattern<onnx::LoopOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::LoopOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto types = staticResults(op);
    if (failed(types))
      return failure();
    Location loc = op.getLoc();
    ValueRange init = ad.getVInitial();
    size_t n = init.size(), k = op.getNumResults() - n;
    Block &body = op.getBody().front();
    for (size_t i = 0; i < n; ++i)
      if (init[i].getType() != (*types)[i] || body.getArgument(2 + i).getType() != (*types)[i])
        return op.emitOpError() << "state " << i << " changes type across iterations ("
                                << init[i].getType() << " initially, " << (*types)[i]
                                << " after the loop)";
    SmallVector<int64_t> scanLen;
    for (size_t j = 0; j < k; ++j) {
      auto t = cast<RankedTensorType>((*types)[n + j]);
      if (t.getRank() == 0)
        return op.emitOpError() << "scan output " << j << " must have a leading axis";
      scanLen.push_back(t.getDimSize(0));
    }
    Value zero = arith::ConstantIndexOp::create(rw, loc, 0);
    Value one = arith::ConstantIndexOp::create(rw, loc, 1);
    Value trips;
    if (!onnx::isNone(op.getM()))
      trips = arith::IndexCastOp::create(rw, loc, rw.getIndexType(), firstElement(rw, loc, ad.getM()));
    Value cond0 = onnx::isNone(op.getCond()) ? arith::ConstantIntOp::create(rw, loc, 1, 1).getResult()
                                             : firstElement(rw, loc, ad.getCond());
    SmallVector<Value> inits{zero, cond0};
    llvm::append_range(inits, init);
    for (size_t j = 0; j < k; ++j) {
      auto t = cast<RankedTensorType>((*types)[n + j]);
      inits.push_back(tensor::EmptyOp::create(rw, loc, t.getShape(), t.getElementType()));
    }
    auto whileOp = scf::WhileOp::create(
        rw, loc, ValueRange(inits).getTypes(), inits,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value go = args[1];
          if (trips)
            go = arith::AndIOp::create(
                b, l, go, arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, args[0], trips));
          scf::ConditionOp::create(b, l, go, args);
        },
        [&](OpBuilder &, Location, ValueRange) {});
    Block *after = &whileOp.getAfter().front();
    rw.setInsertionPointToStart(after);
    Value iv = after->getArgument(0);
    Value iter = tensor::FromElementsOp::create(
        rw, loc, RankedTensorType::get({}, rw.getI64Type()),
        ValueRange{arith::IndexCastOp::create(rw, loc, rw.getI64Type(), iv)});
    Value condIn = tensor::FromElementsOp::create(rw, loc, RankedTensorType::get({}, rw.getI1Type()),
                                                  ValueRange{after->getArgument(1)});
    SmallVector<Value> args{iter, condIn};
    for (size_t i = 0; i < n; ++i)
      args.push_back(after->getArgument(2 + i));
    rw.mergeBlocks(&body, after, args);
    auto yield = cast<onnx::YieldOp>(after->getTerminator());
    rw.setInsertionPoint(yield);
    SmallVector<Value> next{arith::AddIOp::create(rw, loc, iv, one),
                            firstElement(rw, loc, rw.getRemappedValue(yield.getOperand(0)))};
    // Scan outputs first: they may read the states that the copies overwrite.
    SmallVector<Value> nextStates, nextScans;
    for (size_t j = 0; j < k; ++j) {
      // Room for this step? The write goes to the last slot either way.
      Value len = arith::ConstantIndexOp::create(rw, loc, scanLen[j]);
      emitRuntimeCheck(rw, loc, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::slt, iv, len));
      Value acc = after->getArgument(2 + n + j);
      if (scanLen[j] == 0) {
        nextScans.push_back(acc);
        continue;
      }
      Value pos = arith::MinUIOp::create(rw, loc, iv, arith::ConstantIndexOp::create(rw, loc, scanLen[j] - 1));
      Value step = rw.getRemappedValue(yield.getOperand(1 + n + j));
      auto full = cast<RankedTensorType>(acc.getType());
      SmallVector<OpFoldResult> o, sz, st;
      stepSlice(rw, full, 0, pos, o, sz, st);
      auto stepType = dyn_cast<RankedTensorType>(step.getType());
      if (!stepType || stepType.getShape() != full.getShape().drop_front())
        return op.emitOpError() << "scan output " << j << " yields " << step.getType()
                                << " per step, the result is " << full;
      nextScans.push_back(tensor::InsertSliceOp::create(rw, loc, step, acc, o, sz, st));
    }
    for (size_t i = 0; i < n; ++i) {
      Value v = rw.getRemappedValue(yield.getOperand(1 + i));
      if (v.getType() != (*types)[i])
        return op.emitOpError() << "state " << i << " changes type in the body";
      nextStates.push_back(linalg::CopyOp::create(rw, loc, v, after->getArgument(2 + i)).getResult(0));
    }
    llvm::append_range(next, nextStates);
    llvm::append_range(next, nextScans);
    scf::YieldOp::create(rw, loc, next);
    rw.eraseOp(yield);
    rw.setInsertionPointAfter(whileOp);
    // Every declared scan slot must have been written.
    for (int64_t len : scanLen)
      emitRuntimeCheck(rw, loc,
                       arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, whileOp.getResult(0),
                                             arith::ConstantIndexOp::create(rw, loc, len)));
    rw.replaceOp(op, whileOp.getResults().drop_front(2));
    return success();
  }
};

/// A run-time condition: the entry point returns ONNXC_ERR_DATA if it fails.
struct CheckPattern : OpConversionPattern<onnx::CheckOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::CheckOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    emitRuntimeCheck(rw, op.getLoc(), firstElement(rw, op.getLoc(), ad.getOk()));
    rw.eraseOp(op);
    return success();
  }
};

} // namespace

void populateControlFlowPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  p.add<IfPattern, YieldPattern, ScanPattern, LoopPattern, CheckPattern>(p.getContext());
  for (StringRef n : {"onnx.If", "onnx.Loop", "onnx.Scan", "onnx.Yield", "onnx.Check"})
    names.insert(n);
}

} // namespace onnxc::conversion
