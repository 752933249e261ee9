//===- Flattener.h - sequences/optionals -> tensors: shared state -*- C++ -*-===//
//
// The walk behind onnxc-flatten-sequences (FlattenSequences.cpp: the walk,
// sequence ops, run-time positions, results; FlattenControlFlow.cpp: If and
// Loop, where structures merge). Internal to those files.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_COMPILER_TRANSFORMS_FLATTENER_H
#define ONNXC_COMPILER_TRANSFORMS_FLATTENER_H

#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

#include <optional>
#include <string>
#include <vector>

namespace onnxc::flatten {
using namespace mlir;
namespace onnx = onnxc::onnx;
using onnx::getConstantInts;
using onnx::getElementTypeOrNull;
using onnx::getShape;
using onnx::isNone;
using onnx::normalizeAxis;

/// What a value holds: a tensor, or a sequence's elements, or an optional's
/// payload (none when absent). What only the run decides travels next to
/// the structure: an optional's presence as an i1 `flag` (payload zeros
/// where absent), a sequence's length as an i64 `length` (the first
/// `length` of `elems` hold values, the rest zeros), and a tensor's shape
/// (kind Ragged: `tensor` holds its elements flat, zero-padded to a fixed
/// capacity, `shape` its dims; `type` is ranked with dynamic dims).
struct Item {
  enum Kind { Tensor, Seq, Opt, Ragged } kind = Tensor;
  Value tensor;
  Value shape; // Ragged: i64[rank]
  std::vector<Item> elems;
  Type type; // Seq/Opt: the value's type
  Value flag; // Opt: run-time presence, or null when fixed
  Value length; // Seq: run-time length, or null when all elems count

  static Item ofTensor(Value v) { return {Tensor, v, {}, {}, v.getType(), {}, {}}; }
  static Item seq(Type t, std::vector<Item> elems) { return {Seq, {}, {}, std::move(elems), t, {}, {}}; }
  static Item opt(Type t, std::vector<Item> payload) { return {Opt, {}, {}, std::move(payload), t, {}, {}}; }

  /// A tensor, of static or run-time shape.
  bool isTensorLike() const { return kind == Tensor || kind == Ragged; }

  void leaves(SmallVectorImpl<Value> &out) const {
    for (Value v : {tensor, shape, flag, length})
      if (v)
        out.push_back(v);
    for (const Item &e : elems)
      e.leaves(out);
  }
  /// The same structure over other values, taken in order from `next`.
  Item rebuild(ValueRange &next) const {
    Item out{kind, {}, {}, {}, type, {}, {}};
    auto take = [&](Value have, Value &to) {
      if (!have)
        return;
      to = next.front();
      next = next.drop_front();
    };
    take(tensor, out.tensor);
    take(shape, out.shape);
    take(flag, out.flag);
    take(length, out.length);
    if (kind == Tensor)
      out.type = out.tensor.getType();
    for (const Item &e : elems)
      out.elems.push_back(e.rebuild(next));
    return out;
  }
  bool sameStructure(const Item &o) const {
    if (kind != o.kind || elems.size() != o.elems.size() || bool(flag) != bool(o.flag) ||
        bool(length) != bool(o.length))
      return false;
    for (auto [a, b] : llvm::zip(elems, o.elems))
      if (!a.sameStructure(b))
        return false;
    return true;
  }
  std::string describe() const {
    switch (kind) {
    case Tensor:
      return "a tensor";
    case Ragged:
      return "a tensor whose shape is known only at run time";
    case Seq:
      return (length ? "a sequence of up to " : "a sequence of ") + std::to_string(elems.size());
    case Opt:
      if (flag)
        return "an optional (present or not at run time) holding " + elems[0].describe();
      return elems.empty() ? "an absent optional" : "an optional holding " + elems[0].describe();
    }
    return "";
  }
};

inline bool isStructured(Type t) { return isa<onnx::SeqType, onnx::OptType>(t); }
inline bool hasStructured(TypeRange types) { return llvm::any_of(types, isStructured); }
/// A boolean constant behind Identity/Not chains.
std::optional<bool> constantBool(Value v);
/// Elements a tensor item holds (a Ragged one: its capacity); -1 if unknown.
int64_t capacityOf(const Item &item);
/// The capacity of a Ragged item that can hold either `x` or `y` (tensors
/// of one element type and rank, static sizes), or nullopt.
std::optional<int64_t> raggedCapacity(const Item &x, const Item &y);

class Flattener {
public:
  Flattener(MLIRContext *ctx, int64_t loopBound) : b(ctx), loopBound(loopBound) {}

  LogicalResult run(func::FuncOp func);

private:
  LogicalResult visitBlock(Block &block);
  LogicalResult visit(Operation *op);
  LogicalResult visitIf(onnx::IfOp op);
  LogicalResult unrollLoop(onnx::LoopOp op);
  /// Unrolls the iterations from `first` on, each in an If on whether it
  /// runs (the run decides): up to the trip count or --loop-bound.
  LogicalResult boundedLoop(onnx::LoopOp op, int64_t first, std::optional<int64_t> trips,
                            ArrayRef<Value> carried, Value cond);
  LogicalResult inlineTaken(onnx::IfOp op, bool cond);
  /// An If on `cond` with empty branches and no results, to build the
  /// branches in before their result types are known; it ends up dead.
  onnx::IfOp holderIf(Location loc, Value cond);
  /// Replaces `holder` by an If yielding the leaves (then / else) that `kept`
  /// (if given) leaves null; the leaves as its results, kept ones as they
  /// are. The insertion point moves past it.
  SmallVector<Value> finishIf(onnx::IfOp holder, ArrayRef<Value> thenLeaves,
                              ArrayRef<Value> elseLeaves, ArrayRef<Value> kept = {});
  /// What `build` yields (built in the then branch) in an If on `cond`,
  /// zeros of its structure otherwise; the insertion point moves past it.
  FailureOr<std::vector<Item>> guarded(Operation *op, Value cond,
                                       function_ref<FailureOr<std::vector<Item>>()> build);
  /// Makes the items two If branches yield one structure where they differ
  /// only in what the run decides; the rest stays for the caller to report.
  /// `nested`: inside a sequence or optional, where a tensor may take a
  /// run-time shape.
  void unify(Item &t, Operation *tTerm, Item &e, Operation *eTerm, bool nested = false);
  /// `item`'s structure over zeros, built before `before`; failure if a
  /// leaf has no static type.
  FailureOr<Item> zerosLike(const Item &item, Operation *before);
  /// Folds an op whose operands are all constants (shapes downstream, e.g.
  /// in an unrolled body, become static).
  void foldConstants(Operation *op);
  /// x where `cond`, else y: tensors of one type, else both as Ragged items.
  FailureOr<Item> select(Operation *op, Value cond, const Item &x, const Item &y);
  Item toRagged(Location loc, const Item &item, int64_t capacity);
  LogicalResult visitSequenceMap(onnx::SequenceMapOp op);
  LogicalResult visitSplitToSequence(onnx::SplitToSequenceOp op);
  LogicalResult visitConcatFromSequence(onnx::ConcatFromSequenceOp op);
  LogicalResult visitSequenceAt(onnx::SequenceAtOp op);
  LogicalResult visitInsert(onnx::SequenceInsertOp op);
  LogicalResult visitErase(onnx::SequenceEraseOp op);
  /// Clones `body` (but its terminator) before the insertion point with
  /// `map`, visiting each clone; the terminator's operands, mapped.
  FailureOr<SmallVector<Value>> inlineBody(Block &body, IRMapping &map);

  FailureOr<Item> itemOf(Operation *user, Value v);
  FailureOr<std::vector<Item>> itemsOf(Operation *user, ValueRange values);
  /// A body argument of a clone holds `item`: a tensor through `map`, a
  /// structure through `items`.
  void mapArgument(IRMapping &map, Value arg, const Item &item);
  /// `v`'s item, which must be a sequence.
  FailureOr<Item> seqOf(Operation *user, Value v);
  /// The elements of a sequence whose length is known at compile time.
  FailureOr<std::vector<Item>> elementsOf(Operation *user, Value v);
  void define(Operation *op, Value result, Item item) {
    items[result] = std::move(item);
    dead.insert(op);
  }
  void replace(Operation *op, Value result, Value with) {
    result.replaceAllUsesWith(with);
    replaced[result] = with;
    dead.insert(op);
  }
  /// `op`'s `result` holds `item`: a tensor replaces it, a structure
  /// defines it.
  void bind(Operation *op, Value result, const Item &item) {
    if (item.kind == Item::Tensor)
      replace(op, result, item.tensor);
    else
      define(op, result, item);
  }

  // Small onnx-op builders at the current insertion point.
  Value scalarI64(Location loc, int64_t value);
  Value scalarIndex(Location loc, Value position);
  Value unsqueeze(Location loc, Value v, int64_t axis);
  Value where(Location loc, Value cond, Value x, Value y);
  Value compare(Location loc, bool less, int64_t i, Value p);
  /// The sequence's length, run-time or not, as a scalar i64 tensor.
  Value lengthOf(Location loc, const Item &seq);
  /// A run-time position p, or p + n where p < 0, as a scalar i64 tensor;
  /// the run checks it lies in [0, n) (or [0, n] where it inserts).
  Value runTimePosition(Operation *op, Value position, Value n, bool inclusive);
  LogicalResult requireOneType(Operation *op, ArrayRef<Value> values);

  OpBuilder b;
  /// Most iterations of a Loop with a run-time trip count that is unrolled.
  int64_t loopBound;
  DenseMap<Value, Item> items;
  DenseMap<Value, Value> replaced;
  llvm::SetVector<Operation *> dead;
};

} // namespace onnxc::flatten

#endif
