//===- FlattenControlFlow.cpp - If and Loop over sequences/optionals -----===//
//
// Where structures meet: an If's branches may yield different ones, which
// unify() merges into one whose run-time parts (presence, length, element
// shape) the taken branch sets; a Loop that carries them is unrolled, each
// iteration with static structures: fully when its trip count and
// condition are constants, else one If per iteration on whether it runs,
// whose results merge the loop's results so far with this iteration's.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Flattener.h"

namespace onnxc::flatten {

/// Unrolling a Loop copies its body per iteration; past this the model is
/// better served by a real loop over tensors.
constexpr int64_t kMaxUnroll = 4096;

namespace {
/// Pairs the tensors of `a` and `b` that sit at the same place with the
/// same type (a tensor of `a` may sit at several places).
void matchLeaves(const Item &a, const Item &b, DenseMap<Value, SmallVector<Value, 1>> &out) {
  if (a.kind == Item::Tensor && b.kind == Item::Tensor && a.tensor.getType() == b.tensor.getType())
    out[a.tensor].push_back(b.tensor);
  if (a.kind == b.kind && (a.kind == Item::Seq || a.kind == Item::Opt))
    for (auto [x, y] : llvm::zip(a.elems, b.elems))
      matchLeaves(x, y, out);
}

} // namespace

LogicalResult Flattener::unrollLoop(onnx::LoopOp op) {
  Location loc = op.getLoc();
  std::optional<int64_t> trips;
  Value runTimeTrips;
  if (!isNone(op.getM())) {
    if (auto m = getConstantInts(op.getM()))
      trips = m->front();
    else
      runTimeTrips = op.getM();
  }
  if (isNone(op.getM()) && isNone(op.getCond()))
    return op.emitOpError() << "has neither a trip count nor a condition";
  Value cond = op.getCond();
  if (isNone(cond))
    cond = onnx::createConstant(
        b, loc, DenseElementsAttr::get(RankedTensorType::get({}, b.getI1Type()), true));
  SmallVector<Value> carried(op.getVInitial());
  size_t numCarried = carried.size();
  size_t numScan = op.getNumResults() - numCarried;
  SmallVector<SmallVector<Value>> scans(numScan);
  Block &body = op.getBody().front();
  for (int64_t i = 0;; ++i) {
    std::optional<bool> go = constantBool(cond);
    if ((go && !*go) || (trips && i >= *trips))
      break;
    // From here on the run decides whether the next iteration happens.
    if (runTimeTrips || !go)
      return boundedLoop(op, i, trips, carried, cond);
    if (i >= kMaxUnroll)
      return op.emitOpError() << "carries sequences or optionals and runs more than "
                              << kMaxUnroll << " iterations: too many to unroll";
    b.setInsertionPoint(op);
    IRMapping map;
    map.map(body.getArgument(0), scalarI64(loc, i));
    map.map(body.getArgument(1), cond);
    for (auto [k, v] : llvm::enumerate(carried))
      map.map(body.getArgument(2 + k), v);
    auto yielded = inlineBody(body, map);
    if (failed(yielded))
      return failure();
    cond = (*yielded)[0];
    for (size_t k = 0; k < numCarried; ++k)
      carried[k] = (*yielded)[1 + k];
    for (size_t j = 0; j < numScan; ++j)
      scans[j].push_back(unsqueeze(loc, (*yielded)[1 + numCarried + j], 0));
  }
  b.setInsertionPoint(op);
  auto results = itemsOf(op, carried);
  if (failed(results))
    return failure();
  for (auto [r, item] : llvm::zip(op.getResults(), *results))
    bind(op, r, item);
  for (size_t j = 0; j < numScan; ++j) {
    if (scans[j].empty())
      return op.emitOpError() << "scan output #" << j << " of a loop unrolled to no iterations";
    auto concat = onnx::ConcatOp::create(b, loc, op.getResult(numCarried + j).getType(), scans[j],
                                         b.getI64IntegerAttr(0));
    (void)cast<onnx::ShapeInferenceOpInterface>(concat.getOperation()).inferShapes();
    replace(op, op.getResult(numCarried + j), concat);
  }
  dead.insert(op);
  return success();
}

LogicalResult Flattener::boundedLoop(onnx::LoopOp op, int64_t first, std::optional<int64_t> trips,
                                     ArrayRef<Value> carried, Value cond) {
  Location loc = op.getLoc();
  if (op.getNumResults() != carried.size())
    return op.emitOpError() << "carries sequences or optionals and has scan outputs, while its "
                               "trip count or condition is a run-time value: not supported";
  int64_t bound = trips ? *trips : loopBound;
  if (bound <= 0)
    return op.emitOpError() << "carries sequences or optionals and its trip count or condition is "
                               "a run-time value: it is unrolled, and --loop-bound=N must give "
                               "the most iterations a run may take (a run needing more fails)";
  if (bound - first > kMaxUnroll)
    return op.emitOpError() << "carries sequences or optionals and may run more than "
                            << kMaxUnroll << " iterations: too many to unroll";
  auto bt = RankedTensorType::get({}, b.getI1Type());
  auto scalarBool = [&](Value v) -> FailureOr<Value> {
    auto t = dyn_cast<RankedTensorType>(v.getType());
    if (t && t.getRank() == 0)
      return v;
    if (!t || !t.hasStaticShape() || t.getNumElements() != 1)
      return op.emitOpError() << "has a condition of type " << v.getType() << ", not one boolean";
    return Value(onnx::ReshapeOp::create(b, loc, bt, v, onnx::createI64Constant(b, loc, {}),
                                         b.getI64IntegerAttr(0)));
  };
  b.setInsertionPoint(op);
  Value m = trips || isNone(op.getM()) ? Value() : scalarIndex(loc, op.getM());
  auto cond0 = scalarBool(cond);
  if (failed(cond0))
    return failure();
  cond = *cond0;
  // `state`: the values entering iteration i, had every iteration so far run
  // (what the body sees); `merged`: the loop's results so far, whose
  // structure covers every trip count up to i.
  auto initial = itemsOf(op, carried);
  if (failed(initial))
    return failure();
  std::vector<Item> state = *initial, merged = *initial;
  Block &body = op.getBody().front();
  auto activeAt = [&](int64_t i) {
    if (!m)
      return cond;
    return Value(onnx::AndOp::create(b, loc, bt, onnx::LessOp::create(b, loc, bt, scalarI64(loc, i), m),
                                     cond));
  };
  // One If per iteration, in sequence (nesting them makes bufferization
  // exponential in the depth): it runs the body if the iteration happens,
  // else yields zeros for the state (no later iteration reads them) and
  // the results so far.
  for (int64_t i = first; i < bound; ++i) {
    b.setInsertionPoint(op);
    Value active = activeAt(i);
    onnx::IfOp holder = holderIf(loc, active);
    Block *thenBlock = &holder.getThenBranch().front(), *elseBlock = &holder.getElseBranch().front();
    b.setInsertionPointToStart(thenBlock);
    IRMapping map;
    map.map(body.getArgument(0), scalarI64(loc, i));
    map.map(body.getArgument(1), cond);
    for (auto [k, item] : llvm::enumerate(state))
      mapArgument(map, body.getArgument(2 + k), item);
    auto yielded = inlineBody(body, map);
    if (failed(yielded))
      return failure();
    auto condOut = scalarBool(yielded->front());
    if (failed(condOut))
      return failure();
    Operation *thenTerm = onnx::YieldOp::create(b, loc, ValueRange{});
    b.setInsertionPointToStart(elseBlock);
    Operation *elseTerm = onnx::YieldOp::create(b, loc, ValueRange{});
    // What enters this iteration and the results so far agree whenever it
    // runs: a value the body leaves as it was keeps its result leaf.
    DenseMap<Value, SmallVector<Value, 1>> unchanged;
    for (auto [p, r] : llvm::zip(state, merged))
      matchLeaves(p, r, unchanged);
    // Leaves: then / else values, or the value to use without yielding it.
    SmallVector<Value> thenLeaves{*condOut}, elseLeaves, kept{Value()};
    b.setInsertionPoint(elseTerm);
    elseLeaves.push_back(onnx::createConstant(b, loc, DenseElementsAttr::get(bt, false)));
    auto next = itemsOf(op, ArrayRef(*yielded).drop_front());
    if (failed(next))
      return failure();
    for (auto [k, item] : llvm::enumerate(*next)) {
      auto zeros = zerosLike(item, elseTerm);
      if (failed(zeros))
        return op.emitOpError() << "carries value #" << k << " whose type is not static after "
                                << "iteration " << i << ": " << item.describe();
      SmallVector<Value> t, e;
      item.leaves(t);
      zeros->leaves(e);
      for (auto [tv, ev] : llvm::zip(t, e)) {
        // Only the next iteration reads the state, and only if this one ran.
        bool outside = tv.getParentBlock() != thenBlock;
        thenLeaves.push_back(tv);
        elseLeaves.push_back(ev);
        kept.push_back(outside ? tv : Value());
      }
    }
    std::vector<Item> mThen = *next, mElse = merged;
    for (auto [k, t, e] : llvm::enumerate(mThen, mElse)) {
      unify(t, thenTerm, e, elseTerm);
      if (!t.sameStructure(e))
        return op.emitOpError() << "carries value #" << k << " that is " << t.describe()
                                << " after iteration " << i << " and " << e.describe()
                                << " before it; onnxc unrolls the loop and needs one structure";
      SmallVector<Value> tl, el;
      t.leaves(tl);
      e.leaves(el);
      for (auto [tv, ev] : llvm::zip(tl, el)) {
        thenLeaves.push_back(tv);
        elseLeaves.push_back(ev);
        kept.push_back(llvm::is_contained(unchanged.lookup(tv), ev) ? ev : Value());
      }
    }
    for (auto [t, e] : llvm::zip(thenLeaves, elseLeaves))
      if (t.getType() != e.getType())
        return op.emitOpError() << "carries a value of type " << e.getType() << " before iteration " << i
                                << " and " << t.getType() << " after it: unrolled, it needs one type";
    SmallVector<Value> leaves = finishIf(holder, thenLeaves, elseLeaves, kept);
    ValueRange rest(leaves);
    cond = rest.front();
    rest = rest.drop_front();
    for (auto [k, item] : llvm::enumerate(*next))
      state[k] = item.rebuild(rest);
    for (auto [k, item] : llvm::enumerate(mThen))
      merged[k] = item.rebuild(rest);
  }
  b.setInsertionPoint(op);
  if (!trips)
    onnx::CheckOp::create(b, loc, onnx::NotOp::create(b, loc, bt, activeAt(bound)),
                          "Loop: the run needs more iterations than --loop-bound=" + std::to_string(bound));
  for (auto [r, item] : llvm::zip(op.getResults(), merged))
    bind(op, r, item);
  dead.insert(op);
  return success();
}

LogicalResult Flattener::inlineTaken(onnx::IfOp op, bool cond) {
  Block &taken = (cond ? op.getThenBranch() : op.getElseBranch()).front();
  IRMapping map;
  auto yielded = inlineBody(taken, map);
  if (failed(yielded))
    return failure();
  auto results = itemsOf(op, *yielded);
  if (failed(results))
    return failure();
  for (auto [r, item] : llvm::zip(op.getResults(), *results))
    bind(op, r, item);
  dead.insert(op);
  return success();
}

FailureOr<Item> Flattener::zerosLike(const Item &item, Operation *before) {
  SmallVector<Value> leaves;
  item.leaves(leaves);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(before);
  SmallVector<Value> zeros;
  for (Value v : leaves) {
    auto rt = dyn_cast<RankedTensorType>(v.getType());
    if (!rt || !rt.hasStaticShape())
      return failure();
    zeros.push_back(onnx::createConstant(b, before->getLoc(),
                                         DenseElementsAttr::get(rt, b.getZeroAttr(rt.getElementType()))));
  }
  ValueRange next(zeros);
  return item.rebuild(next);
}

void Flattener::unify(Item &t, Operation *tTerm, Item &e, Operation *eTerm, bool nested) {
  OpBuilder::InsertionGuard guard(b);
  auto flagType = RankedTensorType::get({}, b.getI1Type());
  auto constant = [&](Operation *before, Attribute value) {
    b.setInsertionPoint(before);
    return Value(onnx::createConstant(b, before->getLoc(), cast<DenseElementsAttr>(value)));
  };
  // A plain value where the other branch yields an optional: present.
  if (t.kind == Item::Opt && e.kind != Item::Opt)
    e = Item::opt(t.type, {e});
  if (e.kind == Item::Opt && t.kind != Item::Opt)
    t = Item::opt(e.type, {t});
  if (t.kind == Item::Opt && e.kind == Item::Opt) {
    if (t.elems.empty() && e.elems.empty())
      return;
    if (t.elems.empty() != e.elems.empty()) {
      // Absent in one branch: a run-time flag, zeros for the payload.
      bool thenPresent = !t.elems.empty();
      Item &present = thenPresent ? t : e, &absent = thenPresent ? e : t;
      Operation *presentTerm = thenPresent ? tTerm : eTerm, *absentTerm = thenPresent ? eTerm : tTerm;
      auto zeros = zerosLike(present.elems.front(), absentTerm);
      if (failed(zeros))
        return; // reported as a structure mismatch
      absent.elems = {*zeros};
      absent.flag = constant(absentTerm, DenseElementsAttr::get(flagType, false));
      if (!present.flag)
        present.flag = constant(presentTerm, DenseElementsAttr::get(flagType, true));
      return;
    }
    if (bool(t.flag) != bool(e.flag))
      (t.flag ? e : t).flag =
          constant(t.flag ? eTerm : tTerm, DenseElementsAttr::get(flagType, true));
    unify(t.elems.front(), tTerm, e.elems.front(), eTerm, /*nested=*/true);
    return;
  }
  if (nested && t.isTensorLike() && e.isTensorLike()) {
    // Elements of different shapes: each branch yields its values flat,
    // zero-padded to the larger, and its shape.
    auto capacity = raggedCapacity(t, e);
    if ((t.kind == Item::Tensor && e.kind == Item::Tensor && t.type == e.type) || !capacity)
      return;
    for (auto [item, term] : {std::pair<Item *, Operation *>{&t, tTerm}, {&e, eTerm}}) {
      b.setInsertionPoint(term);
      *item = toRagged(term->getLoc(), *item, *capacity);
    }
    return;
  }
  if (t.kind != Item::Seq || e.kind != Item::Seq)
    return;
  size_t common = std::min(t.elems.size(), e.elems.size());
  for (size_t k = 0; k < common; ++k)
    unify(t.elems[k], tTerm, e.elems[k], eTerm, /*nested=*/true);
  if (t.elems.size() == e.elems.size() && bool(t.length) == bool(e.length))
    return;
  // Lengths the branch decides: the shorter sequence takes zeros for the
  // longer one's slots past its end.
  bool thenLonger = t.elems.size() >= e.elems.size();
  Item &longer = thenLonger ? t : e, &shorter = thenLonger ? e : t;
  Operation *shorterTerm = thenLonger ? eTerm : tTerm;
  std::vector<Item> padded = shorter.elems;
  for (size_t k = common; k < longer.elems.size(); ++k) {
    auto zeros = zerosLike(longer.elems[k], shorterTerm);
    if (failed(zeros))
      return;
    padded.push_back(*zeros);
  }
  auto lengthType = RankedTensorType::get({}, b.getI64Type());
  for (auto [item, term] : {std::pair<Item *, Operation *>{&t, tTerm}, {&e, eTerm}})
    if (!item->length)
      item->length = constant(term, DenseElementsAttr::get(lengthType, int64_t(item->elems.size())));
  shorter.elems = std::move(padded);
}

LogicalResult Flattener::visitIf(onnx::IfOp op) {
  SmallVector<std::vector<Item>> branchItems;
  for (Region *r : {&op.getThenBranch(), &op.getElseBranch()}) {
    if (failed(visitBlock(r->front())))
      return failure();
    auto yielded = itemsOf(op, r->front().getTerminator()->getOperands());
    if (failed(yielded))
      return failure();
    branchItems.push_back(std::move(*yielded));
  }
  for (auto [t, e] : llvm::zip(branchItems[0], branchItems[1]))
    unify(t, op.getThenBranch().front().getTerminator(), e,
          op.getElseBranch().front().getTerminator());
  SmallVector<Value> thenLeaves, elseLeaves;
  for (auto [k, t, e] : llvm::enumerate(branchItems[0], branchItems[1])) {
    if (!t.sameStructure(e))
      return op.emitOpError() << "result #" << k << " is " << t.describe()
                              << " in the then branch and " << e.describe()
                              << " in the else branch; onnxc fixes the structure of "
                                 "sequences and optionals at compile time";
    t.leaves(thenLeaves);
    e.leaves(elseLeaves);
  }
  SmallVector<Type> types;
  for (auto [t, e] : llvm::zip(thenLeaves, elseLeaves))
    types.push_back(t.getType() == e.getType()
                        ? t.getType()
                        : UnrankedTensorType::get(getElementTypeOrNull(t)));
  b.setInsertionPoint(op);
  auto flat = onnx::IfOp::create(b, op.getLoc(), types, op.getCond());
  flat.getThenBranch().takeBody(op.getThenBranch());
  flat.getElseBranch().takeBody(op.getElseBranch());
  for (auto [r, leaves] :
       {std::pair{&flat.getThenBranch(), &thenLeaves}, {&flat.getElseBranch(), &elseLeaves}}) {
    Operation *term = r->front().getTerminator();
    b.setInsertionPoint(term);
    onnx::YieldOp::create(b, term->getLoc(), *leaves);
    term->erase();
  }
  (void)cast<onnx::ShapeInferenceOpInterface>(flat.getOperation()).inferShapes();
  ValueRange next = flat.getResults();
  for (auto [r, t] : llvm::zip(op.getResults(), branchItems[0]))
    bind(op, r, t.rebuild(next));
  dead.insert(op);
  return success();
}

onnx::IfOp Flattener::holderIf(Location loc, Value cond) {
  auto holder = onnx::IfOp::create(b, loc, TypeRange{}, cond);
  holder.getThenBranch().push_back(new Block());
  holder.getElseBranch().push_back(new Block());
  dead.insert(holder);
  return holder;
}

SmallVector<Value> Flattener::finishIf(onnx::IfOp holder, ArrayRef<Value> thenLeaves,
                                       ArrayRef<Value> elseLeaves, ArrayRef<Value> kept) {
  SmallVector<Type> types;
  SmallVector<Value> thenYield, elseYield;
  for (auto [k, t, e] : llvm::enumerate(thenLeaves, elseLeaves)) {
    if (!kept.empty() && kept[k])
      continue;
    types.push_back(t.getType());
    thenYield.push_back(t);
    elseYield.push_back(e);
  }
  holder.getThenBranch().front().getTerminator()->setOperands(thenYield);
  holder.getElseBranch().front().getTerminator()->setOperands(elseYield);
  b.setInsertionPoint(holder);
  auto flat = onnx::IfOp::create(b, holder.getLoc(), types, holder.getCond());
  flat.getThenBranch().takeBody(holder.getThenBranch());
  flat.getElseBranch().takeBody(holder.getElseBranch());
  b.setInsertionPointAfter(flat);
  SmallVector<Value> leaves;
  auto result = flat.getResults().begin();
  for (size_t k = 0; k < thenLeaves.size(); ++k)
    leaves.push_back(!kept.empty() && kept[k] ? kept[k] : *result++);
  return leaves;
}

FailureOr<std::vector<Item>>
Flattener::guarded(Operation *op, Value cond, function_ref<FailureOr<std::vector<Item>>()> build) {
  Location loc = op->getLoc();
  onnx::IfOp holder = holderIf(loc, cond);
  Block *thenBlock = &holder.getThenBranch().front(), *elseBlock = &holder.getElseBranch().front();
  b.setInsertionPointToStart(thenBlock);
  auto built = build();
  if (failed(built))
    return failure();
  onnx::YieldOp::create(b, loc, ValueRange{});
  b.setInsertionPointToStart(elseBlock);
  Operation *elseTerm = onnx::YieldOp::create(b, loc, ValueRange{});
  SmallVector<Value> thenLeaves, elseLeaves;
  for (const Item &item : *built) {
    auto zeros = zerosLike(item, elseTerm);
    if (failed(zeros))
      return op->emitOpError() << "yields " << item.describe() << " without a static type";
    item.leaves(thenLeaves);
    zeros->leaves(elseLeaves);
  }
  SmallVector<Value> leaves = finishIf(holder, thenLeaves, elseLeaves);
  ValueRange rest(leaves);
  std::vector<Item> out;
  for (const Item &item : *built)
    out.push_back(item.rebuild(rest));
  return out;
}

LogicalResult Flattener::visitSequenceMap(onnx::SequenceMapOp op) {
  Location loc = op.getLoc();
  SmallVector<Value> inputs{op.getInputSequence()};
  llvm::append_range(inputs, op.getAdditionalInputs());
  SmallVector<std::optional<Item>> seqs;
  int64_t n = -1;
  Value length; // the run-time length of the mapped sequences, if any
  for (Value v : inputs) {
    seqs.emplace_back();
    if (!isa<onnx::SeqType>(v.getType()))
      continue;
    auto seq = seqOf(op, v);
    if (failed(seq))
      return failure();
    int64_t slots = seq->elems.size();
    if (!seq->length && !length && n >= 0 && slots != n)
      return op.emitOpError() << "maps sequences of different lengths (" << n << ", " << slots << ")";
    if (seq->length || length) {
      // The run checks that the lengths agree.
      if (n >= 0) {
        Value first = length ? length : scalarI64(loc, n);
        auto bt = RankedTensorType::get({}, b.getI1Type());
        onnx::CheckOp::create(b, loc, onnx::EqualOp::create(b, loc, bt, first, lengthOf(loc, *seq)),
                              "SequenceMap: the sequences' lengths differ");
      }
      if (!length)
        length = seq->length ? seq->length : scalarI64(loc, slots);
    }
    n = n < 0 ? slots : std::min(n, slots);
    seqs.back() = std::move(*seq);
  }
  Block &body = op.getBody().front();
  std::vector<std::vector<Item>> outs(op.getNumResults());
  for (int64_t i = 0; i < n; ++i) {
    auto mapOne = [&]() -> FailureOr<std::vector<Item>> {
      IRMapping map;
      for (auto [arg, v, s] : llvm::zip(body.getArguments(), inputs, seqs)) {
        if (!s) {
          map.map(arg, v);
          continue;
        }
        const Item &e = s->elems[i];
        if (e.kind == Item::Ragged)
          return op.emitOpError() << "maps " << e.describe();
        mapArgument(map, arg, e);
      }
      auto yielded = inlineBody(body, map);
      if (failed(yielded))
        return failure();
      return itemsOf(op, *yielded);
    };
    b.setInsertionPoint(op);
    // Past a run-time length the slots hold zeros: the body runs only on
    // elements that exist (it may check their values).
    FailureOr<std::vector<Item>> mapped =
        length ? guarded(op, compare(loc, true, i, length), mapOne) : mapOne();
    if (failed(mapped))
      return failure();
    for (auto [j, item] : llvm::enumerate(*mapped))
      outs[j].push_back(item);
  }
  for (auto [r, elems] : llvm::zip(op.getResults(), outs)) {
    Item seq = Item::seq(r.getType(), std::move(elems));
    seq.length = length;
    define(op, r, seq);
  }
  dead.insert(op);
  return success();
}

} // namespace onnxc::flatten
