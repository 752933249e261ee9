//===- Logical.cpp - onnx comparisons, boolean ops, Where, Cast -> linalg -===//
//
// All elementwise: the scalar bodies below inside one broadcasting generic.
// Comparisons read their operand's element type; the result is i1.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {

namespace {
/// CastLike: Cast to the second operand's element type (its data unused).
struct CastLikePattern : OpConversionPattern<onnx::CastLikeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::CastLikeOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !isa<RankedTensorType>(ad.getInput().getType()))
      return rw.notifyMatchFailure(op, "unranked");
    bool fromUnsigned = isUnsignedOperand(op, 0), toUnsigned = isUnsignedOperand(op, 1);
    bool saturate = op.getSaturate() != 0;
    rw.replaceOp(op, buildElementwise(rw, op.getLoc(), *rt, ValueRange{ad.getInput()},
                                      [&](OpBuilder &b, Location l, Type t, ValueRange a) {
                                        return castScalar(b, l, a[0], t, fromUnsigned, toUnsigned, saturate);
                                      }));
    return success();
  }
};
} // namespace

void populateLogicalPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  auto compare = [&](StringRef name, arith::CmpFPredicate f, arith::CmpIPredicate i,
                     arith::CmpIPredicate u) {
    addElementwisePattern(p, names, name,
                          [f, i, u](Operation *op, OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                            if (isa<FloatType>(a[0].getType()))
                              return arith::CmpFOp::create(b, l, f, a[0], a[1]);
                            return arith::CmpIOp::create(b, l, isUnsignedOperand(op) ? u : i, a[0], a[1]);
                          });
  };
  compare("Equal", arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq, arith::CmpIPredicate::eq);
  compare("Greater", arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt, arith::CmpIPredicate::ugt);
  compare("GreaterOrEqual", arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge, arith::CmpIPredicate::uge);
  compare("Less", arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt, arith::CmpIPredicate::ult);
  compare("LessOrEqual", arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle, arith::CmpIPredicate::ule);

  addElementwisePattern(p, names, "And", [](Operation *, OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    return arith::AndIOp::create(b, l, a[0], a[1]);
  });
  addElementwisePattern(p, names, "Or", [](Operation *, OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    return arith::OrIOp::create(b, l, a[0], a[1]);
  });
  addElementwisePattern(p, names, "Xor", [](Operation *, OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    return arith::XOrIOp::create(b, l, a[0], a[1]);
  });
  addElementwisePattern(p, names, "Not", [](Operation *, OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
    return arith::XOrIOp::create(b, l, a[0], scalarConstant(b, l, t, 1));
  });
  addElementwisePattern(p, names, "IsNaN", [](Operation *, OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    return arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, a[0], a[0]);
  });
  addElementwisePattern(p, names, "IsInf", [](Operation *op, OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    auto flag = [&](StringRef n) {
      auto v = op->getAttrOfType<IntegerAttr>(n);
      return !v || v.getInt() != 0;
    };
    Type t = a[0].getType();
    double inf = std::numeric_limits<double>::infinity();
    Value pos = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a[0], scalarConstant(b, l, t, inf));
    Value neg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, a[0], scalarConstant(b, l, t, -inf));
    Value f = scalarConstant(b, l, b.getI1Type(), 0);
    return arith::OrIOp::create(b, l, flag("detect_positive") ? pos : f,
                                flag("detect_negative") ? neg : f);
  });
  addElementwisePattern(p, names, "Where", [](Operation *, OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
    return arith::SelectOp::create(b, l, a[0], a[1], a[2]);
  });
  addElementwisePattern(p, names, "Cast", [](Operation *op, OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
    auto to = op->getAttrOfType<IntegerAttr>("to");
    int64_t dt = to ? to.getInt() : 0;
    bool toUnsigned = onnx::isUnsignedDataType(dt);
    auto sat = op->getAttrOfType<IntegerAttr>("saturate");
    return castScalar(b, l, a[0], t, isUnsignedOperand(op), toUnsigned, !sat || sat.getInt() != 0);
  });
  p.add<CastLikePattern>(p.getContext());
  names.insert("onnx.CastLike");
}

} // namespace onnxc::conversion
