//===- Math.cpp - onnx math ops -> linalg ---------------------------------===//
//
// Elementwise ops become one broadcasting linalg.generic whose body is the
// scalar formula (the elementwise fusion pass later merges chains of them).
// Gemm/MatMul become contractions; Softmax a max/exp-sum/divide sequence.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

bool isFloat(Type t) { return isa<FloatType>(t); }

Value cst(OpBuilder &b, Location loc, Type t, double v) {
  return scalarConstant(b, loc, t, v);
}

} // namespace

Value castScalar(OpBuilder &b, Location loc, Value v, Type to, bool fromUnsigned,
                 bool toUnsigned, bool saturate) {
  Type from = v.getType();
  if (from == to)
    return v;
  // float8 goes through f32 (exact for every float8 value).
  if (isFloat8(from))
    return castScalar(b, loc, extFromFloat8(b, loc, v), to, false, toUnsigned);
  if (isFloat8(to))
    return truncToFloat8(b, loc, castScalar(b, loc, v, b.getF32Type(), fromUnsigned), to, saturate);
  if (to.isInteger(1)) // ONNX casts to bool as "!= 0"
    return isFloat(from)
               ? Value(arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, v,
                                             cst(b, loc, from, 0)))
               : Value(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, v,
                                             cst(b, loc, from, 0)));
  if (isFloat(from) && isFloat(to))
    return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
               ? Value(arith::ExtFOp::create(b, loc, to, v))
               : Value(arith::TruncFOp::create(b, loc, to, v));
  bool fromUns = from.isInteger(1) || fromUnsigned;
  if (isFloat(to))
    return fromUns ? Value(arith::UIToFPOp::create(b, loc, to, v))
                   : Value(arith::SIToFPOp::create(b, loc, to, v));
  if (isFloat(from) && to.getIntOrFloatBitWidth() < 8) {
    // 4-bit integers: rounded half away from zero, then the low bits, as
    // ONNX Runtime casts; a value outside i32 (or NaN) gives 0.
    Value f32 = math::RoundOp::create(b, loc, castScalar(b, loc, v, b.getF32Type()));
    Value inRange = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, math::AbsFOp::create(b, loc, f32),
                                          cst(b, loc, f32.getType(), 2147483648.0));
    Value safe = arith::SelectOp::create(b, loc, inRange, f32, cst(b, loc, f32.getType(), 0));
    return arith::TruncIOp::create(b, loc, to, arith::FPToSIOp::create(b, loc, b.getI32Type(), safe));
  }
  if (isFloat(from))
    return toUnsigned ? Value(arith::FPToUIOp::create(b, loc, to, v))
                      : Value(arith::FPToSIOp::create(b, loc, to, v));
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return fromUns ? Value(arith::ExtUIOp::create(b, loc, to, v))
                   : Value(arith::ExtSIOp::create(b, loc, to, v));
  return arith::TruncIOp::create(b, loc, to, v);
}

namespace {

/// Any elementwise op: non-none operands broadcast, body from `fn`.
class ElementwisePattern : public ConversionPattern {
public:
  ElementwisePattern(StringRef name, MLIRContext *ctx, OpScalarFn fn)
      : ConversionPattern(name, 1, ctx), fn(std::move(fn)) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    SmallVector<Value> ins;
    for (Value v : operands) {
      if (isa<NoneType>(v.getType()))
        continue;
      if (!isa<RankedTensorType>(v.getType()))
        return rw.notifyMatchFailure(op, "unranked operand");
      ins.push_back(v);
    }
    Value r = buildElementwise(
        rw, op->getLoc(), *rt, ins,
        [&](OpBuilder &b, Location loc, Type elem, ValueRange args) {
          return fn(op, b, loc, elem, args);
        });
    SmallVector<Value> results{r};
    rw.replaceOp(op, results);
    return success();
  }

private:
  OpScalarFn fn;
};

float fattr(Operation *op, StringRef name, float dflt) {
  if (auto a = op->getAttrOfType<FloatAttr>(name))
    return a.getValueAsDouble();
  // Properties-backed inherent attrs are reachable through getInherentAttr.
  if (auto a = op->getInherentAttr(name))
    if (auto f = dyn_cast_or_null<FloatAttr>(*a))
      return f.getValueAsDouble();
  return dflt;
}

Value sigmoid(OpBuilder &b, Location loc, Type t, Value x) {
  Value one = cst(b, loc, t, 1.0);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
}

} // namespace

void addElementwisePattern(RewritePatternSet &p, llvm::StringSet<> &names,
                           StringRef onnxName, OpScalarFn fn) {
  std::string name = ("onnx." + onnxName).str();
  p.add<ElementwisePattern>(name, p.getContext(), std::move(fn));
  names.insert(name);
}

namespace {

/// Registers the elementwise ops: name -> scalar body.
void addElementwise(RewritePatternSet &p, llvm::StringSet<> &names) {
  auto add = [&](StringRef name, OpScalarFn fn) {
    addElementwisePattern(p, names, name, std::move(fn));
  };
  // Binary arithmetic: float and signed-integer forms.
  auto binaryU = [&](StringRef name, auto fop, auto iop, auto uop) {
    add(name, [fop, iop, uop](Operation *op, OpBuilder &b, Location loc, Type t,
                              ValueRange a) -> Value {
      bool uns = isUnsignedOperand(op, 0);
      Value x = castScalar(b, loc, a[0], t, uns, uns);
      for (Value y : a.drop_front()) {
        y = castScalar(b, loc, y, t, uns, uns);
        x = isFloat(t) ? fop(b, loc, x, y) : uns ? uop(b, loc, x, y) : iop(b, loc, x, y);
      }
      return x;
    });
  };
  auto binary = [&](StringRef name, auto fop, auto iop) { binaryU(name, fop, iop, iop); };
#define BIN(F) [](OpBuilder &b, Location l, Value x, Value y) -> Value { return F::create(b, l, x, y); }
  binary("Add", BIN(arith::AddFOp), BIN(arith::AddIOp));
  binary("Sub", BIN(arith::SubFOp), BIN(arith::SubIOp));
  binary("Mul", BIN(arith::MulFOp), BIN(arith::MulIOp));
  binaryU("Div", BIN(arith::DivFOp), BIN(arith::DivSIOp), BIN(arith::DivUIOp));
  binary("Sum", BIN(arith::AddFOp), BIN(arith::AddIOp));
  binaryU("Max", BIN(arith::MaximumFOp), BIN(arith::MaxSIOp), BIN(arith::MaxUIOp));
  binaryU("Min", BIN(arith::MinimumFOp), BIN(arith::MinSIOp), BIN(arith::MinUIOp));
#undef BIN
  add("Mean", [](Operation *, OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
    Value x = a[0];
    for (Value y : a.drop_front())
      x = arith::AddFOp::create(b, l, x, y);
    return arith::DivFOp::create(b, l, x, cst(b, l, t, double(a.size())));
  });
  add("Pow", [](Operation *, OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
    if (!isFloat(t))
      return math::IPowIOp::create(b, l, a[0], castScalar(b, l, a[1], t));
    return math::PowFOp::create(b, l, a[0], castScalar(b, l, a[1], t));
  });
  add("PRelu", [](Operation *, OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
    Value neg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, a[0], cst(b, l, t, 0));
    return arith::SelectOp::create(b, l, neg, arith::MulFOp::create(b, l, a[0], a[1]), a[0]);
  });

  // Unary float ops.
  auto unary = [&](StringRef name,
                   std::function<Value(Operation *, OpBuilder &, Location, Type, Value)> f) {
    add(name, [f](Operation *op, OpBuilder &b, Location l, Type t, ValueRange a) {
      return f(op, b, l, t, a[0]);
    });
  };
  unary("Relu", [](Operation *op, OpBuilder &b, Location l, Type t, Value x) -> Value {
    if (!isFloat(t) && isUnsignedOperand(op))
      return x;
    return isFloat(t) ? Value(arith::MaximumFOp::create(b, l, x, cst(b, l, t, 0)))
                      : Value(arith::MaxSIOp::create(b, l, x, cst(b, l, t, 0)));
  });
  unary("Sigmoid", [](Operation *, OpBuilder &b, Location l, Type t, Value x) {
    return sigmoid(b, l, t, x);
  });
  unary("Tanh", [](Operation *, OpBuilder &b, Location l, Type, Value x) -> Value { return math::TanhOp::create(b, l, x); });
  unary("Exp", [](Operation *, OpBuilder &b, Location l, Type, Value x) -> Value { return math::ExpOp::create(b, l, x); });
  unary("Log", [](Operation *, OpBuilder &b, Location l, Type, Value x) -> Value { return math::LogOp::create(b, l, x); });
  unary("Sqrt", [](Operation *, OpBuilder &b, Location l, Type, Value x) -> Value { return math::SqrtOp::create(b, l, x); });
  unary("Erf", [](Operation *, OpBuilder &b, Location l, Type, Value x) -> Value { return math::ErfOp::create(b, l, x); });
  unary("Floor", [](Operation *, OpBuilder &b, Location l, Type, Value x) -> Value { return math::FloorOp::create(b, l, x); });
  unary("Ceil", [](Operation *, OpBuilder &b, Location l, Type, Value x) -> Value { return math::CeilOp::create(b, l, x); });
  unary("Cos", [](Operation *, OpBuilder &b, Location l, Type, Value x) -> Value { return math::CosOp::create(b, l, x); });
  unary("Sin", [](Operation *, OpBuilder &b, Location l, Type, Value x) -> Value { return math::SinOp::create(b, l, x); });
  unary("Neg", [](Operation *, OpBuilder &b, Location l, Type t, Value x) -> Value {
    return isFloat(t) ? Value(arith::NegFOp::create(b, l, x))
                      : Value(arith::SubIOp::create(b, l, cst(b, l, t, 0), x));
  });
  unary("Abs", [](Operation *op, OpBuilder &b, Location l, Type t, Value x) -> Value {
    if (!isFloat(t) && isUnsignedOperand(op))
      return x;
    return isFloat(t) ? Value(math::AbsFOp::create(b, l, x)) : Value(math::AbsIOp::create(b, l, x));
  });
  unary("Reciprocal", [](Operation *, OpBuilder &b, Location l, Type t, Value x) -> Value {
    return arith::DivFOp::create(b, l, cst(b, l, t, 1), x);
  });
  unary("LeakyRelu", [](Operation *op, OpBuilder &b, Location l, Type t, Value x) -> Value {
    Value neg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, cst(b, l, t, 0));
    Value ax = arith::MulFOp::create(b, l, x, cst(b, l, t, fattr(op, "alpha", 0.01f)));
    return arith::SelectOp::create(b, l, neg, ax, x);
  });
  unary("Elu", [](Operation *op, OpBuilder &b, Location l, Type t, Value x) -> Value {
    Value neg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, cst(b, l, t, 0));
    Value em1 = math::ExpM1Op::create(b, l, x);
    Value a = arith::MulFOp::create(b, l, em1, cst(b, l, t, fattr(op, "alpha", 1.0f)));
    return arith::SelectOp::create(b, l, neg, a, x);
  });
  unary("HardSigmoid", [](Operation *op, OpBuilder &b, Location l, Type t, Value x) -> Value {
    Value y = arith::AddFOp::create(
        b, l, arith::MulFOp::create(b, l, x, cst(b, l, t, fattr(op, "alpha", 0.2f))),
        cst(b, l, t, fattr(op, "beta", 0.5f)));
    y = arith::MinimumFOp::create(b, l, y, cst(b, l, t, 1));
    return arith::MaximumFOp::create(b, l, y, cst(b, l, t, 0));
  });
  unary("HardSwish", [](Operation *, OpBuilder &b, Location l, Type t, Value x) -> Value {
    Value y = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, x, cst(b, l, t, 1.0 / 6)),
                                    cst(b, l, t, 0.5));
    y = arith::MinimumFOp::create(b, l, y, cst(b, l, t, 1));
    y = arith::MaximumFOp::create(b, l, y, cst(b, l, t, 0));
    return arith::MulFOp::create(b, l, x, y);
  });
  unary("Softplus", [](Operation *, OpBuilder &b, Location l, Type t, Value x) -> Value {
    return math::Log1pOp::create(b, l, math::ExpOp::create(b, l, x));
  });
  // Opset 18+: x tanh(softplus(x)); Gelu exact (erf) or its tanh form.
  unary("Mish", [](Operation *, OpBuilder &b, Location l, Type t, Value x) -> Value {
    Value sp = math::Log1pOp::create(b, l, math::ExpOp::create(b, l, x));
    return arith::MulFOp::create(b, l, x, math::TanhOp::create(b, l, sp));
  });
  unary("Gelu", [](Operation *op, OpBuilder &b, Location l, Type t, Value x) -> Value {
    auto approx = op->getAttrOfType<StringAttr>("approximate");
    Value inner;
    if (approx && approx.getValue() == "tanh") {
      Value x3 = arith::MulFOp::create(b, l, x, arith::MulFOp::create(b, l, x, x));
      Value poly = arith::AddFOp::create(b, l, x, arith::MulFOp::create(b, l, x3, cst(b, l, t, 0.044715)));
      inner = math::TanhOp::create(b, l, arith::MulFOp::create(b, l, poly, cst(b, l, t, std::sqrt(2.0 / M_PI))));
    } else {
      inner = math::ErfOp::create(b, l, arith::MulFOp::create(b, l, x, cst(b, l, t, M_SQRT1_2)));
    }
    Value half = arith::MulFOp::create(b, l, x, cst(b, l, t, 0.5));
    return arith::MulFOp::create(b, l, half, arith::AddFOp::create(b, l, inner, cst(b, l, t, 1)));
  });
  // Opset 18 bitwise ops on integers.
  unary("BitwiseNot", [](Operation *, OpBuilder &b, Location l, Type t, Value x) -> Value {
    return arith::XOrIOp::create(b, l, x, arith::ConstantIntOp::create(b, l, t, -1));
  });
  add("BitwiseAnd", [](Operation *, OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    return arith::AndIOp::create(b, l, a[0], a[1]);
  });
  add("BitwiseOr", [](Operation *, OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    return arith::OrIOp::create(b, l, a[0], a[1]);
  });
  add("BitwiseXor", [](Operation *, OpBuilder &b, Location l, Type, ValueRange a) -> Value {
    return arith::XOrIOp::create(b, l, a[0], a[1]);
  });
  // Trigonometric and hyperbolic functions map 1:1 onto math ops.
#define MATH_UNARY(NAME, OP)                                                   \
  unary(NAME, [](Operation *, OpBuilder &b, Location l, Type, Value x) -> Value { \
    return OP::create(b, l, x);                                                \
  });
  MATH_UNARY("Acos", math::AcosOp)
  MATH_UNARY("Acosh", math::AcoshOp)
  MATH_UNARY("Asin", math::AsinOp)
  MATH_UNARY("Asinh", math::AsinhOp)
  MATH_UNARY("Atan", math::AtanOp)
  MATH_UNARY("Atanh", math::AtanhOp)
  MATH_UNARY("Cosh", math::CoshOp)
  MATH_UNARY("Sinh", math::SinhOp)
  MATH_UNARY("Tan", math::TanOp)
  MATH_UNARY("Round", math::RoundEvenOp) // ONNX rounds halves to even
#undef MATH_UNARY
  unary("Sign", [](Operation *, OpBuilder &b, Location l, Type t, Value x) -> Value {
    if (!isFloat(t)) {
      Value pos = arith::ExtUIOp::create(b, l, t, arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, x, cst(b, l, t, 0)));
      Value neg = arith::ExtUIOp::create(b, l, t, arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, x, cst(b, l, t, 0)));
      return arith::SubIOp::create(b, l, pos, neg);
    }
    Value pos = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, cst(b, l, t, 0));
    Value neg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, cst(b, l, t, 0));
    Value r = arith::SelectOp::create(b, l, pos, cst(b, l, t, 1), cst(b, l, t, 0));
    return arith::SelectOp::create(b, l, neg, cst(b, l, t, -1), r);
  });
  unary("Selu", [](Operation *op, OpBuilder &b, Location l, Type t, Value x) -> Value {
    Value alpha = cst(b, l, t, fattr(op, "alpha", 1.67326319217681884765625f));
    Value gamma = cst(b, l, t, fattr(op, "gamma", 1.05070102214813232421875f));
    Value neg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLE, x, cst(b, l, t, 0));
    Value e = arith::SubFOp::create(b, l, arith::MulFOp::create(b, l, alpha, math::ExpOp::create(b, l, x)), alpha);
    return arith::MulFOp::create(b, l, gamma, arith::SelectOp::create(b, l, neg, e, x));
  });
  unary("Softsign", [](Operation *, OpBuilder &b, Location l, Type t, Value x) -> Value {
    return arith::DivFOp::create(b, l, x, arith::AddFOp::create(b, l, cst(b, l, t, 1), math::AbsFOp::create(b, l, x)));
  });
  unary("ThresholdedRelu", [](Operation *op, OpBuilder &b, Location l, Type t, Value x) -> Value {
    Value gt = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, cst(b, l, t, fattr(op, "alpha", 1.0f)));
    return arith::SelectOp::create(b, l, gt, x, cst(b, l, t, 0));
  });
  unary("Celu", [](Operation *op, OpBuilder &b, Location l, Type t, Value x) -> Value {
    Value alpha = cst(b, l, t, fattr(op, "alpha", 1.0f));
    Value e = arith::MulFOp::create(b, l, alpha, math::ExpM1Op::create(b, l, arith::DivFOp::create(b, l, x, alpha)));
    return arith::AddFOp::create(b, l, arith::MaximumFOp::create(b, l, x, cst(b, l, t, 0)),
                                 arith::MinimumFOp::create(b, l, e, cst(b, l, t, 0)));
  });
  unary("Shrink", [](Operation *op, OpBuilder &b, Location l, Type t, Value x) -> Value {
    double lambd = fattr(op, "lambd", 0.5f), bias = fattr(op, "bias", 0.0f);
    if (!isFloat(t)) {
      Value lo = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, x, cst(b, l, t, -lambd));
      Value hi = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sgt, x, cst(b, l, t, lambd));
      Value r = arith::SelectOp::create(b, l, hi, arith::SubIOp::create(b, l, x, cst(b, l, t, bias)), cst(b, l, t, 0));
      return arith::SelectOp::create(b, l, lo, arith::AddIOp::create(b, l, x, cst(b, l, t, bias)), r);
    }
    Value lo = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, cst(b, l, t, -lambd));
    Value hi = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, cst(b, l, t, lambd));
    Value r = arith::SelectOp::create(b, l, hi, arith::SubFOp::create(b, l, x, cst(b, l, t, bias)), cst(b, l, t, 0));
    return arith::SelectOp::create(b, l, lo, arith::AddFOp::create(b, l, x, cst(b, l, t, bias)), r);
  });
  unary("Mish", [](Operation *, OpBuilder &b, Location l, Type t, Value x) -> Value {
    Value sp = math::Log1pOp::create(b, l, math::ExpOp::create(b, l, x));
    return arith::MulFOp::create(b, l, x, math::TanhOp::create(b, l, sp));
  });
  add("BitShift", [](Operation *op, OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
    // Unsigned only. Shifting by the width or more gives 0 (as numpy does on
    // unsigned types), where arith's shifts would be poison.
    bool left = op->getAttrOfType<StringAttr>("direction").getValue() == "LEFT";
    Value shifted = left ? Value(arith::ShLIOp::create(b, l, a[0], a[1]))
                         : Value(arith::ShRUIOp::create(b, l, a[0], a[1]));
    Value tooFar = arith::CmpIOp::create(b, l, arith::CmpIPredicate::uge, a[1],
                                         cst(b, l, t, t.getIntOrFloatBitWidth()));
    return arith::SelectOp::create(b, l, tooFar, cst(b, l, t, 0), shifted);
  });
  add("Mod", [](Operation *op, OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
    auto fmod = op->getAttrOfType<IntegerAttr>("fmod");
    if (isFloat(t))
      return arith::RemFOp::create(b, l, a[0], a[1]); // fmod=1 is required for floats
    if (isUnsignedOperand(op))
      return arith::RemUIOp::create(b, l, a[0], a[1]);
    Value r = arith::RemSIOp::create(b, l, a[0], a[1]);
    if (fmod && fmod.getInt())
      return r;
    // Python-style: the result takes the divisor's sign.
    Value zero = cst(b, l, t, 0);
    Value nz = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, r, zero);
    Value rneg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, r, zero);
    Value bneg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, a[1], zero);
    Value differ = arith::XOrIOp::create(b, l, rneg, bneg);
    Value fix = arith::AndIOp::create(b, l, nz, differ);
    return arith::SelectOp::create(b, l, fix, arith::AddIOp::create(b, l, r, a[1]), r);
  });
  add("Clip", [](Operation *op, OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
    // Operands are (x, [min], [max]) with absent ones dropped: look at the op.
    Value x = a[0];
    unsigned next = 1;
    bool f = isFloat(t), u = isUnsignedOperand(op);
    if (!isa<NoneType>(op->getOperand(1).getType())) {
      Value m = a[next++];
      x = f ? Value(arith::MaximumFOp::create(b, l, x, m))
            : u ? Value(arith::MaxUIOp::create(b, l, x, m)) : Value(arith::MaxSIOp::create(b, l, x, m));
    }
    if (!isa<NoneType>(op->getOperand(2).getType())) {
      Value m = a[next++];
      x = f ? Value(arith::MinimumFOp::create(b, l, x, m))
            : u ? Value(arith::MinUIOp::create(b, l, x, m)) : Value(arith::MinSIOp::create(b, l, x, m));
    }
    return x;
  });
}

/// Gemm: Y = alpha * op(A) op(B) + beta * C, as a contraction generic and a
/// broadcasting epilogue.
struct GemmPattern : OpConversionPattern<onnx::GemmOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::GemmOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    Location loc = op.getLoc();
    Type elem = rt->getElementType();
    if (!isFloat(elem))
      return rw.notifyMatchFailure(op, "integer Gemm");
    MLIRContext *ctx = rw.getContext();
    AffineExpr m, n, k;
    bindDims(ctx, m, n, k);
    auto mapA = op.getTransA() ? AffineMap::get(3, 0, {k, m}, ctx)
                               : AffineMap::get(3, 0, {m, k}, ctx);
    auto mapB = op.getTransB() ? AffineMap::get(3, 0, {n, k}, ctx)
                               : AffineMap::get(3, 0, {k, n}, ctx);
    auto mapC = AffineMap::get(3, 0, {m, n}, ctx);
    SmallVector<Value> dyn;
    if (rt->isDynamicDim(0))
      dyn.push_back(tensor::DimOp::create(rw, loc, ad.getA(), op.getTransA() ? 1 : 0));
    if (rt->isDynamicDim(1))
      dyn.push_back(tensor::DimOp::create(rw, loc, ad.getB(), op.getTransB() ? 0 : 1));
    Value init = tensor::EmptyOp::create(rw, loc, rt->getShape(), elem, dyn);
    Value zero = linalg::FillOp::create(rw, loc, cst(rw, loc, elem, 0), init).getResult(0);
    SmallVector<utils::IteratorType> iters{utils::IteratorType::parallel,
                                           utils::IteratorType::parallel,
                                           utils::IteratorType::reduction};
    Value prod = linalg::GenericOp::create(
                     rw, loc, TypeRange{*rt}, ValueRange{ad.getA(), ad.getB()},
                     ValueRange{zero}, ArrayRef<AffineMap>{mapA, mapB, mapC}, iters,
                     [](OpBuilder &b, Location l, ValueRange a) {
                       Value p = arith::MulFOp::create(b, l, a[0], a[1]);
                       linalg::YieldOp::create(b, l, ValueRange{arith::AddFOp::create(b, l, a[2], p)});
                     })
                     .getResult(0);
    float alpha = op.getAlpha().convertToFloat(), beta = op.getBeta().convertToFloat();
    bool hasC = !isa<NoneType>(ad.getC().getType()) && beta != 0.0f;
    if (alpha == 1.0f && !hasC) {
      rw.replaceOp(op, prod);
      return success();
    }
    SmallVector<Value> ins{prod};
    if (hasC)
      ins.push_back(ad.getC());
    Value r = buildElementwise(rw, loc, *rt, ins,
                               [&](OpBuilder &b, Location l, Type t, ValueRange a) -> Value {
                                 Value y = a[0];
                                 if (alpha != 1.0f)
                                   y = arith::MulFOp::create(b, l, y, cst(b, l, t, alpha));
                                 if (a.size() > 1) {
                                   Value c = a[1];
                                   if (beta != 1.0f)
                                     c = arith::MulFOp::create(b, l, c, cst(b, l, t, beta));
                                   y = arith::AddFOp::create(b, l, y, c);
                                 }
                                 return y;
                               });
    rw.replaceOp(op, r);
    return success();
  }
};

} // namespace

/// numpy matmul of two ranked tensors (float or integer) into `rt`; batch dims
/// broadcast when static size 1, 1-D operands index without the promoted dim.
Value buildMatMul(OpBuilder &b, Location loc, RankedTensorType rt, Value lhs, Value rhs) {
  auto at = cast<RankedTensorType>(lhs.getType());
  auto bt = cast<RankedTensorType>(rhs.getType());
  Type elem = rt.getElementType();
  MLIRContext *ctx = b.getContext();
  bool vecA = at.getRank() == 1, vecB = bt.getRank() == 1;
  // Iteration space: result dims..., k.
  int64_t rRank = rt.getRank(), n = rRank + 1;
  int64_t batch = rRank - (vecA ? 0 : 1) - (vecB ? 0 : 1);
  AffineExpr kExpr = getAffineDimExpr(rRank, ctx);
  auto batchExprs = [&](RankedTensorType t, int64_t own) {
    SmallVector<AffineExpr> e;
    int64_t off = batch - own;
    for (int64_t i = 0; i < own; ++i) {
      bool bc = t.getDimSize(i) == 1 && rt.getDimSize(i + off) != 1;
      e.push_back(bc ? getAffineConstantExpr(0, ctx) : getAffineDimExpr(i + off, ctx));
    }
    return e;
  };
  SmallVector<AffineExpr> ea = batchExprs(at, vecA ? 0 : at.getRank() - 2);
  if (!vecA)
    ea.push_back(getAffineDimExpr(batch, ctx));
  ea.push_back(kExpr);
  SmallVector<AffineExpr> eb = batchExprs(bt, vecB ? 0 : bt.getRank() - 2);
  eb.push_back(kExpr);
  if (!vecB)
    eb.push_back(getAffineDimExpr(rRank - 1, ctx));
  SmallVector<AffineExpr> ec;
  for (int64_t i = 0; i < rRank; ++i)
    ec.push_back(getAffineDimExpr(i, ctx));
  SmallVector<Value> dyn;
  int64_t aBatch = vecA ? 0 : at.getRank() - 2, bBatch = vecB ? 0 : bt.getRank() - 2;
  for (int64_t i = 0; i < rRank; ++i) {
    if (!rt.isDynamicDim(i))
      continue;
    Value src;
    int64_t j;
    if (!vecB && i == rRank - 1) {
      src = rhs, j = bt.getRank() - 1;
    } else if (!vecA && i == batch) {
      src = lhs, j = at.getRank() - 2;
    } else if (int64_t ja = i - (batch - aBatch); ja >= 0 && at.getDimSize(ja) != 1) {
      src = lhs, j = ja;
    } else {
      src = rhs, j = i - (batch - bBatch);
    }
    dyn.push_back(tensor::DimOp::create(b, loc, src, j));
  }
  Value init = tensor::EmptyOp::create(b, loc, rt.getShape(), elem, dyn);
  Value zero = linalg::FillOp::create(b, loc, cst(b, loc, elem, 0), init).getResult(0);
  SmallVector<utils::IteratorType> iters(rRank, utils::IteratorType::parallel);
  iters.push_back(utils::IteratorType::reduction);
  bool f = isFloat(elem);
  Value r = linalg::GenericOp::create(
                b, loc, TypeRange{rt}, ValueRange{lhs, rhs}, ValueRange{zero},
                ArrayRef<AffineMap>{AffineMap::get(n, 0, ea, ctx), AffineMap::get(n, 0, eb, ctx),
                                    AffineMap::get(n, 0, ec, ctx)},
                iters,
                [f](OpBuilder &nb, Location l, ValueRange a) {
                  Value p = f ? Value(arith::MulFOp::create(nb, l, a[0], a[1]))
                              : Value(arith::MulIOp::create(nb, l, a[0], a[1]));
                  Value s = f ? Value(arith::AddFOp::create(nb, l, a[2], p))
                              : Value(arith::AddIOp::create(nb, l, a[2], p));
                  linalg::YieldOp::create(nb, l, s);
                })
                .getResult(0);
  return r;
}

namespace {
/// MatMul with numpy semantics: batch dims broadcast (static size 1 only),
/// 1-D operands are indexed without the promoted dim.
struct MatMulPattern : OpConversionPattern<onnx::MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::MatMulOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !isa<RankedTensorType>(ad.getA().getType()) ||
        !isa<RankedTensorType>(ad.getB().getType()))
      return rw.notifyMatchFailure(op, "unranked");
    rw.replaceOp(op, buildMatMul(rw, op.getLoc(), *rt, ad.getA(), ad.getB()));
    return success();
  }
};

/// Softmax/LogSoftmax (opset 13: along one axis):
///   m = max(x), e = exp(x - m), s = sum(e), y = e / s  (or x - m - log s).
template <typename OpTy, bool isLog>
struct SoftmaxPattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = rw.getContext();
    Value x = ad.getInput();
    int64_t rank = rt->getRank();
    int64_t axis = int64_t(op.getAxis());
    if (axis < 0)
      axis += rank;
    Type elem = rt->getElementType();
    SmallVector<int64_t> redShape;
    SmallVector<AffineExpr> redExprs;
    SmallVector<Value> redDyn;
    for (int64_t i = 0; i < rank; ++i) {
      if (i == axis)
        continue;
      redShape.push_back(rt->getDimSize(i));
      redExprs.push_back(getAffineDimExpr(i, ctx));
      if (rt->isDynamicDim(i))
        redDyn.push_back(tensor::DimOp::create(rw, loc, x, i));
    }
    auto redType = RankedTensorType::get(redShape, elem);
    auto id = rw.getMultiDimIdentityMap(rank);
    auto redMap = AffineMap::get(rank, 0, redExprs, ctx);
    SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
    iters[axis] = utils::IteratorType::reduction;
    auto reduce = [&](Value in, double initV, bool isMax) {
      Value init = tensor::EmptyOp::create(rw, loc, redShape, elem, redDyn);
      init = linalg::FillOp::create(rw, loc, cst(rw, loc, elem, initV), init).getResult(0);
      return linalg::GenericOp::create(
                 rw, loc, TypeRange{redType}, ValueRange{in}, ValueRange{init},
                 ArrayRef<AffineMap>{id, redMap}, iters,
                 [isMax](OpBuilder &b, Location l, ValueRange a) {
                   Value r = isMax ? Value(arith::MaximumFOp::create(b, l, a[0], a[1]))
                                   : Value(arith::AddFOp::create(b, l, a[0], a[1]));
                   linalg::YieldOp::create(b, l, r);
                 })
          .getResult(0);
    };
    SmallVector<utils::IteratorType> par(rank, utils::IteratorType::parallel);
    auto mapWith = [&](Value in, Value red, auto fn) {
      Value init = emptyLike(rw, loc, *rt, x);
      return linalg::GenericOp::create(
                 rw, loc, TypeRange{*rt}, ValueRange{in, red}, ValueRange{init},
                 ArrayRef<AffineMap>{id, redMap, id}, par,
                 [fn](OpBuilder &b, Location l, ValueRange a) {
                   linalg::YieldOp::create(b, l, fn(b, l, a[0], a[1]));
                 })
          .getResult(0);
    };
    Value m = reduce(x, -std::numeric_limits<double>::infinity(), true);
    Value shifted = mapWith(x, m, [](OpBuilder &b, Location l, Value a, Value c) -> Value {
      return arith::SubFOp::create(b, l, a, c);
    });
    Value e = buildElementwise(rw, loc, *rt, ValueRange{shifted},
                               [](OpBuilder &b, Location l, Type, ValueRange a) -> Value {
                                 return math::ExpOp::create(b, l, a[0]);
                               });
    Value s = reduce(e, 0.0, false);
    Value r = isLog ? mapWith(shifted, s, [](OpBuilder &b, Location l, Value a, Value c) -> Value {
      return arith::SubFOp::create(b, l, a, math::LogOp::create(b, l, c));
    })
                    : mapWith(e, s, [](OpBuilder &b, Location l, Value a, Value c) -> Value {
                        return arith::DivFOp::create(b, l, a, c);
                      });
    rw.replaceOp(op, r);
    return success();
  }
};

/// Einsum as one generic: a loop per label (output labels parallel, the
/// others reductions); operands indexed by their labels, a broadcast
/// (size-1) dim by the constant 0.
struct EinsumPattern : OpConversionPattern<onnx::EinsumOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::EinsumOp op, OpAdaptor ad,
                  ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !rt->hasStaticShape())
      return op.emitOpError("Einsum needs static shapes");
    SmallVector<int64_t> ranks;
    for (Value v : ad.getInputs())
      ranks.push_back(cast<RankedTensorType>(v.getType()).getRank());
    auto spec = onnx::parseEinsum(op.getEquation(), ranks);
    if (!spec)
      return op.emitOpError("bad equation");
    MLIRContext *ctx = rw.getContext();
    std::string labels = spec->output;
    for (auto &in : spec->inputs)
      for (char c : in)
        if (labels.find(c) == std::string::npos)
          labels += c;
    auto dimOf = [&](char c) { return getAffineDimExpr(labels.find(c), ctx); };
    int64_t n = labels.size();
    SmallVector<AffineMap> maps;
    for (auto [v, in] : llvm::zip(ad.getInputs(), spec->inputs)) {
      auto t = cast<RankedTensorType>(v.getType());
      SmallVector<AffineExpr> e;
      for (auto [i, c] : llvm::enumerate(in)) {
        bool bcast = t.getDimSize(i) == 1 && rt->getRank() &&
                     spec->output.find(c) != std::string::npos &&
                     rt->getDimSize(spec->output.find(c)) != 1;
        e.push_back(bcast ? getAffineConstantExpr(0, ctx) : dimOf(c));
      }
      maps.push_back(AffineMap::get(n, 0, e, ctx));
    }
    SmallVector<AffineExpr> oe;
    for (char c : spec->output)
      oe.push_back(dimOf(c));
    maps.push_back(AffineMap::get(n, 0, oe, ctx));
    SmallVector<utils::IteratorType> iters;
    for (int64_t i = 0; i < n; ++i)
      iters.push_back(i < int64_t(spec->output.size()) ? utils::IteratorType::parallel
                                                        : utils::IteratorType::reduction);
    Type elem = rt->getElementType();
    bool f = isFloat(elem);
    Value init = filled(rw, op.getLoc(), *rt, Value(), 0.0);
    Value r = linalg::GenericOp::create(
                  rw, op.getLoc(), TypeRange{*rt}, ad.getInputs(), ValueRange{init}, maps, iters,
                  [&](OpBuilder &b, Location l, ValueRange a) {
                    Value p = a[0];
                    for (Value v : a.drop_front().drop_back())
                      p = f ? Value(arith::MulFOp::create(b, l, p, v)) : Value(arith::MulIOp::create(b, l, p, v));
                    Value s = f ? Value(arith::AddFOp::create(b, l, a.back(), p))
                                : Value(arith::AddIOp::create(b, l, a.back(), p));
                    linalg::YieldOp::create(b, l, s);
                  })
                  .getResult(0);
    rw.replaceOp(op, r);
    return success();
  }
};

/// Det of [..., M, M]: Gaussian elimination with partial pivoting per
/// matrix (scf loops on a copy), the determinant being the product of the
/// pivots with the sign of the row swaps.
struct DetPattern : OpConversionPattern<onnx::DetOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::DetOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    if (failed(rt) || !xt || !xt.hasStaticShape() || xt.getRank() < 2 || !isFloat(xt.getElementType()) ||
        xt.getDimSize(xt.getRank() - 1) != xt.getDimSize(xt.getRank() - 2))
      return op.emitOpError("needs static float square matrices [..., M, M]");
    Location loc = op.getLoc();
    Type t = xt.getElementType();
    int64_t m = xt.getDimSize(xt.getRank() - 1), batch = xt.getNumElements() / (m * m);
    // [batch, M, M] view of X, [batch] result.
    SmallVector<ReassociationIndices> re{{}, {xt.getRank() - 2}, {xt.getRank() - 1}};
    for (int64_t d = 0; d + 2 < xt.getRank(); ++d)
      re[0].push_back(d);
    Value x = ad.getX();
    auto x3 = RankedTensorType::get({batch, m, m}, t);
    x = xt.getRank() == 2 ? Value(tensor::ExpandShapeOp::create(rw, loc, x3, x, SmallVector<ReassociationIndices>{{0, 1}, {2}}))
                          : Value(tensor::CollapseShapeOp::create(rw, loc, x, re));
    auto c = [&](OpBuilder &b, Location l, int64_t v) -> Value { return arith::ConstantIndexOp::create(b, l, v); };
    auto resType = RankedTensorType::get({batch}, t);
    Value res = tensor::EmptyOp::create(rw, loc, resType.getShape(), t);
    Value det = forLoop(rw, loc, c(rw, loc, 0), c(rw, loc, batch), res, [&](OpBuilder &b, Location l, Value bi, ValueRange acc) -> SmallVector<Value> {
      SmallVector<OpFoldResult> off{bi, b.getIndexAttr(0), b.getIndexAttr(0)}, sz{b.getIndexAttr(1), b.getIndexAttr(m), b.getIndexAttr(m)},
          st(3, b.getIndexAttr(1));
      Value a0 = tensor::ExtractSliceOp::create(b, l, RankedTensorType::get({m, m}, t), x, off, sz, st);
      auto at = [&](OpBuilder &nb, Location nl, Value a, Value i, Value j) -> Value {
        return tensor::ExtractOp::create(nb, nl, a, ValueRange{i, j});
      };
      auto steps = forLoop(b, l, c(b, l, 0), c(b, l, m), ValueRange{a0, scalarConstant(b, l, t, 1)},
                        [&](OpBuilder &b1, Location l1, Value k, ValueRange s1) -> SmallVector<Value> {
        Value a = s1[0], d = s1[1];
        // Pivot: the row i >= k with the largest |a[i, k]|.
        Value kp1 = arith::AddIOp::create(b1, l1, k, c(b1, l1, 1));
        auto piv = forLoop(b1, l1, kp1, c(b1, l1, m), ValueRange{k, math::AbsFOp::create(b1, l1, at(b1, l1, a, k, k))},
                        [&](OpBuilder &b2, Location l2, Value i, ValueRange s2) -> SmallVector<Value> {
          Value v = math::AbsFOp::create(b2, l2, at(b2, l2, a, i, k));
          Value better = arith::CmpFOp::create(b2, l2, arith::CmpFPredicate::OGT, v, s2[1]);
          return {arith::SelectOp::create(b2, l2, better, i, s2[0]), arith::SelectOp::create(b2, l2, better, v, s2[1])};
        });
        Value p = piv[0];
        // Swap rows k and p (a no-op when p == k); a swap flips the sign.
        a = forLoop(b1, l1, c(b1, l1, 0), c(b1, l1, m), ValueRange{a},
                 [&](OpBuilder &b2, Location l2, Value j, ValueRange s2) -> SmallVector<Value> {
          Value rk = at(b2, l2, s2[0], k, j), rp = at(b2, l2, s2[0], p, j);
          Value a1 = tensor::InsertOp::create(b2, l2, rp, s2[0], ValueRange{k, j});
          return {tensor::InsertOp::create(b2, l2, rk, a1, ValueRange{p, j})};
        })[0];
        Value swapped = arith::CmpIOp::create(b1, l1, arith::CmpIPredicate::ne, p, k);
        d = arith::SelectOp::create(b1, l1, swapped, arith::NegFOp::create(b1, l1, d), d);
        Value pv = at(b1, l1, a, k, k);
        d = arith::MulFOp::create(b1, l1, d, pv);
        Value nonzero = arith::CmpFOp::create(b1, l1, arith::CmpFPredicate::UNE, pv, scalarConstant(b1, l1, t, 0));
        Value safe = arith::SelectOp::create(b1, l1, nonzero, pv, scalarConstant(b1, l1, t, 1));
        // Eliminate below the pivot.
        a = forLoop(b1, l1, kp1, c(b1, l1, m), ValueRange{a}, [&](OpBuilder &b2, Location l2, Value i, ValueRange s2) -> SmallVector<Value> {
          Value f = arith::DivFOp::create(b2, l2, at(b2, l2, s2[0], i, k), safe);
          return forLoop(b2, l2, k, c(b2, l2, m), ValueRange{s2[0]}, [&](OpBuilder &b3, Location l3, Value j, ValueRange s3) -> SmallVector<Value> {
            Value v = arith::SubFOp::create(b3, l3, at(b3, l3, s3[0], i, j),
                                            arith::MulFOp::create(b3, l3, f, at(b3, l3, s3[0], k, j)));
            return {tensor::InsertOp::create(b3, l3, v, s3[0], ValueRange{i, j})};
          });
        })[0];
        return {a, d};
      });
      return {tensor::InsertOp::create(b, l, steps[1], acc[0], ValueRange{bi})};
    })[0];
    Value y = det;
    if (rt->getRank() == 0)
      y = tensor::CollapseShapeOp::create(rw, loc, *rt, det, SmallVector<ReassociationIndices>{});
    else if (rt->getRank() > 1)
      y = tensor::ExpandShapeOp::create(rw, loc, *rt, det,
                                        SmallVector<ReassociationIndices>{llvm::to_vector(llvm::seq<int64_t>(0, rt->getRank()))});
    rw.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateMathPatterns(RewritePatternSet &patterns, llvm::StringSet<> &names) {
  addElementwise(patterns, names);
  patterns.add<GemmPattern, MatMulPattern, SoftmaxPattern<onnx::SoftmaxOp, false>,
               SoftmaxPattern<onnx::LogSoftmaxOp, true>, EinsumPattern, DetPattern>(patterns.getContext());
  for (StringRef n : {"onnx.Gemm", "onnx.MatMul", "onnx.Softmax", "onnx.LogSoftmax", "onnx.Einsum", "onnx.Det"})
    names.insert(n);
}

} // namespace onnxc::conversion
