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
    Calls to `__onnxc_check(%ok)` (run-time checks of input values) become
    stores of ONNXC_ERR_DATA into a status word at the arena's start
    (`onnxc.status_word`).
  }];
  let options = [
    Option<"alignment", "alignment", "int64_t", "64", "Byte alignment of each buffer">,
  ];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect"];
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

def DistinctResults : Pass<"onnxc-distinct-results", "mlir::func::FuncOp"> {
  let summary = "Copy a tensor returned more than once, so each result is its own value";
  let description = [{
    buffer-results-to-out-params cannot give one allocation to two
    out-parameters; the second and later uses of a value in func.return
    become bufferization.alloc_tensor copies. Likewise a fill of an empty
    tensor that several ops write into (CSE merges the zero inits of
    convolutions and matmuls) is cloned per destination, so that each fills
    its own buffer instead of copying a shared one.
  }];
  let dependentDialects = ["mlir::bufferization::BufferizationDialect",
                           "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

def FuseElementwise : Pass<"onnxc-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg producers into their consumers, not into GEMMs";
  let description = [{
    linalg-fuse-elementwise-ops with one more rule: a producer is not fused
    into a contraction. Fusing, say, attention's 1/sqrt(d) scaling into the
    QK^T matmul recomputes it K times per output and hides the matmul from
    onnxc-lower-contractions; left apart it costs one pass over memory.
    Otherwise the same: single-use producers only, reshapes folded by
    expansion, constant folding of small linalg ops.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::affine::AffineDialect"];
}

def LowerContractions : Pass<"onnxc-lower-contractions", "mlir::ModuleOp"> {
  let summary = "Lower f32 contractions and NCHW convolutions to a packed SIMD GEMM";
  let description = [{
    Rewrites, on buffers, every f32 linalg contraction with one M, N and K
    dim (matmul, batch matmul, Gemm/MatMul generics, broadcast batch dims
    included) and every linalg.conv_2d_nchw_fchw into the register-tiled
    GEMM of PackedGemm.h. B is packed into NR-wide panels: at compile time
    when it is a constant global (the original global is dropped when
    nothing else reads it), else at run time into a new buffer. A
    convolution reads its weights as A[F, C*KH*KW] and packs its im2col
    matrix straight from the (padded) input with masked gathers; a 1x1,
    stride-1 convolution packs the input directly. An elementwise op that
    follows a convolution and rewrites its output in place (bias,
    activation, residual add) is applied to each finished register tile
    instead. With `winograd`, a 3x3, stride-1 convolution with constant
    weights and 16+ channels in and out becomes Winograd F(2x2, 3x3) or
    F(4x4, 3x3) (Winograd.h): compile-time filter transform, input transform
    into packed panels, alpha^2 GEMMs, output transform with the epilogue.
    Depthwise convolutions and 2-D max/sum pooling get SIMD window loops
    along the output width (Depthwise.h), parallel over channels.
    Ops that do not match are left for convert-linalg-to-loops.

    With `parallel`, a GEMM large enough to pay for waking threads (and a
    convolution's im2col packing with it) becomes a private task function
    over a range of column panels, called through a declared
    `<task>__dispatch(n, captures...)` that onnxc-lower-dispatch turns into
    a call of the runtime's onnxc_parallel_for.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", "256", "SIMD register width in bits">,
    Option<"fma", "fma", "bool", "true", "The target has fused multiply-add">,
    Option<"parallel", "parallel", "bool", "false",
           "Split large GEMMs over column panels for onnxc_parallel_for">,
    Option<"winograd", "winograd", "bool", "true",
           "3x3 stride-1 convolutions with constant weights as Winograd F(2x2)/F(4x4)">,
  ];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::linalg::LinalgDialect"];
}

def VectorizeElementwise : Pass<"onnxc-vectorize-elementwise", "mlir::ModuleOp"> {
  let summary = "Vectorise elementwise and row-reduction linalg ops on buffers";
  let description = [{
    For each all-parallel linalg op on static buffers whose body is arith and
    math ops (generics, maps, copies, fills): loops over the outer dims and
    SIMD chunks of `vector-bits` along the innermost one, with a masked tail.
    An operand indexed by the innermost dim (unit stride) is loaded as a
    vector; one that does not depend on it is loaded once and broadcast.
    A reduction along the innermost dim (softmax's max and sum, LayerNorm's
    mean: a body ending in out = add/mul/max/min(x, out)) carries a vector
    accumulator through the row and folds its lanes into the output with
    vector.reduction. Other ops (reductions over outer dims, transposing
    reads, linalg.index) are left to convert-linalg-to-loops. Finally exp,
    tanh and erf become MLIR's f32 polynomial approximations, which stay in
    SIMD registers where libm would be called once per lane.

    With `parallel`, ops of 64K elements or more split their first outer
    dim of size > 1 over threads (a task function, as in
    onnxc-lower-contractions).
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", "256", "SIMD register width in bits">,
    Option<"parallel", "parallel", "bool", "false", "Split large ops over threads">,
  ];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::vector::VectorDialect",
                           "mlir::math::MathDialect", "mlir::func::FuncDialect",
                           "mlir::memref::MemRefDialect", "mlir::arith::ArithDialect"];
}

def LowerDispatch : Pass<"onnxc-lower-dispatch", "mlir::ModuleOp"> {
  let summary = "Turn task dispatches into onnxc_parallel_for calls (LLVM dialect)";
  let description = [{
    For each declared `T__dispatch(n, captures...)` whose task `T(begin,
    end, captures...)` is defined (both in the LLVM dialect, so memrefs are
    already flattened the same way in both), builds a wrapper
    `T__wrapper(ptr ctx, i64 begin, i64 end)` that loads the captures from a
    struct and calls T, and rewrites each call to store the captures into a
    stack slot (allocated in the caller's entry block) and call
    `onnxc_parallel_for(n, T__wrapper, slot)`. No heap allocation.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif
