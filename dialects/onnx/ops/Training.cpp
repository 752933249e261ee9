//===- Training.cpp - ai.onnx.preview.training optimizers: shapes ----------===//
//
// Adagrad, Momentum and Adam take (R, T, X1..Xn, G1..Gn, then one or two
// more state blocks) and return the new X1..Xn followed by the new states:
// output j has the shape of the input it replaces (the G block is skipped).
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

using namespace mlir;

namespace onnxc::onnx {

static LogicalResult inferOptimizer(Operation *op, unsigned blocks) {
  unsigned numTensors = op->getNumOperands() - 2;
  if (numTensors % blocks != 0)
    return op->emitOpError() << "expects " << blocks << " groups of equally many tensors after R and T, got "
                             << numTensors << " tensors";
  unsigned n = numTensors / blocks;
  if (op->getNumResults() != n * (blocks - 1))
    return op->emitOpError() << "returns " << op->getNumResults() << " tensors for " << n
                             << " parameters, expected " << n * (blocks - 1);
  for (unsigned j = 0; j < op->getNumResults(); ++j) {
    Value in = op->getOperand(j < n ? 2 + j : 2 + n + j);
    setResultType(op, j, getShape(in), getElementTypeOrNull(in));
  }
  return success();
}

LogicalResult AdagradOp::inferShapes() { return inferOptimizer(*this, 3); }
LogicalResult MomentumOp::inferShapes() { return inferOptimizer(*this, 3); }
LogicalResult AdamOp::inferShapes() { return inferOptimizer(*this, 4); }

} // namespace onnxc::onnx
