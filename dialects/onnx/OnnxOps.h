//===- OnnxOps.h - onnx ops -----------------------------------*- C++ -*-===//
#ifndef ONNXC_DIALECTS_ONNX_ONNXOPS_H
#define ONNXC_DIALECTS_ONNX_ONNXOPS_H

#include "dialects/onnx/DataType.h"
#include "dialects/onnx/OnnxDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <vector>

#include "dialects/onnx/OnnxInterfaces.h.inc"

namespace onnxc::onnx::OpTrait {
/// The result has operand 0's shape.
template <typename ConcreteOp>
class ShapeOfOperand0 : public mlir::OpTrait::TraitBase<ConcreteOp, ShapeOfOperand0> {};
/// Every operand broadcasts (numpy rules) to the result's shape.
template <typename ConcreteOp>
class BroadcastsOperands : public mlir::OpTrait::TraitBase<ConcreteOp, BroadcastsOperands> {};
} // namespace onnxc::onnx::OpTrait

#define GET_OP_CLASSES
#include "dialects/onnx/OnnxOps.h.inc"

namespace onnxc::onnx {
/// onnx.Constant in its canonical form (the `value` attribute only).
ConstantOp createConstant(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::ElementsAttr value);

/// A 1-D i64 constant (shapes, axes, pads).
ConstantOp createI64Constant(mlir::OpBuilder &b, mlir::Location loc,
                             llvm::ArrayRef<int64_t> values);

/// The onnx op named `name` ("onnx.Reshape"...) with one result of `type`,
/// built generically: for code that rewrites ONNX nodes into other nodes
/// (importer upgrades, Gradient, Attention).
mlir::Value createOp(mlir::OpBuilder &b, mlir::Location loc, llvm::StringRef name,
                     mlir::ValueRange operands, mlir::Type type,
                     llvm::ArrayRef<mlir::NamedAttribute> attrs = {});

/// The values of an f32 elements attribute, dense or a resource blob (how
/// the importer keeps large weights), or failure.
mlir::FailureOr<std::vector<float>> readF32Elements(mlir::ElementsAttr value);
} // namespace onnxc::onnx

#endif
