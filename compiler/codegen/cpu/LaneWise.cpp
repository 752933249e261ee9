//===- LaneWise.cpp - linalg bodies and loads on SIMD vectors -------------===//
#include "compiler/codegen/cpu/LaneWise.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace onnxc::cpu {

static bool isLaneWise(Operation &o) {
  if (isa<arith::ArithDialect>(o.getDialect()))
    return !isa<arith::ConstantOp>(o) || isa<FloatType, IntegerType>(o.getResult(0).getType());
  return isa<math::ExpOp, math::Exp2Op, math::LogOp, math::Log2Op, math::TanhOp, math::SqrtOp,
             math::RsqrtOp, math::AbsFOp, math::AbsIOp, math::FloorOp, math::CeilOp,
             math::ErfOp, math::SinOp, math::CosOp, math::FmaOp, math::PowFOp,
             math::RoundEvenOp, math::RoundOp, math::TruncOp, math::CopySignOp>(o);
}

bool isLaneWiseBody(Block *body) {
  for (Operation &o : body->without_terminator())
    if (!isLaneWise(o) || o.getNumRegions() || o.getNumResults() != 1)
      return false;
  return true;
}

SmallVector<Value> cloneOnVectors(OpBuilder &b, Location loc, Block *body, int64_t vl,
                                  IRMapping &map, const IRMapping &outer) {
  auto vecOf = [&](Type t) { return VectorType::get({vl}, t); };
  auto lookup = [&](Value v) -> Value {
    if (Value m = map.lookupOrNull(v))
      return m;
    Value s = vector::BroadcastOp::create(b, loc, vecOf(v.getType()), outer.lookupOrDefault(v));
    map.map(v, s);
    return s;
  };
  for (Operation &o : body->without_terminator()) {
    if (isa<arith::ConstantOp>(o)) {
      map.map(o.getResult(0), vector::BroadcastOp::create(b, loc, vecOf(o.getResult(0).getType()),
                                                          b.clone(o)->getResult(0)));
      continue;
    }
    for (Value operand : o.getOperands())
      lookup(operand);
    Operation *clone = b.clone(o, map);
    clone->getResult(0).setType(vecOf(o.getResult(0).getType()));
  }
  SmallVector<Value> results;
  for (Value v : body->getTerminator()->getOperands())
    results.push_back(lookup(v));
  return results;
}

Value laneOffsets(OpBuilder &b, Location loc, int64_t n, int64_t step) {
  auto it = VectorType::get({n}, b.getI32Type());
  SmallVector<int32_t> values;
  for (int64_t l = 0; l < n; ++l)
    values.push_back(int32_t(l * step));
  return arith::ConstantOp::create(b, loc, it, DenseElementsAttr::get(it, ArrayRef(values)));
}

Value loadLanes(OpBuilder &b, Location loc, VectorType vt, Value buf, ValueRange indices,
                Value mask) {
  if (!mask)
    return vector::LoadOp::create(b, loc, vt, buf, indices);
  Value zero = arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, 0.0f));
  return vector::MaskedLoadOp::create(b, loc, vt, buf, indices, mask, zero);
}

Value evenLanes(OpBuilder &b, Location loc, Value lo, Value hi) {
  SmallVector<int64_t> even;
  for (int64_t l = 0; l < cast<VectorType>(lo.getType()).getNumElements(); ++l)
    even.push_back(2 * l);
  return vector::ShuffleOp::create(b, loc, lo, hi, even);
}

std::pair<Value, Value> lanesInRange(OpBuilder &b, Location loc, Value start, Value offsets,
                                     int64_t end) {
  auto it = cast<VectorType>(offsets.getType());
  auto splat = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, it, DenseElementsAttr::get(it, int32_t(v)));
  };
  Value cols = arith::AddIOp::create(
      b, loc,
      vector::BroadcastOp::create(b, loc, it,
                                  arith::IndexCastOp::create(b, loc, b.getI32Type(), start)),
      offsets);
  Value ok = arith::AndIOp::create(
      b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, cols, splat(0)),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, cols, splat(end)));
  return {cols, ok};
}

} // namespace onnxc::cpu
