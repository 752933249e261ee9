//===- Generator.cpp - onnx generator ops: shapes -------------------------===//
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

} // namespace onnxc::onnx
