//===- LaneWise.h - linalg bodies and loads on SIMD vectors ----*- C++ -*-===//
//
// An elementwise linalg body made of arith/math ops computes the same on a
// vector of lanes as on one element; the vectoriser and the GEMM epilogue
// both clone such bodies with vector types. Also the lane-level reads the
// kernels share: masked loads, strided lanes, lanes inside a row.
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

/// The i32 vector [0, step, 2*step, ...] of `n` lanes.
mlir::Value laneOffsets(mlir::OpBuilder &b, mlir::Location loc, int64_t n, int64_t step = 1);

/// `vt` lanes of `buf` from `indices`: a masked load (dead lanes zero, not
/// read) when `mask` is set, else a plain one.
mlir::Value loadLanes(mlir::OpBuilder &b, mlir::Location loc, mlir::VectorType vt,
                      mlir::Value buf, mlir::ValueRange indices, mlir::Value mask);

/// Lanes 0, 2, 4, ... of `lo` followed by `hi`: a stride-2 read from two
/// consecutive loads.
mlir::Value evenLanes(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lo, mlir::Value hi);

/// Columns `start + offsets` (an index plus a vector of i32 lane offsets) and
/// whether each lies in [0, end).
std::pair<mlir::Value, mlir::Value> lanesInRange(mlir::OpBuilder &b, mlir::Location loc,
                                                 mlir::Value start, mlir::Value offsets,
                                                 int64_t end);

} // namespace onnxc::cpu

#endif
