//===- FlattenSequences.cpp - sequences and optionals -> their tensors ----===//
//
// onnxc fixes the structure of sequence and optional values at compile time,
// as it fixes tensor shapes: a sequence's slots and their element types, an
// optional's payload. Graph inputs get theirs from --shape (the importer
// builds them from one argument per tensor); every op then yields a
// structure this pass knows, so each sequence or optional becomes the list
// of tensors it holds and the sequence ops disappear. What only the run can
// decide travels as values next to the structure (see Item): an optional's
// presence, a sequence's length (slots past it hold zeros), the shape of an
// element that a run-time position picks among differently shaped ones.
// They arise where an If's branches yield different structures (unify) and
// at run-time positions (a Where per slot, a Gather over stacked elements;
// the run checks each position against the length). SequenceMap clones its
// body per element; a Loop that carries sequences is unrolled: fully when
// its trip count and condition fold to constants, else one If per iteration
// on whether it runs, up to the trip count or `loop-bound` (a run needing
// more fails an onnx.Check). Function results are flattened: a sequence
// output "y" becomes "y.0", "y.1", ... plus "y.length" where the run decides
// it; a present optional keeps its name, plus "y.has_value" where the run
// decides presence; an element of run-time shape is "y.k" (flat, zero-
// padded) plus "y.k.shape"; an absent optional or an empty sequence has no
// outputs.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Flattener.h"
#include "compiler/transforms/Passes.h"
#include "dialects/onnx/DataType.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <functional>

namespace onnxc {
#define GEN_PASS_DEF_FLATTENSEQUENCES
#include "compiler/transforms/Passes.h.inc"
} // namespace onnxc

using namespace mlir;

namespace onnxc::flatten {

std::optional<bool> constantBool(Value v) {
  while (auto id = v.getDefiningOp<onnx::IdentityOp>())
    v = id.getInput();
  if (auto n = v.getDefiningOp<onnx::NotOp>()) {
    auto c = constantBool(n.getX());
    return c ? std::optional<bool>(!*c) : std::nullopt;
  }
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || attr.getNumElements() != 1)
    return std::nullopt;
  if (attr.getElementType().isInteger(1))
    return *attr.getValues<bool>().begin();
  return std::nullopt;
}

/// A constant position, negative ones counted from the back, checked to lie
/// in [0, n) (or [0, n] where it inserts); nullopt when it is a run-time
/// value.
FailureOr<std::optional<int64_t>> constantPosition(Operation *op, Value position, int64_t n,
                                                   bool inclusive) {
  auto pos = getConstantInts(position);
  if (!pos)
    return std::optional<int64_t>();
  int64_t p = pos->front() < 0 ? pos->front() + n : pos->front();
  if (p < 0 || p > n || (p == n && !inclusive)) {
    op->emitOpError() << "position " << pos->front() << " is out of range for a sequence of " << n;
    return failure();
  }
  return std::optional<int64_t>(p);
}

FailureOr<Item> Flattener::itemOf(Operation *user, Value v) {
  // (A value typed as a tensor may hold a sequence: OptionalGetElement of an
  // optional whose payload type the model left open.)
  auto it = items.find(v);
  if (it == items.end() && !isStructured(v.getType()))
    return Item::ofTensor(v);
  if (it == items.end())
    return user->emitOpError() << "uses a sequence or optional whose structure is not known "
                                  "at compile time";
  return it->second;
}

FailureOr<std::vector<Item>> Flattener::itemsOf(Operation *user, ValueRange values) {
  std::vector<Item> out;
  for (Value v : values) {
    auto item = itemOf(user, v);
    if (failed(item))
      return failure();
    out.push_back(std::move(*item));
  }
  return out;
}

void Flattener::mapArgument(IRMapping &map, Value arg, const Item &item) {
  if (item.kind == Item::Tensor)
    map.map(arg, item.tensor);
  else
    items[arg] = item;
}

FailureOr<Item> Flattener::seqOf(Operation *user, Value v) {
  FailureOr<Item> item = itemOf(user, v);
  if (failed(item))
    return failure();
  if (item->kind != Item::Seq)
    return user->emitOpError() << "expects a sequence, got " << item->describe();
  return item;
}

FailureOr<std::vector<Item>> Flattener::elementsOf(Operation *user, Value v) {
  FailureOr<Item> item = seqOf(user, v);
  if (failed(item))
    return failure();
  if (item->length)
    return user->emitOpError() << "takes " << item->describe()
                               << " whose length is known only at run time: the result's shape "
                                  "would depend on it";
  return item->elems;
}

Value Flattener::scalarI64(Location loc, int64_t value) {
  auto t = RankedTensorType::get({}, b.getI64Type());
  return onnx::createConstant(b, loc, DenseElementsAttr::get(t, ArrayRef<int64_t>{value}));
}

Value Flattener::scalarIndex(Location loc, Value position) {
  Value p = position;
  if (auto t = dyn_cast<RankedTensorType>(p.getType()); !t || t.getRank() != 0)
    p = onnx::ReshapeOp::create(b, loc, RankedTensorType::get({}, getElementTypeOrNull(p)), p,
                                onnx::createI64Constant(b, loc, {}), b.getI64IntegerAttr(0));
  if (!getElementTypeOrNull(p).isInteger(64))
    p = onnx::CastOp::create(b, loc, RankedTensorType::get({}, b.getI64Type()), p, b.getI64IntegerAttr(1),
                             b.getI64IntegerAttr(7));
  return p;
}

Value Flattener::unsqueeze(Location loc, Value v, int64_t axis) {
  auto op = onnx::UnsqueezeOp::create(b, loc, UnrankedTensorType::get(getElementTypeOrNull(v)), v,
                                      onnx::createI64Constant(b, loc, {axis}));
  (void)cast<onnx::ShapeInferenceOpInterface>(op.getOperation()).inferShapes();
  return op;
}

Value Flattener::where(Location loc, Value cond, Value x, Value y) {
  return onnx::WhereOp::create(b, loc, x.getType(), cond, x, y);
}

Value Flattener::compare(Location loc, bool less, int64_t i, Value p) {
  auto t = RankedTensorType::get({}, b.getI1Type());
  Value c = scalarI64(loc, i);
  if (less)
    return onnx::LessOp::create(b, loc, t, c, p);
  return onnx::EqualOp::create(b, loc, t, c, p);
}

Value Flattener::lengthOf(Location loc, const Item &seq) {
  return seq.length ? seq.length : scalarI64(loc, int64_t(seq.elems.size()));
}

Value Flattener::runTimePosition(Operation *op, Value position, Value n, bool inclusive) {
  Location loc = op->getLoc();
  auto bt = RankedTensorType::get({}, b.getI1Type());
  Value p = scalarIndex(loc, position);
  Value neg = onnx::LessOp::create(b, loc, bt, p, scalarI64(loc, 0));
  p = where(loc, neg, onnx::AddOp::create(b, loc, p.getType(), p, n), p);
  Value below = onnx::LessOp::create(b, loc, bt, p, scalarI64(loc, 0));
  Value above = inclusive ? Value(onnx::LessOp::create(b, loc, bt, n, p))
                          : Value(onnx::NotOp::create(b, loc, bt, onnx::LessOp::create(b, loc, bt, p, n)));
  Value ok = onnx::NotOp::create(b, loc, bt, onnx::OrOp::create(b, loc, bt, below, above));
  onnx::CheckOp::create(b, loc, ok,
                        op->getName().stripDialect().str() +
                            ": the position is out of range for the sequence's length");
  return p;
}

LogicalResult Flattener::requireOneType(Operation *op, ArrayRef<Value> values) {
  for (Value v : values) {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    if (!t || !t.hasStaticShape() || v.getType() != values.front().getType())
      return op->emitOpError()
             << "has a run-time position over elements of different or unknown types ("
             << values.front().getType() << ", " << v.getType()
             << "): the result's shape would depend on the position's value";
  }
  return success();
}

FailureOr<SmallVector<Value>> Flattener::inlineBody(Block &body, IRMapping &map) {
  for (Operation &o : body.without_terminator()) {
    Operation *clone = b.clone(o, map);
    if (failed(visit(clone)))
      return failure();
    // A clone's tensor result that visit() replaced must not be seen by
    // later clones.
    for (auto [orig, now] : llvm::zip(o.getResults(), clone->getResults()))
      if (auto it = replaced.find(now); it != replaced.end())
        map.map(orig, it->second);
    b.setInsertionPointAfter(clone);
  }
  SmallVector<Value> yielded;
  for (Value v : body.getTerminator()->getOperands())
    yielded.push_back(map.lookupOrDefault(v));
  return yielded;
}

// (Not an OperationFolder: results must go through replace(), which the
// clones of a body that inlineBody makes later read.)
void Flattener::foldConstants(Operation *op) {
  if (op->getNumRegions() || op->getNumResults() == 0 || op->hasTrait<OpTrait::ConstantLike>())
    return;
  SmallVector<Attribute> operands;
  for (Value v : op->getOperands()) {
    Attribute a;
    if (!isNone(v) && !matchPattern(v, m_Constant(&a)))
      return;
    operands.push_back(a);
  }
  SmallVector<OpFoldResult> folded;
  if (failed(op->fold(operands, folded)) || folded.size() != op->getNumResults())
    return;
  SmallVector<DenseElementsAttr> values;
  for (OpFoldResult f : folded) {
    auto attr = dyn_cast_if_present<DenseElementsAttr>(dyn_cast<Attribute>(f));
    if (!attr)
      return;
    values.push_back(attr);
  }
  for (auto [r, attr] : llvm::zip(op->getResults(), values))
    replace(op, r, onnx::createConstant(b, op->getLoc(), attr));
}

int64_t capacityOf(const Item &item) {
  auto t = dyn_cast<RankedTensorType>(item.tensor.getType());
  return t && t.hasStaticShape() ? t.getNumElements() : -1;
}

std::optional<int64_t> raggedCapacity(const Item &x, const Item &y) {
  if (!x.isTensorLike() || !y.isTensorLike())
    return std::nullopt;
  auto xt = dyn_cast<RankedTensorType>(x.type), yt = dyn_cast<RankedTensorType>(y.type);
  if (!xt || !yt || xt.getRank() != yt.getRank() || xt.getElementType() != yt.getElementType() ||
      capacityOf(x) < 0 || capacityOf(y) < 0)
    return std::nullopt;
  return std::max(capacityOf(x), capacityOf(y));
}

Item Flattener::toRagged(Location loc, const Item &item, int64_t capacity) {
  auto t = cast<RankedTensorType>(item.tensor.getType());
  Item out{Item::Ragged, item.tensor, item.shape, {}, item.type, {}, {}};
  if (item.kind == Item::Tensor) {
    out.type = RankedTensorType::get(SmallVector<int64_t>(t.getRank(), ShapedType::kDynamic),
                                     t.getElementType());
    out.shape = onnx::createI64Constant(b, loc, t.getShape());
    out.tensor = onnx::ReshapeOp::create(
        b, loc, RankedTensorType::get({t.getNumElements()}, t.getElementType()), item.tensor,
        onnx::createI64Constant(b, loc, {t.getNumElements()}), b.getI64IntegerAttr(0));
  }
  int64_t have = capacityOf(out);
  if (have < capacity) {
    auto zt = RankedTensorType::get({capacity - have}, t.getElementType());
    Value zeros = onnx::createConstant(b, loc, DenseElementsAttr::get(zt, b.getZeroAttr(zt.getElementType())));
    out.tensor = onnx::ConcatOp::create(b, loc, RankedTensorType::get({capacity}, t.getElementType()),
                                        ValueRange{out.tensor, zeros}, b.getI64IntegerAttr(0));
  }
  return out;
}

FailureOr<Item> Flattener::select(Operation *op, Value cond, const Item &x, const Item &y) {
  Location loc = op->getLoc();
  if (!x.isTensorLike() || !y.isTensorLike())
    return op->emitOpError() << "has a run-time position over " << x.describe() << " and "
                             << y.describe();
  if (x.kind == Item::Tensor && y.kind == Item::Tensor && x.tensor.getType() == y.tensor.getType() &&
      capacityOf(x) >= 0)
    return Item::ofTensor(where(loc, cond, x.tensor, y.tensor));
  // Elements of different shapes: the slot's shape becomes a run-time value.
  auto capacity = raggedCapacity(x, y);
  if (!capacity)
    return op->emitOpError() << "has a run-time position over elements of types " << x.type
                             << " and " << y.type
                             << ": they must share element type and rank, with static shapes";
  Item rx = toRagged(loc, x, *capacity), ry = toRagged(loc, y, *capacity);
  rx.tensor = where(loc, cond, rx.tensor, ry.tensor);
  rx.shape = where(loc, cond, rx.shape, ry.shape);
  return rx;
}

LogicalResult Flattener::visitBlock(Block &block) {
  for (Operation &op : llvm::make_early_inc_range(block)) {
    if (op.hasTrait<OpTrait::IsTerminator>())
      continue; // the owner of the block reads it
    if (failed(visit(&op)))
      return failure();
  }
  return success();
}

LogicalResult Flattener::visit(Operation *op) {
  b.setInsertionPoint(op);
  Location loc = op->getLoc();
  // A branch not taken may read what does not exist (an absent optional).
  if (auto ifOp = dyn_cast<onnx::IfOp>(op))
    if (auto c = constantBool(ifOp.getCond()))
      return inlineTaken(ifOp, *c);
  bool structuredIn = hasStructured(op->getOperandTypes());
  bool structuredOut = hasStructured(op->getResultTypes());
  if (!structuredIn && !structuredOut && !isa<onnx::LoopOp>(op)) {
    // Refine types now: the structures built later read them.
    if (auto si = dyn_cast<onnx::ShapeInferenceOpInterface>(op))
      if (!isa<onnx::IfOp, onnx::LoopOp, onnx::ScanOp>(op))
        (void)si.inferShapes();
    foldConstants(op);
    for (Region &r : op->getRegions())
      for (Block &blk : r)
        if (failed(visitBlock(blk)))
          return failure();
    if (auto si = dyn_cast<onnx::ShapeInferenceOpInterface>(op))
      if (isa<onnx::IfOp, onnx::ScanOp>(op))
        (void)si.inferShapes();
    return success();
  }
  return TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](onnx::SequenceEmptyOp o) {
        define(o, o.getResult(), Item::seq(o.getType(), {}));
        return success();
      })
      .Case([&](onnx::SequenceConstructOp o) {
        std::vector<Item> elems;
        for (Value v : o.getInputs())
          elems.push_back(Item::ofTensor(v));
        define(o, o.getResult(), Item::seq(o.getType(), std::move(elems)));
        return success();
      })
      .Case([&](onnx::SequenceLengthOp o) -> LogicalResult {
        auto item = seqOf(o, o.getInputSequence());
        if (failed(item))
          return failure();
        replace(o, o.getResult(), lengthOf(loc, *item));
        return success();
      })
      .Case([&](onnx::SequenceAtOp o) { return visitSequenceAt(o); })
      .Case([&](onnx::SequenceInsertOp o) { return visitInsert(o); })
      .Case([&](onnx::SequenceEraseOp o) { return visitErase(o); })
      .Case([&](onnx::SplitToSequenceOp o) { return visitSplitToSequence(o); })
      .Case([&](onnx::ConcatFromSequenceOp o) { return visitConcatFromSequence(o); })
      .Case([&](onnx::SequenceMapOp o) { return visitSequenceMap(o); })
      .Case([&](onnx::OptionalOp o) -> LogicalResult {
        std::vector<Item> payload;
        if (!isNone(o.getInput())) {
          auto item = itemOf(o, o.getInput());
          if (failed(item))
            return failure();
          payload.push_back(*item);
        }
        define(o, o.getResult(), Item::opt(o.getResult().getType(), std::move(payload)));
        return success();
      })
      .Case([&](onnx::OptionalHasElementOp o) -> LogicalResult {
        auto item = itemOf(o, o.getInput());
        if (failed(item))
          return failure();
        if (item->flag) {
          replace(o, o.getResult(), item->flag);
          return success();
        }
        bool has = item->kind != Item::Opt || !item->elems.empty();
        auto t = RankedTensorType::get({}, b.getI1Type());
        replace(o, o.getResult(), onnx::createConstant(b, loc, DenseElementsAttr::get(t, has)));
        return success();
      })
      .Case([&](onnx::OptionalGetElementOp o) -> LogicalResult {
        auto item = itemOf(o, o.getInput());
        if (failed(item))
          return failure();
        if (item->kind == Item::Opt) {
          if (item->elems.empty())
            return o.emitOpError() << "reads an optional that is absent (fixed at compile time)";
          // Reading one the run leaves absent is an error, as the spec says.
          if (item->flag)
            onnx::CheckOp::create(b, loc, item->flag, "OptionalGetElement: the optional is absent");
          Item payload = item->elems.front();
          item = std::move(payload);
        }
        bind(o, o.getResult(), *item);
        return success();
      })
      .Case([&](onnx::IdentityOp o) -> LogicalResult {
        auto item = itemOf(o, o.getInput());
        if (failed(item))
          return failure();
        define(o, o.getResult(), *item);
        return success();
      })
      .Case([&](onnx::IfOp o) { return visitIf(o); })
      .Case([&](onnx::LoopOp o) -> LogicalResult {
        if (hasStructured(o.getVInitial().getTypes()) || structuredOut)
          return unrollLoop(o);
        return visitBlock(o.getBody().front());
      })
      .Default([&](Operation *o) {
        return o->emitOpError()
               << "takes or yields a sequence or optional; onnxc supports them in the "
                  "Sequence*/Optional* ops, SplitToSequence, ConcatFromSequence, Identity, "
                  "If, Loop and SequenceMap";
      });
}

LogicalResult Flattener::visitSequenceAt(onnx::SequenceAtOp op) {
  Location loc = op.getLoc();
  auto item = seqOf(op, op.getInputSequence());
  if (failed(item))
    return failure();
  const std::vector<Item> &elems = item->elems;
  int64_t n = elems.size();
  if (n == 0)
    return op.emitOpError() << "reads from an empty sequence";
  std::optional<int64_t> at;
  if (item->length) {
    auto p = getConstantInts(op.getPosition());
    if (p && p->front() >= n)
      return op.emitOpError() << "position " << p->front()
                              << " is out of range for a sequence of at most " << n;
    if (p && p->front() >= 0)
      at = p->front();
  } else {
    auto pos = constantPosition(op, op.getPosition(), n, /*inclusive=*/false);
    if (failed(pos))
      return failure();
    at = *pos;
  }
  // The run checks a run-time position, or any against a run-time length.
  Value index;
  if (item->length || !at)
    index = runTimePosition(op, op.getPosition(), lengthOf(loc, *item), /*inclusive=*/false);
  if (at) {
    const Item &e = elems[*at];
    if (e.kind != Item::Tensor)
      return op.emitOpError() << "reads " << e.describe() << ", expected a tensor";
    replace(op, op.getResult(), e.tensor);
    return success();
  }
  // Run-time position (checked above): Gather over the stacked elements.
  SmallVector<Value> tensors;
  for (const Item &e : elems) {
    if (e.kind != Item::Tensor)
      return op.emitOpError() << "reads " << e.describe() << " at a run-time position";
    tensors.push_back(e.tensor);
  }
  if (failed(requireOneType(op, tensors)))
    return failure();
  SmallVector<Value> stacked;
  for (Value t : tensors)
    stacked.push_back(unsqueeze(loc, t, 0));
  auto st = cast<RankedTensorType>(stacked.front().getType());
  auto all = RankedTensorType::get(
      [&] {
        SmallVector<int64_t> s(st.getShape());
        s[0] = n;
        return s;
      }(),
      st.getElementType());
  Value concat = stacked.size() == 1
                     ? stacked.front()
                     : Value(onnx::ConcatOp::create(b, loc, all, stacked, b.getI64IntegerAttr(0)));
  replace(op, op.getResult(),
          onnx::GatherOp::create(b, loc, tensors.front().getType(), concat, index,
                                 b.getI64IntegerAttr(0)));
  return success();
}

LogicalResult Flattener::visitInsert(onnx::SequenceInsertOp op) {
  Location loc = op.getLoc();
  auto seq = seqOf(op, op.getInputSequence());
  if (failed(seq))
    return failure();
  const std::vector<Item> &elems = seq->elems;
  int64_t n = elems.size();
  Value position = op.getPosition();
  Item t = Item::ofTensor(op.getTensor());
  Item out = Item::seq(op.getResult().getType(), elems);
  if (seq->length)
    out.length = onnx::AddOp::create(b, loc, seq->length.getType(), seq->length, scalarI64(loc, 1));
  if (!seq->length && isNone(position)) {
    out.elems.push_back(t);
  } else if (!seq->length && getConstantInts(position)) {
    auto pos = constantPosition(op, position, n, /*inclusive=*/true);
    if (failed(pos))
      return failure();
    out.elems.insert(out.elems.begin() + **pos, t);
  } else {
    // Slot i holds s[i] before the position, the tensor at it, s[i-1] after.
    Value p = isNone(position) ? seq->length
                               : runTimePosition(op, position, lengthOf(loc, *seq), /*inclusive=*/true);
    std::vector<Item> all{t};
    llvm::append_range(all, elems);
    out.elems.clear();
    for (int64_t i = 0; i <= n; ++i) {
      FailureOr<Item> v = all[0];
      if (i > 0)
        v = select(op, compare(loc, false, i, p), all[0], all[i]);
      if (succeeded(v) && i < n)
        v = select(op, compare(loc, true, i, p), all[i + 1], *v);
      if (failed(v))
        return failure();
      out.elems.push_back(*v);
    }
  }
  define(op, op.getResult(), std::move(out));
  return success();
}

LogicalResult Flattener::visitErase(onnx::SequenceEraseOp op) {
  Location loc = op.getLoc();
  auto seq = seqOf(op, op.getInputSequence());
  if (failed(seq))
    return failure();
  const std::vector<Item> &elems = seq->elems;
  int64_t n = elems.size();
  if (n == 0)
    return op.emitOpError() << "erases from an empty sequence";
  Value position = op.getPosition();
  Item out = Item::seq(op.getResult().getType(), elems);
  if (seq->length)
    out.length = onnx::SubOp::create(b, loc, seq->length.getType(), seq->length, scalarI64(loc, 1));
  if (!seq->length && isNone(position)) {
    out.elems.pop_back();
  } else if (!seq->length && getConstantInts(position)) {
    auto pos = constantPosition(op, position, n, /*inclusive=*/false);
    if (failed(pos))
      return failure();
    out.elems.erase(out.elems.begin() + **pos);
  } else {
    // Slot i keeps s[i] before the position and takes s[i+1] from it on.
    Value p = runTimePosition(op, isNone(position) ? scalarI64(loc, -1) : position,
                              lengthOf(loc, *seq), /*inclusive=*/false);
    out.elems.clear();
    for (int64_t i = 0; i + 1 < n; ++i) {
      auto v = select(op, compare(loc, true, i, p), elems[i], elems[i + 1]);
      if (failed(v))
        return failure();
      out.elems.push_back(*v);
    }
  }
  define(op, op.getResult(), std::move(out));
  return success();
}

LogicalResult Flattener::visitSplitToSequence(onnx::SplitToSequenceOp op) {
  Location loc = op.getLoc();
  Value x = op.getInput();
  auto shape = getShape(x);
  if (!shape)
    return op.emitOpError() << "needs a ranked input, got " << x.getType();
  auto axis = normalizeAxis(op.getAxis(), shape->size());
  if (!axis)
    return op.emitOpError() << "axis " << op.getAxis() << " is out of range";
  int64_t dim = (*shape)[*axis];
  Value split = op.getSplit();
  bool squeeze = false;
  SmallVector<int64_t> sizes;
  Value splitArg;
  if (isNone(split) || getConstantInts(split)) {
    if (ShapedType::isDynamic(dim))
      return op.emitOpError() << "splits a dimension of unknown size";
    auto t = dyn_cast<RankedTensorType>(split.getType());
    if (isNone(split)) {
      sizes.assign(dim, 1);
      squeeze = op.getKeepdims() == 0;
    } else if (t.getRank() == 0) {
      int64_t s = getConstantInts(split)->front();
      if (s <= 0)
        return op.emitOpError() << "split " << s << " must be positive";
      for (int64_t at = 0; at < dim; at += s)
        sizes.push_back(std::min(s, dim - at));
    } else {
      sizes = *getConstantInts(split);
    }
    splitArg = onnx::createI64Constant(b, loc, sizes);
  } else {
    // Run-time sizes: the count is the split tensor's length, the pieces'
    // shapes depend on values.
    auto t = dyn_cast<RankedTensorType>(split.getType());
    if (!t || t.getRank() != 1 || t.isDynamicDim(0))
      return op.emitOpError() << "a run-time split must be a 1-D tensor of known length, got "
                              << split.getType();
    sizes.assign(t.getDimSize(0), ShapedType::kDynamic);
    splitArg = split;
    if (!getElementTypeOrNull(split).isInteger(64))
      splitArg = onnx::CastOp::create(b, loc, RankedTensorType::get(t.getShape(), b.getI64Type()),
                                      split, b.getI64IntegerAttr(1), b.getI64IntegerAttr(7));
  }
  std::vector<Item> elems;
  if (!sizes.empty()) {
    SmallVector<Type> types;
    for (int64_t s : sizes) {
      SmallVector<int64_t> d(*shape);
      d[*axis] = s;
      types.push_back(RankedTensorType::get(d, getElementTypeOrNull(x)));
    }
    auto pieces = onnx::SplitOp::create(b, loc, types, x, splitArg, b.getI64IntegerAttr(*axis), IntegerAttr());
    for (Value v : pieces.getResults()) {
      if (squeeze)
        v = onnx::SqueezeOp::create(
            b, loc,
            [&] {
              SmallVector<int64_t> d(*shape);
              d.erase(d.begin() + *axis);
              return RankedTensorType::get(d, getElementTypeOrNull(x));
            }(),
            v, onnx::createI64Constant(b, loc, {*axis}));
      elems.push_back(Item::ofTensor(v));
    }
  }
  define(op, op.getResult(), Item::seq(op.getResult().getType(), std::move(elems)));
  return success();
}

LogicalResult Flattener::visitConcatFromSequence(onnx::ConcatFromSequenceOp op) {
  Location loc = op.getLoc();
  auto elems = elementsOf(op, op.getInputSequence());
  if (failed(elems))
    return failure();
  if (elems->empty())
    return op.emitOpError() << "concatenates an empty sequence";
  SmallVector<Value> parts;
  for (const Item &e : *elems) {
    if (e.kind != Item::Tensor)
      return op.emitOpError() << "concatenates " << e.describe();
    parts.push_back(op.getNewAxis() ? unsqueeze(loc, e.tensor, op.getAxis()) : e.tensor);
  }
  auto concat = onnx::ConcatOp::create(b, loc, op.getResult().getType(), parts,
                                       b.getI64IntegerAttr(op.getAxis()));
  (void)cast<onnx::ShapeInferenceOpInterface>(concat.getOperation()).inferShapes();
  replace(op, op.getResult(), concat);
  return success();
}

LogicalResult Flattener::run(func::FuncOp func) {
  if (func.isExternal())
    return success();
  Block &entry = func.getBody().front();
  if (failed(visitBlock(entry)))
    return failure();
  auto ret = cast<func::ReturnOp>(entry.getTerminator());
  SmallVector<Value> outs;
  SmallVector<DictionaryAttr> attrs;
  for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
    auto item = itemOf(ret, v);
    if (failed(item))
      return failure();
    auto nameAttr = func.getResultAttrOfType<StringAttr>(i, "onnx.name");
    std::string name = nameAttr ? nameAttr.str() : "output" + std::to_string(i);
    // Leaves named by their path: y, y.0, y.1.0 ...
    std::function<void(const Item &, const std::string &)> emit = [&](const Item &it,
                                                                      const std::string &n) {
      auto named = [&](Value v, const std::string &leaf) {
        outs.push_back(v);
        attrs.push_back(b.getDictionaryAttr(b.getNamedAttr("onnx.name", b.getStringAttr(leaf))));
      };
      if (it.kind == Item::Tensor) {
        named(it.tensor, n);
      } else if (it.kind == Item::Ragged) {
        // Its elements, flat and zero-padded, then "<name>.shape".
        named(it.tensor, n);
        named(it.shape, n + ".shape");
      } else if (it.kind == Item::Opt) {
        // A run-time presence travels as "<name>.has_value" (bool).
        if (it.flag)
          named(it.flag, n + ".has_value");
        for (const Item &e : it.elems)
          emit(e, n);
      } else {
        // A length the run decides travels as "<name>.length" (int64).
        if (it.length)
          named(it.length, n + ".length");
        for (auto [j, e] : llvm::enumerate(it.elems))
          emit(e, n + "." + std::to_string(j));
      }
    };
    emit(*item, name);
  }
  b.setInsertionPoint(ret);
  func::ReturnOp::create(b, ret.getLoc(), outs);
  ret.erase();
  func.setFunctionType(
      FunctionType::get(func.getContext(), func.getArgumentTypes(), ValueRange(outs).getTypes()));
  func.setAllResultAttrs(attrs);
  // Clones of loop bodies may still name the original body's sequence
  // arguments: drop every reference before erasing anything.
  for (Operation *op : dead)
    op->dropAllReferences();
  for (Operation *op : dead)
    if (!op->use_empty())
      return op->emitOpError() << "internal: a flattened sequence value still has uses";
  for (Operation *op : dead)
    op->erase();
  return success();
}

} // namespace onnxc::flatten

namespace {
using onnxc::flatten::Flattener;
using onnxc::flatten::hasStructured;

struct FlattenSequences : onnxc::impl::FlattenSequencesBase<FlattenSequences> {
  using FlattenSequencesBase::FlattenSequencesBase;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    bool any = false;
    func.walk([&](Operation *op) {
      any |= hasStructured(op->getResultTypes()) || hasStructured(op->getOperandTypes());
    });
    if (!any)
      return;
    Flattener f(&getContext(), loopBound);
    if (failed(f.run(func)))
      signalPassFailure();
  }
};

} // namespace
