//===- Reduction.cpp - onnx reduction ops: shapes -------------------------===//
//
// Reduce* take axes as an input (ReduceSum since 13, the others since 18;
// the importer turns older attributes into constants). Empty axes reduce
// everything unless noop_with_empty_axes.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

using namespace mlir;

namespace onnxc::onnx {

static LogicalResult inferReduce(Operation *op, Value data,
                                 std::optional<SmallVector<int64_t>> axes,
                                 bool axesKnown, bool keepdims, bool noopEmpty) {
  auto in = getShape(data);
  Type elem = getElementTypeOrNull(data);
  if (!in || !axesKnown) {
    if (in && keepdims)
      setResultType(op, 0, ArrayRef<int64_t>(Shape(in->size(), kDyn)), elem);
    else
      setResultType(op, 0, std::nullopt, elem);
    return success();
  }
  int64_t rank = in->size();
  SmallVector<bool> reduced(rank, false);
  if (!axes || axes->empty()) {
    if (!noopEmpty)
      reduced.assign(rank, true);
  } else {
    for (int64_t a : *axes) {
      auto axis = normalizeAxis(a, rank);
      if (!axis)
        return op->emitOpError() << "axis " << a << " out of range for rank " << rank;
      reduced[*axis] = true;
    }
  }
  Shape out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced[i])
      out.push_back((*in)[i]);
    else if (keepdims)
      out.push_back(1);
  }
  setResultType(op, 0, ArrayRef<int64_t>(out), elem);
  return success();
}

/// Axes from the input (a constant, or unknown until run time) or none.
template <typename OpTy>
static LogicalResult inferReduceInput(OpTy op) {
  std::optional<SmallVector<int64_t>> axes;
  bool known = true;
  if (!isNone(op.getAxes())) {
    axes = getConstantInts(op.getAxes());
    known = axes.has_value();
  }
  return inferReduce(op, op.getData(), axes, known, op.getKeepdims() != 0,
                     op.getNoopWithEmptyAxes() != 0);
}

LogicalResult ReduceSumOp::inferShapes() { return inferReduceInput(*this); }
LogicalResult ReduceMeanOp::inferShapes() { return inferReduceInput(*this); }
LogicalResult ReduceMaxOp::inferShapes() { return inferReduceInput(*this); }
LogicalResult ReduceMinOp::inferShapes() { return inferReduceInput(*this); }
LogicalResult ReduceProdOp::inferShapes() { return inferReduceInput(*this); }
LogicalResult ReduceL1Op::inferShapes() { return inferReduceInput(*this); }
LogicalResult ReduceL2Op::inferShapes() { return inferReduceInput(*this); }
LogicalResult ReduceLogSumOp::inferShapes() { return inferReduceInput(*this); }
LogicalResult ReduceLogSumExpOp::inferShapes() { return inferReduceInput(*this); }
LogicalResult ReduceSumSquareOp::inferShapes() { return inferReduceInput(*this); }

/// ArgMax/ArgMin: one axis, int64 indices.
template <typename OpTy>
static LogicalResult inferArgReduce(OpTy op) {
  auto in = getShape(op.getData());
  Type i64 = IntegerType::get(op.getContext(), 64);
  if (!in) {
    setResultType(op, 0, std::nullopt, i64);
    return success();
  }
  auto axis = normalizeAxis(int64_t(op.getAxis()), in->size());
  if (!axis)
    return op.emitOpError() << "'axis' " << int64_t(op.getAxis())
                            << " out of range for rank " << in->size();
  Shape out = *in;
  if (op.getKeepdims())
    out[*axis] = 1;
  else
    out.erase(out.begin() + *axis);
  setResultType(op, 0, ArrayRef<int64_t>(out), i64);
  return success();
}
LogicalResult ArgMaxOp::inferShapes() { return inferArgReduce(*this); }
LogicalResult ArgMinOp::inferShapes() { return inferArgReduce(*this); }

} // namespace onnxc::onnx
