//===- Tensor.cpp - onnx tensor/generator ops -> tensor/linalg/arith ------===//
//
// Reshape-like ops (Reshape, Flatten, Squeeze, Unsqueeze) become
// tensor.reshape / collapse_shape, which bufferize to views (no copy).
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

struct ConstantPattern : OpConversionPattern<onnx::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rw) const override {
    auto v = op.getValue();
    if (!v)
      return rw.notifyMatchFailure(op, "not in canonical form");
    if (isa<onnx::StringType>(v->getElementType()))
      return op.emitOpError("string tensors are not supported in code generation yet");
    rw.replaceOpWithNewOp<arith::ConstantOp>(op, cast<TypedAttr>(*v));
    return success();
  }
};

struct IdentityPattern : OpConversionPattern<onnx::IdentityOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::IdentityOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    Value v = ad.getInput();
    if (v.getType() != op.getType())
      v = tensor::CastOp::create(rw, op.getLoc(), op.getType(), v);
    rw.replaceOp(op, v);
    return success();
  }
};

/// Any op whose result is its first operand's data in a new static shape.
class ReshapeLikePattern : public ConversionPattern {
public:
  ReshapeLikePattern(StringRef name, MLIRContext *ctx)
      : ConversionPattern(name, 1, ctx) {}
  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    Location loc = op->getLoc();
    Value src = operands[0];
    auto st = dyn_cast<RankedTensorType>(src.getType());
    if (!st)
      return rw.notifyMatchFailure(op, "unranked input");
    if (rt->hasStaticShape()) {
      auto shapeT = RankedTensorType::get({rt->getRank()}, rw.getIndexType());
      SmallVector<Attribute> dims;
      for (int64_t d : rt->getShape())
        dims.push_back(rw.getIndexAttr(d));
      Value shape = arith::ConstantOp::create(rw, loc, DenseElementsAttr::get(shapeT, dims));
      rw.replaceOpWithNewOp<tensor::ReshapeOp>(op, *rt, src, shape);
      return success();
    }
    // Flatten keeps working with dynamic dims: collapse around the axis.
    if (auto flat = dyn_cast<onnx::FlattenOp>(op)) {
      int64_t rank = st.getRank(), axis = int64_t(flat.getAxis());
      if (axis < 0)
        axis += rank;
      if (axis == 0 || axis == rank)
        return op->emitOpError("dynamic Flatten at axis 0 or rank is not supported yet");
      ReassociationIndices a, b;
      for (int64_t i = 0; i < rank; ++i)
        (i < axis ? a : b).push_back(i);
      rw.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, *rt, src,
                                                     SmallVector<ReassociationIndices>{a, b});
      return success();
    }
    return op->emitOpError("reshape to a dynamic shape is not supported yet");
  }
};

struct TransposePattern : OpConversionPattern<onnx::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::TransposeOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto st = dyn_cast<RankedTensorType>(ad.getData().getType());
    if (failed(rt) || !st)
      return rw.notifyMatchFailure(op, "unranked");
    SmallVector<int64_t> perm;
    if (auto p = op.getPerm())
      perm.assign(p->begin(), p->end());
    else
      for (int64_t i = st.getRank() - 1; i >= 0; --i)
        perm.push_back(i);
    SmallVector<Value> dyn;
    for (int64_t i = 0; i < rt->getRank(); ++i)
      if (rt->isDynamicDim(i))
        dyn.push_back(tensor::DimOp::create(rw, op.getLoc(), ad.getData(), perm[i]));
    Value init = tensor::EmptyOp::create(rw, op.getLoc(), rt->getShape(),
                                         rt->getElementType(), dyn);
    rw.replaceOp(op, linalg::TransposeOp::create(rw, op.getLoc(), ad.getData(), init, perm)
                         .getResult()[0]);
    return success();
  }
};

struct ConcatPattern : OpConversionPattern<onnx::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::ConcatOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    int64_t axis = int64_t(op.getAxis());
    if (axis < 0)
      axis += rt->getRank();
    SmallVector<Value> ins;
    for (Value v : ad.getInputs()) {
      auto t = dyn_cast<RankedTensorType>(v.getType());
      if (!t)
        return rw.notifyMatchFailure(op, "unranked input");
      if (t.getDimSize(axis) != 0)
        ins.push_back(v);
    }
    if (ins.size() == 1) {
      rw.replaceOp(op, ins[0]);
      return success();
    }
    // As insert_slices into one empty tensor: eliminate-empty-tensors then
    // lets each input's producer write its slice of the result in place
    // (a concat bufferizes to copies).
    auto concat = tensor::ConcatOp::create(rw, op.getLoc(), *rt, axis, ins);
    FailureOr<SmallVector<Value>> parts = concat.decomposeOperation(rw);
    if (failed(parts)) {
      rw.replaceOp(op, concat.getResult());
      return success();
    }
    rw.replaceOp(op, (*parts)[0]);
    rw.eraseOp(concat);
    return success();
  }
};

} // namespace

void populateTensorPatterns(RewritePatternSet &patterns, llvm::StringSet<> &names) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ConstantPattern, IdentityPattern, TransposePattern, ConcatPattern>(ctx);
  for (StringRef n : {"onnx.Reshape", "onnx.Flatten", "onnx.Squeeze", "onnx.Unsqueeze"}) {
    patterns.add<ReshapeLikePattern>(n, ctx);
    names.insert(n);
  }
  for (StringRef n : {"onnx.Constant", "onnx.Identity", "onnx.Transpose", "onnx.Concat"})
    names.insert(n);
}

} // namespace onnxc::conversion
