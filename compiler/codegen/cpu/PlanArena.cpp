//===- PlanArena.cpp - static memory plan into one arena ------------------===//
//
// Algorithm: number the function's top-level ops; a buffer is live from its
// alloc to the last top-level op that uses it or any view of it. A buffer
// allocated inside a region lives for the whole top-level op around it (a
// loop body's temporaries get one slot for the loop; a loop-carried buffer
// allocated in the body is rejected), one yielded out of a region lives as
// long as the op's result, and buffers of sibling regions (the cases of an
// scf.index_switch) never coexist. Buffers are placed largest first at the
// lowest aligned offset that does not overlap a placed buffer with an
// intersecting live range (first fit). Functions with run-time checks
// (RuntimeCheck.h) keep the first aligned slot for their status word.
//
//===----------------------------------------------------------------------===//
#include "compiler/codegen/cpu/Passes.h"
#include "compiler/conversion/RuntimeCheck.h"
#include "runtime-support/include/onnxc/runtime.h"

#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace onnxc {
#define GEN_PASS_DEF_PLANARENA
#include "compiler/codegen/cpu/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace {

struct Buffer {
  memref::AllocOp alloc;
  int64_t size, start, end, offset = -1;
};

/// Index of the top-level op of `block` that contains `op`.
int64_t topIndex(Operation *op, Block &block,
                 const DenseMap<Operation *, int64_t> &index) {
  while (op && op->getBlock() != &block)
    op = op->getParentOp();
  return op ? index.lookup(op) : 0;
}

/// Whether `a` and `b` sit in different regions of one op (the cases of an
/// scf.index_switch, the branches of an scf.if): only one of them runs.
bool inExclusiveRegions(Operation *a, Operation *b) {
  for (Region *ra = a->getParentRegion(); ra; ra = ra->getParentRegion()) {
    Operation *p = ra->getParentOp();
    if (isa<FunctionOpInterface>(p))
      return false;
    Region *rb = b->getParentRegion();
    while (rb && rb->getParentOp() != p)
      rb = rb->getParentRegion();
    if (rb && rb != ra)
      return true;
  }
  return false;
}

struct PlanArena : onnxc::impl::PlanArenaBase<PlanArena> {
  using PlanArenaBase::PlanArenaBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || func.isPrivate())
      return;
    if (!func.getBody().hasOneBlock()) {
      func.emitError("arena planning needs a single-block function");
      return signalPassFailure();
    }
    Block &block = func.getBody().front();
    DenseMap<Operation *, int64_t> index;
    int64_t n = 0;
    for (Operation &op : block)
      index[&op] = n++;

    SmallVector<Buffer> buffers;
    bool failedAny = false;
    func.walk([&](memref::AllocOp alloc) {
      MemRefType t = alloc.getType();
      if (!t.hasStaticShape() || !t.getLayout().isIdentity()) {
        alloc.emitError("temporary buffer ")
            << t << " has a dynamic shape: give symbolic dims a size (--dim NAME=N)";
        failedAny = true;
        return;
      }
      // index buffers hold 64-bit values on every target onnxc emits for.
      int64_t bits = t.getElementType().isIndex() ? 64 : t.getElementTypeBitWidth();
      int64_t bytes = (t.getNumElements() * std::max<int64_t>(bits, 8) + 7) / 8;
      int64_t at = topIndex(alloc, block, index);
      Buffer b{alloc, bytes, at, at};
      // Follow views and region results transitively to find the last use.
      SmallVector<Value> work{alloc.getResult()};
      while (!work.empty()) {
        Value v = work.pop_back_val();
        for (OpOperand &use : v.getUses()) {
          Operation *user = use.getOwner();
          b.end = std::max(b.end, topIndex(user, block, index));
          if (isa<ViewLikeOpInterface>(user) ||
              isa<memref::CollapseShapeOp, memref::ExpandShapeOp,
                  memref::ReshapeOp, memref::CastOp>(user))
            for (Value r : user->getResults())
              if (isa<MemRefType>(r.getType()))
                work.push_back(r);
          if (isa<RegionBranchTerminatorOpInterface>(user) && user->getParentOp() != func) {
            // One slot per alloc is wrong for a buffer carried from one
            // iteration to the next (the next iteration's alloc is the same
            // bytes); temporaries of a loop body get a slot for the loop.
            if (isa<LoopLikeOpInterface>(user->getParentOp()) &&
                user->getParentOp()->isProperAncestor(alloc)) {
              alloc.emitError("temporary buffer carried across loop iterations");
              failedAny = true;
              return;
            }
            work.push_back(user->getParentOp()->getResult(use.getOperandNumber()));
          }
        }
      }
      buffers.push_back(b);
    });
    if (failedAny)
      return signalPassFailure();

    // Largest first, then first fit among live-range-overlapping buffers.
    SmallVector<Buffer *> order;
    for (Buffer &b : buffers)
      order.push_back(&b);
    // Ties broken by program order so that the plan is deterministic.
    llvm::sort(order, [](Buffer *a, Buffer *b) {
      return a->size != b->size ? a->size > b->size : a->start < b->start;
    });
    // Run-time checks need a status word: the arena's first aligned slot.
    SmallVector<func::CallOp> checks;
    func.walk([&](func::CallOp c) {
      if (c.getCallee() == onnxc::kRuntimeCheckCallee)
        checks.push_back(c);
    });
    int64_t base = checks.empty() ? 0 : int64_t(alignment);
    int64_t total = base;
    auto align = [&](int64_t x) { return (x + alignment - 1) / alignment * alignment; };
    SmallVector<Buffer *> placed;
    for (Buffer *b : order) {
      SmallVector<std::pair<int64_t, int64_t>> busy;
      for (Buffer *p : placed)
        if (p->start <= b->end && b->start <= p->end &&
            !inExclusiveRegions(p->alloc, b->alloc))
          busy.push_back({p->offset, p->offset + p->size});
      llvm::sort(busy);
      int64_t off = base;
      for (auto [lo, hi] : busy) {
        if (off + b->size <= lo)
          break;
        off = std::max(off, align(hi));
      }
      b->offset = off;
      total = std::max(total, align(off + b->size));
      placed.push_back(b);
    }

    // The arena argument, then views into it.
    OpBuilder builder(func.getContext());
    auto arenaType = MemRefType::get({ShapedType::kDynamic}, builder.getI8Type());
    unsigned argIdx = func.getNumArguments();
    if (failed(func.insertArgument(argIdx, arenaType,
                                   builder.getDictionaryAttr(builder.getNamedAttr(
                                       "onnx.name", builder.getStringAttr("arena"))),
                                   func.getLoc())))
      return signalPassFailure();
    Value arena = func.getArgument(argIdx);
    for (Buffer &b : buffers) {
      builder.setInsertionPoint(b.alloc);
      Value off = arith::ConstantIndexOp::create(builder, b.alloc.getLoc(), b.offset);
      Value view = memref::ViewOp::create(builder, b.alloc.getLoc(), b.alloc.getType(),
                                          arena, off, ValueRange{});
      b.alloc.replaceAllUsesWith(view);
      b.alloc.erase();
    }
    func.walk([](memref::DeallocOp d) { d.erase(); });
    for (func::CallOp c : checks) {
      builder.setInsertionPoint(c);
      Location loc = c.getLoc();
      Value failed = arith::XOrIOp::create(builder, loc, c.getOperand(0),
                                           arith::ConstantIntOp::create(builder, loc, 1, 1));
      auto ifOp = scf::IfOp::create(builder, loc, failed, /*withElseRegion=*/false);
      builder.setInsertionPointToStart(ifOp.thenBlock());
      Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
      Value word = memref::ViewOp::create(builder, loc, MemRefType::get({}, builder.getI32Type()), arena,
                                          zero, ValueRange{});
      memref::StoreOp::create(builder, loc,
                              arith::ConstantIntOp::create(builder, loc, ONNXC_ERR_DATA, 32), word);
      c.erase();
    }
    if (!checks.empty())
      func->setAttr("onnxc.status_word", builder.getUnitAttr());
    func->setAttr("onnxc.arena_size", builder.getI64IntegerAttr(total));
    func->setAttr("onnxc.arena_align", builder.getI64IntegerAttr(alignment));
  }
};

} // namespace
