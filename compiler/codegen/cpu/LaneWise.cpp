//===- LaneWise.cpp - linalg bodies applied to SIMD vectors ---------------===//
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

} // namespace onnxc::cpu
