//===- Quantization.cpp - onnx (de)quantization ops: shapes ---------------===//
//
// QuantizeLinear/DequantizeLinear keep x's shape; the quantized type comes
// from the zero point (else output_dtype, else uint8), the dequantized one
// from the scale. DynamicQuantizeLinear also returns a scalar scale and zero
// point.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

using namespace mlir;

namespace onnxc::onnx {

/// Per-axis parameters are 1-D and as long as x's `axis` dim; per-tensor
/// ones are scalars (or 1-element 1-D tensors); blocked ones (opset 21,
/// block_size > 0) have x's shape with ceil(dim / block_size) at `axis`.
static LogicalResult verifyQuantParams(Operation *op, Value x, Value scale, Value zp,
                                       int64_t axis, int64_t block = 0) {
  auto xs = getShape(x), ss = getShape(scale);
  if (!xs || !ss)
    return success();
  if (block > 0) {
    auto a = normalizeAxis(axis, xs->size());
    if (!a || ss->size() != xs->size())
      return op->emitOpError() << "blocked scale must have x's rank " << xs->size() << " and a valid axis";
    for (size_t i = 0; i < xs->size(); ++i) {
      int64_t want = int64_t(i) == *a && (*xs)[i] != kDyn ? ((*xs)[i] + block - 1) / block : (*xs)[i];
      if ((*ss)[i] != kDyn && want != kDyn && (*ss)[i] != want)
        return op->emitOpError() << "blocked scale dim " << i << " is " << (*ss)[i] << ", expected " << want
                                 << " (block_size " << block << ")";
    }
  } else if (ss->size() > 1)
    return op->emitOpError() << "scale must be a scalar or 1-D, got rank " << ss->size();
  if (ss->size() == 1 && (*ss)[0] != 1) {
    auto a = normalizeAxis(axis, xs->size());
    if (!a)
      return op->emitOpError() << "'axis' " << axis << " out of range for rank " << xs->size();
    if ((*ss)[0] != kDyn && (*xs)[*a] != kDyn && (*ss)[0] != (*xs)[*a])
      return op->emitOpError() << "per-axis scale has " << (*ss)[0] << " elements, axis " << *a
                               << " has " << (*xs)[*a];
  }
  if (!isNone(zp))
    if (auto zs = getShape(zp); zs && *zs != *ss)
      return op->emitOpError("zero point and scale shapes differ");
  return success();
}

LogicalResult QuantizeLinearOp::inferShapes() {
  if (failed(verifyQuantParams(*this, getX(), getYScale(), getYZeroPoint(), getAxis(), getBlockSize())))
    return failure();
  Type elem = isNone(getYZeroPoint())
                  ? (getOutputDtype() ? getElementType(getContext(), getOutputDtype())
                                      : IntegerType::get(getContext(), 8, IntegerType::Unsigned))
                  : getElementTypeOrNull(getYZeroPoint());
  if (!elem)
    return emitOpError() << "output_dtype " << getOutputDtype() << " is not a type onnxc knows";
  setResultType(*this, 0, getShape(getX()), elem);
  return success();
}

LogicalResult DequantizeLinearOp::inferShapes() {
  if (failed(verifyQuantParams(*this, getX(), getXScale(), getXZeroPoint(), getAxis(), getBlockSize())))
    return failure();
  Type elem = getElementTypeOrNull(getXScale());
  setResultType(*this, 0, getShape(getX()), elem ? elem : Float32Type::get(getContext()));
  return success();
}

LogicalResult DynamicQuantizeLinearOp::inferShapes() {
  auto u8 = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  setResultType(*this, 0, getShape(getX()), u8);
  setResultType(*this, 1, ArrayRef<int64_t>{}, Float32Type::get(getContext()));
  setResultType(*this, 2, ArrayRef<int64_t>{}, u8);
  return success();
}

} // namespace onnxc::onnx
