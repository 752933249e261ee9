//===- Upgrade.cpp - older ONNX encodings -> newest op form ---------------===//
//
// The dialect defines each op once, at its newest version. Older versions
// that differ only in where an operand lives (attribute vs input) are
// rewritten here, keyed by (op type, the version that moved it).
//
//===----------------------------------------------------------------------===//
#include "compiler/importer/Upgrade.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace onnxc {

namespace {
enum class As { I64Vector, I64Scalar1D, ElemScalar };

struct AttrToInput {
  const char *op;
  int movedAt; // first since_version that takes it as an input
  const char *attr;
  unsigned input;
  As as;
};

// ONNX Changelog.md, per op.
const AttrToInput kAttrToInput[] = {
    {"ReduceSum", 13, "axes", 1, As::I64Vector},
    {"ReduceL1", 18, "axes", 1, As::I64Vector},
    {"ReduceL2", 18, "axes", 1, As::I64Vector},
    {"ReduceLogSum", 18, "axes", 1, As::I64Vector},
    {"ReduceLogSumExp", 18, "axes", 1, As::I64Vector},
    {"ReduceMax", 18, "axes", 1, As::I64Vector},
    {"ReduceMean", 18, "axes", 1, As::I64Vector},
    {"ReduceMin", 18, "axes", 1, As::I64Vector},
    {"ReduceProd", 18, "axes", 1, As::I64Vector},
    {"ReduceSumSquare", 18, "axes", 1, As::I64Vector},
    {"Squeeze", 13, "axes", 1, As::I64Vector},
    {"Unsqueeze", 13, "axes", 1, As::I64Vector},
    {"Split", 13, "split", 1, As::I64Vector},
    {"Pad", 11, "pads", 1, As::I64Vector},
    {"Pad", 11, "value", 2, As::ElemScalar},
    {"Clip", 11, "min", 1, As::ElemScalar},
    {"Clip", 11, "max", 2, As::ElemScalar},
    {"Slice", 10, "starts", 1, As::I64Vector},
    {"Slice", 10, "ends", 2, As::I64Vector},
    {"Slice", 10, "axes", 3, As::I64Vector},
    {"TopK", 10, "k", 1, As::I64Scalar1D},
    {"Dropout", 12, "ratio", 1, As::ElemScalar},
};

// Attributes of old versions with no meaning in the newest one.
const char *kDropped[] = {"consumed_inputs", "is_test", "spatial"};

Value makeConstant(OpBuilder &b, Location loc, const proto::AttributeProto &a,
                   As as, Value like) {
  if (as == As::ElemScalar) {
    Type elem = b.getF32Type();
    if (auto t = like ? dyn_cast<TensorType>(like.getType()) : nullptr)
      elem = t.getElementType();
    auto type = RankedTensorType::get({}, elem);
    double v = a.has_f() ? a.f() : double(a.i());
    Attribute scalar = isa<FloatType>(elem)
                           ? Attribute(b.getFloatAttr(elem, v))
                           : Attribute(b.getIntegerAttr(elem, int64_t(v)));
    return onnx::createConstant(b, loc, DenseElementsAttr::get(type, scalar));
  }
  SmallVector<int64_t> values(a.ints().begin(), a.ints().end());
  if (as == As::I64Scalar1D)
    values = {a.i()};
  auto type = RankedTensorType::get({int64_t(values.size())}, b.getI64Type());
  return onnx::createConstant(b, loc,
                              DenseElementsAttr::get(type, ArrayRef(values)));
}
} // namespace

/// Reshapes B = inputs[1] so that numpy broadcasting aligns its dims at
/// `axis` of A, as the pre-opset-7 "legacy" broadcast did.
static void alignAtAxis(OpBuilder &b, Location loc, SmallVectorImpl<Value> &inputs,
                        int64_t axis) {
  if (inputs.size() < 2 || !inputs[0] || !inputs[1])
    return;
  auto at = dyn_cast<RankedTensorType>(inputs[0].getType());
  auto bt = dyn_cast<RankedTensorType>(inputs[1].getType());
  if (!at || !bt || !bt.hasStaticShape())
    return;
  int64_t ax = axis < 0 ? axis + at.getRank() : axis;
  SmallVector<int64_t> shape(bt.getShape());
  shape.append(std::max<int64_t>(0, at.getRank() - ax - bt.getRank()), 1);
  inputs[1] = onnx::createOp(b, loc, "onnx.Reshape", {inputs[1], onnx::createI64Constant(b, loc, shape)},
                             RankedTensorType::get(shape, bt.getElementType()),
                             {b.getNamedAttr("allowzero", b.getI64IntegerAttr(0))});
}

/// Before opset 7, binary ops broadcast B against A only when broadcast=1,
/// aligning B's dims at `axis` (default: trailing, numpy's rule).
static void upgradeLegacyBroadcast(OpBuilder &b, Location loc,
                                   SmallVectorImpl<Value> &inputs,
                                   SmallVectorImpl<const proto::AttributeProto *> &attrs) {
  std::optional<int64_t> axis;
  for (const auto *a : attrs)
    if (a->name() == "axis")
      axis = a->i();
  llvm::erase_if(attrs, [](const proto::AttributeProto *a) {
    return a->name() == "broadcast" || a->name() == "axis";
  });
  if (axis)
    alignAtAxis(b, loc, inputs, *axis);
}

/// GroupNormalization-18 scales and shifts per group ([G]); 21 per channel
/// ([C]): repeat each group's value over its C/G channels.
static void perGroupToPerChannel(OpBuilder &b, Location loc, SmallVectorImpl<Value> &inputs,
                                 ArrayRef<const proto::AttributeProto *> attrs) {
  int64_t groups = 0;
  for (const auto *a : attrs)
    if (a->name() == "num_groups")
      groups = a->i();
  auto xt = inputs.size() == 3 && inputs[0] ? dyn_cast<RankedTensorType>(inputs[0].getType()) : nullptr;
  if (!xt || xt.getRank() < 2 || xt.isDynamicDim(1) || groups <= 0 || xt.getDimSize(1) % groups != 0)
    return; // the op's verifier/lowering reports what is wrong
  int64_t c = xt.getDimSize(1);
  auto reshape = [&](Value v, ArrayRef<int64_t> shape, Type elem) {
    return onnx::createOp(b, loc, "onnx.Reshape", {v, onnx::createI64Constant(b, loc, shape)},
                          RankedTensorType::get(shape, elem),
                          {b.getNamedAttr("allowzero", b.getI64IntegerAttr(0))});
  };
  for (unsigned i : {1u, 2u}) {
    auto t = inputs[i] ? dyn_cast<RankedTensorType>(inputs[i].getType()) : nullptr;
    if (!t || t.getRank() != 1 || t.getDimSize(0) != groups)
      continue;
    Type elem = t.getElementType();
    Value v = reshape(inputs[i], {groups, 1}, elem);
    v = onnx::createOp(b, loc, "onnx.Expand", {v, onnx::createI64Constant(b, loc, {groups, c / groups})},
                       RankedTensorType::get({groups, c / groups}, elem));
    inputs[i] = reshape(v, {c}, elem);
  }
}

void upgradeNode(OpBuilder &b, Location loc, StringRef opType, int sinceVersion,
                 SmallVectorImpl<Value> &inputs,
                 SmallVectorImpl<const proto::AttributeProto *> &attrs) {
  if (sinceVersion < 7 &&
      llvm::is_contained({"Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor",
                          "Equal", "Greater", "Less"}, opType))
    upgradeLegacyBroadcast(b, loc, inputs, attrs);
  // Gemm before 7 had a `broadcast` flag; C broadcasts numpy-style since.
  if (opType == "Gemm" && sinceVersion < 7)
    llvm::erase_if(attrs, [](const proto::AttributeProto *a) { return a->name() == "broadcast"; });
  // PRelu before 7 applied a [C] slope along the channel dim (axis 1).
  if (opType == "PRelu" && sinceVersion < 7 && inputs.size() == 2 && inputs[0] && inputs[1]) {
    auto st = dyn_cast<RankedTensorType>(inputs[1].getType());
    auto xt = dyn_cast<RankedTensorType>(inputs[0].getType());
    if (st && xt && st.getRank() == 1 && xt.getRank() > 2)
      alignAtAxis(b, loc, inputs, /*axis=*/1);
  }
  if (opType == "GroupNormalization" && sinceVersion < 21)
    perGroupToPerChannel(b, loc, inputs, attrs);
  // DFT before 20: `axis` was an attribute defaulting to 1; since, an
  // optional scalar input defaulting to -2, so it always moves.
  if (opType == "DFT" && sinceVersion < 20) {
    int64_t axis = 1;
    for (auto it = attrs.begin(); it != attrs.end(); ++it)
      if ((*it)->name() == "axis") {
        axis = (*it)->i();
        attrs.erase(it);
        break;
      }
    inputs.resize(std::max<size_t>(inputs.size(), 3));
    inputs[2] = onnx::createConstant(
        b, loc, DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()), axis));
  }
  for (const AttrToInput &u : kAttrToInput) {
    if (opType != u.op || sinceVersion >= u.movedAt)
      continue;
    for (auto it = attrs.begin(); it != attrs.end(); ++it) {
      if ((*it)->name() != u.attr)
        continue;
      if (inputs.size() <= u.input)
        inputs.resize(u.input + 1);
      inputs[u.input] = makeConstant(b, loc, **it, u.as,
                                     inputs.empty() ? Value() : inputs[0]);
      attrs.erase(it);
      break;
    }
  }
  llvm::erase_if(attrs, [](const proto::AttributeProto *a) {
    return llvm::is_contained(kDropped, a->name());
  });
}

} // namespace onnxc
