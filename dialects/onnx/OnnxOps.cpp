//===- OnnxOps.cpp - onnx op definitions and folders ----------------------===//
//
// Generated op definitions; per-op shape functions and verifiers live in
// ops/<Category>.cpp.
//
//===----------------------------------------------------------------------===//
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/OpImplementation.h"

#include <cstring>

using namespace mlir;
using namespace onnxc::onnx;

#define GET_OP_CLASSES
#include "dialects/onnx/OnnxOps.cpp.inc"

OpFoldResult NoValueOp::fold(FoldAdaptor) { return UnitAttr::get(getContext()); }

OpFoldResult ConstantOp::fold(FoldAdaptor) {
  if (auto v = getValue())
    return *v;
  return {};
}

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

ConstantOp onnxc::onnx::createConstant(OpBuilder &b, Location loc,
                                       ElementsAttr value) {
  return ConstantOp::create(b, loc, value.getType(), Attribute(), value,
                            FloatAttr(), DenseF32ArrayAttr(), IntegerAttr(),
                            DenseI64ArrayAttr(), StringAttr(), ArrayAttr());
}

ConstantOp onnxc::onnx::createI64Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({int64_t(values.size())}, b.getI64Type());
  return createConstant(b, loc, DenseElementsAttr::get(type, values));
}

Value onnxc::onnx::createOp(OpBuilder &b, Location loc, StringRef name, ValueRange operands,
                            Type type, ArrayRef<NamedAttribute> attrs) {
  OperationState state(loc, name);
  state.addOperands(operands);
  state.addTypes(type);
  state.addAttributes(attrs);
  return b.create(state)->getResult(0);
}

FailureOr<std::vector<float>> onnxc::onnx::readF32Elements(ElementsAttr value) {
  if (!value.getElementType().isF32())
    return failure();
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto res = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = res.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != size_t(value.getNumElements()) * sizeof(float))
      return failure();
    std::vector<float> out(size_t(value.getNumElements()));
    std::memcpy(out.data(), blob->getData().data(), out.size() * sizeof(float));
    return out;
  }
  return failure();
}
