//===- Recurrent.cpp - onnx RNN/GRU/LSTM: shapes --------------------------===//
//
// X is [seq, batch, input] (layout 0) or [batch, seq, input] (layout 1);
// Y is [seq, dirs, batch, hidden] or [batch, seq, dirs, hidden]; Y_h and
// Y_c are [dirs, batch, hidden] or [batch, dirs, hidden].
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

using namespace mlir;

namespace onnxc::onnx {

template <typename OpTy>
static LogicalResult inferRecurrent(OpTy op, int64_t gates) {
  auto x = getShape(op.getX()), w = getShape(op.getW()), r = getShape(op.getR());
  Type elem = getElementTypeOrNull(op.getX());
  StringRef dir = op.getDirection();
  if (dir != "forward" && dir != "reverse" && dir != "bidirectional")
    return op.emitOpError() << "unknown direction '" << dir << "'";
  int64_t dirs = dir == "bidirectional" ? 2 : 1;
  int64_t layout = int64_t(op.getLayout());
  if (layout != 0 && layout != 1)
    return op.emitOpError() << "'layout' must be 0 or 1, got " << layout;
  if (!x || x->size() != 3)
    return x ? op.emitOpError("X must have rank 3") : success();
  if (w && (w->size() != 3 || ((*w)[0] != kDyn && (*w)[0] != dirs)))
    return op.emitOpError() << "W must be [" << dirs << ", " << gates << "*hidden, input]";
  int64_t hidden = kDyn;
  if (auto h = op.getHiddenSize())
    hidden = int64_t(*h);
  else if (r && r->size() == 3)
    hidden = (*r)[2];
  if (w && hidden != kDyn && (*w)[1] != kDyn && (*w)[1] != gates * hidden)
    return op.emitOpError() << "W has " << (*w)[1] << " rows, expected " << gates << " x hidden_size "
                            << hidden;
  int64_t seq = layout ? (*x)[1] : (*x)[0], batch = layout ? (*x)[0] : (*x)[1];
  Shape y = layout ? Shape{batch, seq, dirs, hidden} : Shape{seq, dirs, batch, hidden};
  Shape yh = layout ? Shape{batch, dirs, hidden} : Shape{dirs, batch, hidden};
  for (unsigned i = 0; i < op->getNumResults(); ++i)
    if (!isa<NoneType>(op->getResult(i).getType()))
      setResultType(op, i, i == 0 ? ArrayRef<int64_t>(y) : ArrayRef<int64_t>(yh), elem);
  return success();
}

LogicalResult RNNOp::inferShapes() { return inferRecurrent(*this, 1); }
LogicalResult GRUOp::inferShapes() { return inferRecurrent(*this, 3); }
LogicalResult LSTMOp::inferShapes() { return inferRecurrent(*this, 4); }

} // namespace onnxc::onnx
