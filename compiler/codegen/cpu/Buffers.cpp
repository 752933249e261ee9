//===- Buffers.cpp - buffer rewrites around the CPU kernels ---------------===//
#include "compiler/codegen/cpu/Buffers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include <functional>

using namespace mlir;

namespace onnxc::cpu {

std::optional<double> fillConstant(Operation *op) {
  Value v;
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    v = fill.getInputs()[0];
  else if (auto map = dyn_cast<linalg::MapOp>(op); map && map.getInputs().empty())
    v = cast<linalg::YieldOp>(map.getMapper().front().getTerminator()).getOperand(0);
  auto cst = v ? v.getDefiningOp<arith::ConstantOp>() : nullptr;
  auto f = cst ? dyn_cast<FloatAttr>(cst.getValue()) : nullptr;
  if (!f)
    return std::nullopt;
  return f.getValueAsDouble();
}

std::optional<double> takeFill(Operation *op, Value c, function_ref<bool(double)> accept) {
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(prev)) {
      std::optional<double> value = fillConstant(fill);
      if (fill.getOutputs()[0] != c || !value || !accept(*value))
        return std::nullopt;
      fill.erase();
      return value;
    }
    if (!isMemoryEffectFree(prev))
      return std::nullopt;
  }
  return std::nullopt;
}

bool takeZeroFill(Operation *op, Value c) {
  return takeFill(op, c, [](double v) { return v == 0; }).has_value();
}

Value rootBuffer(Value v) {
  while (auto view = v.getDefiningOp<ViewLikeOpInterface>())
    v = view.getViewSource();
  return v;
}

void sinkFill(Operation *op, Value c) {
  Value root = rootBuffer(c);
  if (!root.getDefiningOp<memref::AllocOp>())
    return;
  // Whether `o` (or an op nested in it) may use the allocation: a view of
  // it, or a buffer whose origin is unknown.
  auto mayTouch = [&](Operation *o) {
    return o
        ->walk([&](Operation *inner) {
          for (Value v : inner->getOperands()) {
            if (!isa<BaseMemRefType>(v.getType()))
              continue;
            Value r = rootBuffer(v);
            bool known = r.getDefiningOp<memref::AllocOp>() || r.getDefiningOp<memref::GetGlobalOp>() ||
                         (isa<BlockArgument>(r) &&
                          isa<func::FuncOp>(r.getParentBlock()->getParentOp()));
            if (r == root || !known)
              return WalkResult::interrupt();
          }
          return WalkResult::advance();
        })
        .wasInterrupted();
  };
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(prev); fill && fill.getOutputs()[0] == c) {
      if (fill->getNextNode() != op)
        fill->moveBefore(op);
      return;
    }
    if (isMemoryEffectFree(prev) || isa<memref::AllocOp>(prev))
      continue;
    if (mayTouch(prev))
      return;
  }
}

std::optional<PaddedCopy> findPaddedCopy(Value x, Operation *consumer) {
  Value buffer = x;
  if (auto expand = x.getDefiningOp<memref::ExpandShapeOp>())
    buffer = expand.getSrc();
  int64_t rank = cast<MemRefType>(buffer.getType()).getRank();
  if (!buffer.getDefiningOp<memref::AllocOp>() || rank < 4)
    return std::nullopt;
  PaddedCopy p;
  p.buffer = buffer;
  Operation *fill = nullptr, *copy = nullptr;
  for (Operation *user : buffer.getUsers()) {
    if (user == x.getDefiningOp() || user == consumer)
      continue;
    if (auto value = fillConstant(user); value && !fill) {
      fill = user;
      p.value = *value;
      continue;
    }
    auto sub = dyn_cast<memref::SubViewOp>(user);
    if (!sub || copy || !sub->hasOneUse())
      return std::nullopt;
    auto c = dyn_cast<memref::CopyOp>(*sub->user_begin());
    auto offsets = sub.getStaticOffsets();
    if (!c || c.getTarget() != sub.getResult() || !sub.hasUnitStride() ||
        ShapedType::isDynamicShape(offsets) ||
        llvm::any_of(offsets.drop_back(2), [](int64_t o) { return o != 0; }))
      return std::nullopt;
    copy = c;
    p.src = c.getSource();
    p.padLow = {offsets[rank - 2], offsets[rank - 1]};
    p.ops.push_back(sub);
  }
  if (!fill || !copy || fill->getBlock() != consumer->getBlock() ||
      copy->getBlock() != consumer->getBlock() || !fill->isBeforeInBlock(copy) ||
      !copy->isBeforeInBlock(consumer))
    return std::nullopt;
  auto st = dyn_cast<MemRefType>(p.src.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!st || !st.getElementType().isF32() ||
      failed(st.getStridesAndOffset(strides, offset)) || strides.back() != 1)
    return std::nullopt;
  // src must hold the copied values while the consumer runs: nothing in
  // between may touch its buffer, and the consumer must not write it
  // (bufferization may have given the consumer's output src's bytes, which
  // the copy made free).
  Value root = rootBuffer(p.src);
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(consumer))
    for (Value init : dps.getDpsInits())
      if (rootBuffer(init) == root)
        return std::nullopt;
  for (Operation *op = copy->getNextNode(); op != consumer; op = op->getNextNode())
    if (!isMemoryEffectFree(op) && llvm::any_of(op->getOperands(), [&](Value v) {
          return isa<MemRefType>(v.getType()) && rootBuffer(v) == root;
        }))
      return std::nullopt;
  // Users before the values they use, for erasing in order.
  p.ops = {copy, p.ops.front(), fill};
  return p;
}

void erasePaddedCopy(PaddedCopy &p, Value x) {
  for (Operation *op : p.ops)
    op->erase();
  if (x != p.buffer && x.use_empty())
    x.getDefiningOp()->erase();
  if (p.buffer.use_empty())
    p.buffer.getDefiningOp()->erase();
}

bool moveFutureUses(Value root, Operation *from) {
  auto alloc = root.getDefiningOp<memref::AllocOp>();
  if (!alloc || alloc->getBlock() != from->getBlock() || !alloc.getType().getLayout().isIdentity())
    return false;
  // `from` writes root (its destinations move); what it reads there is the
  // old value, which does not.
  auto dps = dyn_cast<DestinationStyleOpInterface>(from);
  if (!dps || llvm::any_of(dps.getDpsInputs(), [&](Value v) {
        return isa<MemRefType>(v.getType()) && rootBuffer(v) == root;
      }))
    return false;
  OpBuilder b(alloc->getContext());
  b.setInsertionPointAfter(alloc);
  Value fresh = memref::AllocOp::create(b, alloc.getLoc(), alloc.getType(), alloc.getAlignmentAttr());
  Block *block = from->getBlock();
  // The value a view of root made before `from` has on the fresh buffer.
  DenseMap<Value, Value> moved{{root, fresh}};
  std::function<Value(Value)> onFresh = [&](Value v) -> Value {
    if (Value m = moved.lookup(v))
      return m;
    Operation *view = v.getDefiningOp();
    if (!view || view->getNumResults() != 1)
      return nullptr;
    OpBuilder vb(view);
    vb.setInsertionPointAfter(view);
    IRMapping map;
    for (Value operand : view->getOperands())
      if (isa<MemRefType>(operand.getType()) && rootBuffer(operand) == root) {
        Value m = onFresh(operand);
        if (!m)
          return nullptr;
        map.map(operand, m);
      }
    Value clone = vb.clone(*view, map)->getResult(0);
    moved[v] = clone;
    return clone;
  };
  for (Operation *top = from; top; top = top->getNextNode())
    top->walk([&](Operation *op) {
      for (OpOperand &use : op->getOpOperands()) {
        Value v = use.get();
        if (!isa<MemRefType>(v.getType()) || rootBuffer(v) != root)
          continue;
        // Views made from `from` on are renamed through their own operands.
        Operation *def = v.getDefiningOp();
        if (def && def != alloc && !block->findAncestorOpInBlock(*def)->isBeforeInBlock(from))
          continue;
        if (Value m = onFresh(v))
          use.set(m);
      }
    });
  return true;
}

} // namespace onnxc::cpu
