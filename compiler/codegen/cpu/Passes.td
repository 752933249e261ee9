//===- Passes.td - CPU codegen passes ------------------------*- tablegen -*-===//
#ifndef ONNXC_CODEGEN_CPU_PASSES_TD
#define ONNXC_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def PlanArena : Pass<"onnxc-plan-arena", "mlir::func::FuncOp"> {
  let summary = "Place every temporary buffer in one caller-provided arena";
  let description = [{
    Replaces each `memref.alloc` of a public function with a `memref.view`
    into a new trailing `memref<?xi8>` argument (the arena). Offsets come
    from a static lifetime analysis over the function's top-level ops:
    buffers whose live ranges do not overlap share bytes (greedy, largest
    first, `alignment`-byte aligned). The arena size is recorded as
    `onnxc.arena_size` on the function. The run path then never allocates.
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", "64", "Byte alignment of each buffer">,
  ];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::arith::ArithDialect"];
}

def CopyToLinalg : Pass<"onnxc-copy-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Turn memref.copy into linalg.copy";
  let description = [{
    memref.copy between strided views lowers to a call of MLIR's C runner
    library (`memrefCopy`), which a model library must not depend on; as a
    linalg.copy it becomes plain loops.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif
