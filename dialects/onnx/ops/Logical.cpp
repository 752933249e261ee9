//===- Logical.cpp - onnx logical ops: shapes -----------------------------===//
//
// Comparisons broadcast and yield i1; boolean ops broadcast their operands.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

using namespace mlir;

namespace onnxc::onnx {

static LogicalResult inferBroadcastBool(Operation *op) {
  std::optional<Shape> shape = Shape{};
  for (Value v : op->getOperands()) {
    auto s = getShape(v);
    if (!s) {
      shape.reset();
      break;
    }
    shape = broadcastShapes(*shape, *s);
    if (!shape)
      return op->emitOpError("operands are not broadcast-compatible");
  }
  setResultType(op, 0, shape, IntegerType::get(op->getContext(), 1));
  return success();
}

LogicalResult EqualOp::inferShapes() { return inferBroadcastBool(*this); }
LogicalResult GreaterOp::inferShapes() { return inferBroadcastBool(*this); }
LogicalResult LessOp::inferShapes() { return inferBroadcastBool(*this); }
LogicalResult AndOp::inferShapes() { return inferBroadcastBool(*this); }
LogicalResult OrOp::inferShapes() { return inferBroadcastBool(*this); }
LogicalResult XorOp::inferShapes() { return inferBroadcastBool(*this); }
LogicalResult NotOp::inferShapes() {
  setResultType(*this, 0, getShape(getX()), getElementTypeOrNull(getX()));
  return success();
}

} // namespace onnxc::onnx
