//===- Float8.cpp - float8/float4 <-> f32 conversions in integer arithmetic ===//
//
// LLVM has no float8 or float4 types, and arith's extf/truncf do not lower
// for them: conversions are written out here. A float8 value is its byte
// (arith bitcast to i8), a float4 (E2M1) its nibble (i4). To float8: round the magnitude to the format's precision
// at its binade (round half to even, in f32 where that is exact), then
// encode exponent and mantissa; beyond the largest finite value saturate
// (ONNX's default) or give infinity/NaN as the format allows. From float8:
// decode the fields into an f32 exactly.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;

namespace onnxc::conversion {
namespace {

/// The parameters of a float8 (or float4) format.
struct Format {
  int64_t mantissa, bias;
  double max;
  int64_t maxCode;  // magnitude code of max
  bool hasInf;      // E5M2: 0x7C is infinity
  bool unsignedZero; // *FNUZ: 0x80 is the only NaN, no negative zero
  int64_t nanCode;  // magnitude code of NaN (signed formats)
  int64_t bits = 8; // the sign is the top bit
};

Format formatOf(Type t) {
  // E2M1 (opset 23) has neither infinity nor NaN: both become the largest
  // magnitude, NaN positive (as the reference), and casts always saturate.
  if (isa<Float4E2M1FNType>(t))
    return {1, 1, 6.0, 0x7, false, false, 0x7, 4};
  if (isa<Float8E4M3FNType>(t))
    return {3, 7, 448.0, 0x7E, false, false, 0x7F};
  if (isa<Float8E4M3FNUZType>(t))
    return {3, 8, 240.0, 0x7F, false, true, 0x80};
  if (isa<Float8E5M2Type>(t))
    return {2, 15, 57344.0, 0x7B, true, false, 0x7F};
  return {2, 16, 57344.0, 0x7F, false, true, 0x80}; // E5M2FNUZ
}

struct I32 {
  OpBuilder &b;
  Location l;
  Value c(int64_t v) { return arith::ConstantIntOp::create(b, l, b.getI32Type(), v); }
  Value shl(Value x, int64_t s) { return arith::ShLIOp::create(b, l, x, c(s)); }
  Value shr(Value x, int64_t s) { return arith::ShRUIOp::create(b, l, x, c(s)); }
  Value band(Value x, int64_t m) { return arith::AndIOp::create(b, l, x, c(m)); }
  Value bor(Value x, Value y) { return arith::OrIOp::create(b, l, x, y); }
  Value add(Value x, int64_t v) { return arith::AddIOp::create(b, l, x, c(v)); }
  Value eq(Value x, int64_t v) { return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, x, c(v)); }
  Value sel(Value p, Value x, Value y) { return arith::SelectOp::create(b, l, p, x, y); }
  /// 2^k as an f32, for an i32 k in f32's normal range.
  Value pow2(Value k) { return arith::BitcastOp::create(b, l, b.getF32Type(), shl(add(k, 127), 23)); }
  /// The unbiased exponent field of an f32's bits.
  Value exponent(Value bits) { return add(band(shr(bits, 23), 0xFF), -127); }
};

} // namespace

bool isFloat8(Type t) {
  return isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type, Float8E5M2FNUZType,
             Float4E2M1FNType>(t);
}

Value truncToFloat8(OpBuilder &b, Location l, Value x, Type to, bool saturate) {
  Format f = formatOf(to);
  I32 i{b, l};
  Type f32 = b.getF32Type(), i32 = b.getI32Type();
  int64_t emin = 1 - f.bias;
  Value bits = arith::BitcastOp::create(b, l, i32, x);
  Value sign = i.shl(i.shr(bits, 31), f.bits - 1);
  saturate |= f.bits == 4;
  Value a = math::AbsFOp::create(b, l, x);
  // Round to the format's precision at a's binade (subnormals share emin's).
  Value e = arith::MaxSIOp::create(b, l, i.exponent(arith::BitcastOp::create(b, l, i32, a)), i.c(emin));
  Value quantum = i.pow2(i.add(e, -f.mantissa));
  Value r = arith::MulFOp::create(
      b, l, math::RoundEvenOp::create(b, l, arith::DivFOp::create(b, l, a, quantum)), quantum);
  Value over = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, r,
                                     arith::ConstantOp::create(b, l, b.getFloatAttr(f32, f.max)));

  // Encode r (at most max when not `over`).
  Value rb = arith::BitcastOp::create(b, l, i32, r);
  Value er = i.exponent(rb);
  Value normal = arith::CmpIOp::create(b, l, arith::CmpIPredicate::sge, er, i.c(emin));
  Value codeN = i.bor(i.shl(i.add(er, f.bias), f.mantissa), i.shr(i.band(rb, 0x7FFFFF), 23 - f.mantissa));
  Value codeS = arith::FPToSIOp::create(
      b, l, i32, arith::MulFOp::create(b, l, r, i.pow2(i.c(f.mantissa - emin))));
  Value mag = i.sel(normal, codeN, codeS);
  Value nan = f.unsignedZero ? i.c(0x80) : i.c(f.nanCode);
  Value overflow = saturate ? i.c(f.maxCode) : f.hasInf ? i.c(0x7C) : nan;
  mag = i.sel(over, overflow, mag);
  Value code = i.bor(mag, sign);
  if (f.unsignedZero) // no negative zero; 0x80 (NaN) carries no sign
    code = i.sel(i.eq(mag, 0), i.c(0), i.sel(i.eq(mag, 0x80), mag, code));
  Value isNan = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
  code = i.sel(isNan, f.unsignedZero || f.bits == 4 ? nan : i.bor(nan, sign), code);
  Value byte = arith::TruncIOp::create(b, l, b.getIntegerType(f.bits), code);
  return arith::BitcastOp::create(b, l, to, byte);
}

Value extFromFloat8(OpBuilder &b, Location l, Value v) {
  Format f = formatOf(v.getType());
  I32 i{b, l};
  Type f32 = b.getF32Type();
  Value c = arith::ExtUIOp::create(b, l, b.getI32Type(),
                                   arith::BitcastOp::create(b, l, b.getIntegerType(f.bits), v));
  int64_t expBits = f.bits - 1 - f.mantissa, signBit = int64_t(1) << (f.bits - 1);
  Value e = i.band(i.shr(c, f.mantissa), (1 << expBits) - 1);
  Value m = i.band(c, (1 << f.mantissa) - 1);
  Value sub = i.eq(e, 0);
  Value mant = i.sel(sub, m, i.bor(m, i.c(1 << f.mantissa)));
  Value ee = arith::MaxSIOp::create(b, l, e, i.c(1));
  Value mag = arith::MulFOp::create(b, l, arith::UIToFPOp::create(b, l, f32, mant),
                                    i.pow2(i.add(ee, -f.bias - f.mantissa)));
  Value neg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, i.band(c, signBit), i.c(0));
  Value r = arith::SelectOp::create(b, l, neg, arith::NegFOp::create(b, l, mag), mag);
  if (f.bits == 4) // every code is a number
    return r;
  auto fc = [&](double d) { return arith::ConstantOp::create(b, l, b.getFloatAttr(f32, d)).getResult(); };
  Value nanV = fc(std::numeric_limits<double>::quiet_NaN());
  if (f.unsignedZero)
    return arith::SelectOp::create(b, l, i.eq(c, 0x80), nanV, r);
  Value low7 = i.band(c, 0x7F);
  if (!f.hasInf) // E4M3FN: S.1111.111 is NaN
    return arith::SelectOp::create(b, l, i.eq(low7, 0x7F), nanV, r);
  // E5M2: exponent all ones is infinity (mantissa 0) or NaN.
  Value top = i.eq(e, 31);
  Value inf = arith::SelectOp::create(b, l, neg, fc(-std::numeric_limits<double>::infinity()),
                                      fc(std::numeric_limits<double>::infinity()));
  Value special = arith::SelectOp::create(b, l, i.eq(m, 0), inf, nanV);
  return arith::SelectOp::create(b, l, top, special, r);
}

} // namespace onnxc::conversion
