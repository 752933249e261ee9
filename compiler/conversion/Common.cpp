//===- Common.cpp - helpers shared by the onnx -> linalg patterns ---------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "compiler/conversion/RuntimeCheck.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"

using namespace mlir;

namespace onnxc::conversion {

Value scalarConstant(OpBuilder &b, Location loc, Type elem, double value) {
  if (isa<FloatType>(elem))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(elem, value));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(elem, int64_t(value)));
}

Value emptyLike(OpBuilder &b, Location loc, RankedTensorType type, Value like) {
  SmallVector<Value> dyn;
  for (auto [i, d] : llvm::enumerate(type.getShape()))
    if (ShapedType::isDynamic(d))
      dyn.push_back(tensor::DimOp::create(b, loc, like, i));
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType(), dyn);
}

Value filled(OpBuilder &b, Location loc, RankedTensorType type, Value like,
             double value) {
  Value init = emptyLike(b, loc, type, like);
  Value c = scalarConstant(b, loc, type.getElementType(), value);
  return linalg::FillOp::create(b, loc, c, init).getResult(0);
}

Value wrapIndex(OpBuilder &b, Location loc, Value raw, Value data, int64_t dim) {
  Value k = arith::IndexCastOp::create(b, loc, b.getIndexType(), raw);
  Value size = tensor::DimOp::create(b, loc, data, dim);
  Value neg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, k,
                                    arith::ConstantIndexOp::create(b, loc, 0));
  return arith::SelectOp::create(b, loc, neg, arith::AddIOp::create(b, loc, k, size), k);
}

Value generateTensor(OpBuilder &b, Location loc, RankedTensorType type, ValueRange dynSizes,
                     function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  int64_t rank = type.getRank();
  Value init = tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType(), dynSizes);
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  return linalg::GenericOp::create(b, loc, TypeRange{type}, ValueRange{}, ValueRange{init},
                                   ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank)}, iters,
                                   [&](OpBuilder &nb, Location l, ValueRange) {
                                     SmallVector<Value> ivs;
                                     for (int64_t i = 0; i < rank; ++i)
                                       ivs.push_back(linalg::IndexOp::create(nb, l, i));
                                     linalg::YieldOp::create(nb, l, body(nb, l, ivs));
                                   })
      .getResult(0);
}

Value firstElement(OpBuilder &b, Location loc, Value tensor) {
  auto t = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> zeros(t.getRank(), arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, tensor, zeros);
}

SmallVector<Value> forLoop(OpBuilder &b, Location loc, Value lo, Value hi, ValueRange init,
                           function_ref<SmallVector<Value>(OpBuilder &, Location, Value, ValueRange)> body) {
  auto loop = scf::ForOp::create(b, loc, lo, hi, arith::ConstantIndexOp::create(b, loc, 1), init,
                                 [&](OpBuilder &nb, Location nl, Value iv, ValueRange carried) {
                                   scf::YieldOp::create(nb, nl, body(nb, nl, iv, carried));
                                 });
  return SmallVector<Value>(loop.getResults());
}

FailureOr<RankedTensorType> declaredResult(Operation *op, unsigned i) {
  auto t = dyn_cast<RankedTensorType>(op->getResult(i).getType());
  if (t && t.hasStaticShape())
    return t;
  op->emitOpError() << "result #" << i
                    << " has a shape that depends on input values: the model must declare it "
                       "(graph output or value_info) for onnxc to compile it";
  return failure();
}

Value cIdx(OpBuilder &b, Location l, int64_t v) { return arith::ConstantIndexOp::create(b, l, v); }

void declareFunction(OpBuilder &b, Location loc, StringRef name, FunctionType type) {
  auto module = b.getInsertionBlock()->getParentOp()->getParentOfType<ModuleOp>();
  if (module.lookupSymbol(name))
    return;
  OpBuilder::InsertionGuard g(b);
  b.setInsertionPointToStart(module.getBody());
  func::FuncOp::create(b, loc, name, type).setPrivate();
}

void emitRuntimeCheck(OpBuilder &b, Location loc, Value ok) {
  declareFunction(b, loc, kRuntimeCheckCallee, b.getFunctionType({b.getI1Type()}, {}));
  func::CallOp::create(b, loc, kRuntimeCheckCallee, TypeRange{}, ValueRange{ok});
}

bool isUnsignedOperand(Operation *op, unsigned i) {
  auto flags = op->getAttrOfType<DenseBoolArrayAttr>("onnxc.unsigned_operands");
  return flags && i < flags.size() && flags[i];
}

Value elementCount(OpBuilder &b, Location loc, Value tensor, ArrayRef<bool> mask,
                   Type elem) {
  Value n = arith::ConstantIndexOp::create(b, loc, 1);
  for (auto [i, m] : llvm::enumerate(mask))
    if (m)
      n = arith::MulIOp::create(b, loc, n, tensor::DimOp::create(b, loc, tensor, i));
  return arith::UIToFPOp::create(b, loc, elem,
                                 arith::IndexCastOp::create(b, loc, b.getI64Type(), n));
}

FailureOr<RankedTensorType> rankedResult(ConversionPatternRewriter &rw,
                                         Operation *op, unsigned i) {
  auto t = dyn_cast<RankedTensorType>(op->getResult(i).getType());
  if (!t)
    return rw.notifyMatchFailure(op, "result is not a ranked tensor");
  return t;
}

Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange operands, ScalarFn fn, Value dest) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps;
  SmallVector<Value> dynSizes;
  // Result dims: a dynamic one is read from the first operand that has it
  // at full (non-broadcast) size.
  for (int64_t i = 0; i < rank; ++i) {
    if (!resultType.isDynamicDim(i))
      continue;
    Value size;
    for (Value v : operands) {
      auto t = cast<RankedTensorType>(v.getType());
      int64_t j = i - (rank - t.getRank());
      if (j >= 0 && t.getDimSize(j) != 1) {
        size = tensor::DimOp::create(b, loc, v, j);
        break;
      }
    }
    if (!size)
      size = arith::ConstantIndexOp::create(b, loc, 1);
    dynSizes.push_back(size);
  }
  for (Value v : operands) {
    auto t = cast<RankedTensorType>(v.getType());
    SmallVector<AffineExpr> exprs;
    int64_t offset = rank - t.getRank();
    for (int64_t j = 0; j < t.getRank(); ++j) {
      bool broadcast = t.getDimSize(j) == 1 && resultType.getDimSize(j + offset) != 1;
      exprs.push_back(broadcast ? b.getAffineConstantExpr(0)
                                : b.getAffineDimExpr(j + offset));
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, b.getContext()));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = dest ? dest
                    : Value(tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                                    resultType.getElementType(), dynSizes));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, operands, ValueRange{init}, maps, iters,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = fn(nb, nloc, resultType.getElementType(), dest ? args : args.drop_back());
        linalg::YieldOp::create(nb, nloc, r);
      });
  return generic.getResult(0);
}

Value meanKeepDims(OpBuilder &b, Location loc, Value x, ArrayRef<bool> mask) {
  auto t = cast<RankedTensorType>(x.getType());
  MLIRContext *ctx = b.getContext();
  int64_t rank = t.getRank();
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iters;
  SmallVector<Value> dyn;
  for (int64_t i = 0; i < rank; ++i) {
    if (mask[i]) {
      shape.push_back(1);
      outExprs.push_back(getAffineConstantExpr(0, ctx));
      iters.push_back(utils::IteratorType::reduction);
    } else {
      shape.push_back(t.getDimSize(i));
      outExprs.push_back(getAffineDimExpr(i, ctx));
      iters.push_back(utils::IteratorType::parallel);
      if (t.isDynamicDim(i))
        dyn.push_back(tensor::DimOp::create(b, loc, x, i));
    }
  }
  Type elem = t.getElementType();
  auto outType = RankedTensorType::get(shape, elem);
  Value init = linalg::FillOp::create(b, loc, scalarConstant(b, loc, elem, 0),
                                      ValueRange{tensor::EmptyOp::create(b, loc, shape, elem, dyn)})
                   .getResult(0);
  Value sum = linalg::GenericOp::create(
                  b, loc, TypeRange{outType}, ValueRange{x}, ValueRange{init},
                  ArrayRef<AffineMap>{b.getMultiDimIdentityMap(rank), AffineMap::get(rank, 0, outExprs, ctx)},
                  iters,
                  [](OpBuilder &nb, Location l, ValueRange a) {
                    linalg::YieldOp::create(nb, l, ValueRange{arith::AddFOp::create(nb, l, a[0], a[1])});
                  })
                  .getResult(0);
  Value n = elementCount(b, loc, x, mask, elem);
  return buildElementwise(b, loc, outType, ValueRange{sum},
                          [&](OpBuilder &nb, Location l, Type, ValueRange a) -> Value {
                            return arith::DivFOp::create(nb, l, a[0], n);
                          });
}

} // namespace onnxc::conversion
