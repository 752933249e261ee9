//===- Loops.h - scf loop helpers for the CPU kernels ----------*- C++ -*-===//
#ifndef ONNXC_COMPILER_CODEGEN_CPU_LOOPS_H
#define ONNXC_COMPILER_CODEGEN_CPU_LOOPS_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace onnxc::cpu {

inline mlir::Value cIdx(mlir::OpBuilder &b, mlir::Location loc, int64_t v) {
  return mlir::arith::ConstantIndexOp::create(b, loc, v);
}

/// scf.for lb..ub step `step` with no loop-carried values: `body(b, iv)`.
template <typename Body>
void forLoop(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lb, mlir::Value ub,
             int64_t step, Body body) {
  mlir::scf::ForOp::create(b, loc, lb, ub, cIdx(b, loc, step), mlir::ValueRange{},
                           [&](mlir::OpBuilder &nb, mlir::Location l, mlir::Value iv,
                               mlir::ValueRange) {
                             body(nb, iv);
                             mlir::scf::YieldOp::create(nb, l);
                           });
}
template <typename Body>
void forLoop(mlir::OpBuilder &b, mlir::Location loc, int64_t lb, int64_t ub, int64_t step,
             Body body) {
  forLoop(b, loc, cIdx(b, loc, lb), cIdx(b, loc, ub), step, body);
}

} // namespace onnxc::cpu

#endif
