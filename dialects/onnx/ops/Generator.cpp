//===- Generator.cpp - onnx generator ops: shapes -------------------------===//
//
// Constants and random generators: shapes from attributes or the input,
// element types from `dtype` where the op has one.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/DataType.h"
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

using namespace mlir;

namespace onnxc::onnx {

LogicalResult ConstantOp::inferShapes() {
  // The importer normalises value_float/value_ints/... into `value`.
  if (!getValue())
    return emitOpError("only the 'value' form is supported after import");
  getResult().setType(cast<TensorType>(getValue()->getType()));
  return success();
}

LogicalResult ConstantOfShapeOp::inferShapes() {
  Type elem = Float32Type::get(getContext());
  if (auto v = getValue())
    elem = cast<ShapedType>(v->getType()).getElementType();
  if (auto dims = getConstantInts(getInput())) {
    for (int64_t d : *dims)
      if (d < 0)
        return emitOpError() << "negative dim " << d;
    setResultType(*this, 0, ArrayRef<int64_t>(*dims), elem);
    return success();
  }
  auto s = getShape(getInput());
  if (s && s->size() == 1 && (*s)[0] != kDyn)
    setResultType(*this, 0, ArrayRef<int64_t>(Shape((*s)[0], kDyn)), elem);
  else
    setResultType(*this, 0, std::nullopt, elem);
  return success();
}

/// Element type of a random op: its `dtype` attribute, else `dflt`.
static FailureOr<Type> randomElementType(Operation *op, std::optional<int64_t> dtype, Type dflt) {
  if (!dtype)
    return dflt;
  Type t = getElementType(op->getContext(), *dtype);
  if (!t) {
    op->emitOpError() << "unknown dtype " << *dtype;
    return failure();
  }
  return t;
}

template <typename OpTy>
static LogicalResult inferRandom(OpTy op) {
  auto t = randomElementType(op, int64_t(op.getDtype()), Type());
  if (failed(t))
    return failure();
  setResultType(op, 0, op.getShape(), *t);
  return success();
}
LogicalResult RandomUniformOp::inferShapes() { return inferRandom(*this); }
LogicalResult RandomNormalOp::inferShapes() { return inferRandom(*this); }

template <typename OpTy>
static LogicalResult inferRandomLike(OpTy op) {
  std::optional<int64_t> dt;
  if (auto d = op.getDtype())
    dt = int64_t(*d);
  auto t = randomElementType(op, dt, getElementTypeOrNull(op.getInput()));
  if (failed(t))
    return failure();
  setResultType(op, 0, getShape(op.getInput()), *t);
  return success();
}
LogicalResult RandomUniformLikeOp::inferShapes() { return inferRandomLike(*this); }
LogicalResult RandomNormalLikeOp::inferShapes() { return inferRandomLike(*this); }
LogicalResult BernoulliOp::inferShapes() { return inferRandomLike(*this); }

} // namespace onnxc::onnx
