//===- Dispatch.h - parallel loops as task functions ------------*- C++ -*-===//
//
// A parallel loop over [0, n) becomes a private task function
// `<parent>_<suffix>(begin, end, captures...)` plus a declared
// `<task>__dispatch(n, captures...)` called in its place; after conversion
// to LLVM, onnxc-lower-dispatch turns the call into onnxc_parallel_for.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_COMPILER_CODEGEN_CPU_DISPATCH_H
#define ONNXC_COMPILER_CODEGEN_CPU_DISPATCH_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace onnxc::cpu {

/// Emits `body(b, begin, end, captured)` over [0, n): inline (captured =
/// `captures`) when `parallel` is false, else as a task function of
/// `parent`'s module (captured = its arguments). `body` must reach values
/// from outside only through `captured`.
void emitParallelFor(
    mlir::func::FuncOp parent, mlir::SymbolTable &symbols, mlir::OpBuilder &b,
    mlir::Location loc, llvm::StringRef suffix, int64_t n, mlir::ValueRange captures,
    bool parallel,
    llvm::function_ref<void(mlir::OpBuilder &, mlir::Value, mlir::Value, mlir::ValueRange)>
        body);

} // namespace onnxc::cpu

#endif
