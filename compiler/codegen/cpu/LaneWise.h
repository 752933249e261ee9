//===- LaneWise.h - linalg bodies applied to SIMD vectors ------*- C++ -*-===//
//
// An elementwise linalg body made of arith/math ops computes the same on a
// vector of lanes as on one element; the vectoriser and the GEMM epilogue
// both clone such bodies with vector types.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_COMPILER_CODEGEN_CPU_LANEWISE_H
#define ONNXC_COMPILER_CODEGEN_CPU_LANEWISE_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

namespace onnxc::cpu {

/// Whether every op of a linalg body (but the yield) acts lane-wise on
/// vectors, has one result and lowers to LLVM on vectors.
bool isLaneWiseBody(mlir::Block *body);

/// Clones `body` on vectors of `vl` lanes and returns the yielded vectors.
/// `map` must give the block arguments the body reads; values from outside
/// the body are broadcast, after `outer` remaps them (a task function's
/// copies).
llvm::SmallVector<mlir::Value> cloneOnVectors(mlir::OpBuilder &b, mlir::Location loc,
                                              mlir::Block *body, int64_t vl, mlir::IRMapping &map,
                                              const mlir::IRMapping &outer);

} // namespace onnxc::cpu

#endif
