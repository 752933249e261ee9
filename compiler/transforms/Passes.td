//===- Passes.td - passes on the onnx dialect ----------------*- tablegen -*-===//
#ifndef ONNXC_TRANSFORMS_PASSES_TD
#define ONNXC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def InferShapes : Pass<"onnxc-infer-shapes", "mlir::func::FuncOp"> {
  let summary = "Refine onnx result types from operand types, in program order";
  let description = [{
    Calls each op's shape function (ShapeInferenceOpInterface) in block
    order, so that refined types flow forward; then updates the function's
    result types. Symbolic dims stay dynamic. The importer runs the same
    functions while importing; this pass re-runs them after rewrites.
  }];
}

def FoldShapes : Pass<"onnxc-fold-shapes", "mlir::func::FuncOp"> {
  let summary = "Fold shape computations to constants, refining types on the way";
  let description = [{
    One forward walk: each op first gets its result types inferred, then is
    folded if its operands are constants (Shape of a static tensor,
    Gather/Concat/Slice/arithmetic on small integer constants, ...). Since
    ops are visited in order, a Reshape sees the constant its target shape
    folded to. Dead ops are left to canonicalization.
  }];
}

def FlattenSequences : Pass<"onnxc-flatten-sequences", "mlir::func::FuncOp"> {
  let summary = "Replace sequence and optional values by the tensors they hold";
  let description = [{
    The structure of sequences and optionals (length, element shapes,
    presence) is fixed at compile time like tensor shapes. One forward walk
    tracks the tensors each such value holds, rewrites the Sequence*,
    Optional*, SplitToSequence and ConcatFromSequence ops into tensor ops
    (run-time positions select among same-typed elements), clones
    SequenceMap bodies per element, unrolls Loops that carry sequences,
    splits If results per tensor, and flattens the function's results
    ("y" -> "y.0", "y.1", ...). What only the run decides travels as values:
    an optional's presence ("y.has_value"), a sequence's length ("y.length",
    e.g. from a Loop with a run-time trip count, unrolled as one If per iteration up to
    `loop-bound` iterations) and the shape of an element that a run-time
    position picks among differently shaped ones ("y.k" flat, "y.k.shape").
  }];
  let options = [
    Option<"loopBound", "loop-bound", "int64_t", "0",
           "Most iterations of a Loop that carries sequences or optionals and has a "
           "run-time trip count or condition (it is unrolled; 0: such loops are an error)">,
  ];
}

def RefineFromUses : Pass<"onnxc-refine-from-uses", "mlir::func::FuncOp"> {
  let summary = "Fix dynamic dims from the static shapes their uses require";
  let description = [{
    Backward sweeps: an elementwise op (ShapeOfOperand0, BroadcastsOperands)
    with a static result gives its operands' dynamic dims the result's
    extents; a Loop's body yields each state with the state's type. The
    producers of such values (data-dependent ops) then compile for that
    shape and check it at run time. Run forward inference afterwards.
  }];
}

def MakeSignless : Pass<"onnxc-make-signless", "mlir::func::FuncOp"> {
  let summary = "Rewrite unsigned integer tensors to signless, remembering signedness";
  let description = [{
    arith/linalg work on signless integers; ONNX has uint8..uint64. This pass
    retypes every unsigned tensor value (arguments, results, constants) to
    the signless type of the same width and marks each op that read an
    unsigned operand with `onnxc.unsigned_operands` (one bool per operand),
    so that lowerings pick divui/remui/maxui/cmpi u*/uitofp. Run right
    before the conversion to linalg; the model's signature is read earlier.
  }];
}

def LowerStrings : Pass<"onnxc-lower-strings", "mlir::func::FuncOp"> {
  let summary = "Retype string tensors as tensors of fixed-width byte records";
  let description = [{
    A string element becomes a record of `string-bytes` bytes, NUL-padded,
    held in a signless integer of 8 x string-bytes bits (onnx::isStringRecord):
    data-movement ops then lower unchanged, equality is an integer compare,
    and the C interface passes strings as `char[string-bytes]` records.
    String constants are converted; one longer than a record is an error.
    Run with onnxc-make-signless, before the conversion to linalg.
  }];
  let options = [
    Option<"stringBytes", "string-bytes", "int64_t", "32",
           "bytes per string element (a multiple of 16)">,
  ];
}

def FoldBatchNorm : Pass<"onnxc-fold-batchnorm", "mlir::func::FuncOp"> {
  let summary = "Fold inference BatchNormalization into the Conv that feeds it";
  let description = [{
    Conv(X, W, B) -> BatchNormalization(scale, bias, mean, var) with constant
    f32 parameters, a constant W and the Conv used only there becomes one
    Conv with W'[f] = W[f] * s[f] and B'[f] = (B[f] - mean[f]) * s[f] +
    bias[f], s = scale / sqrt(var + epsilon): the normalisation costs
    nothing at run time and the Conv's epilogue stays a bias add. Exporters
    that keep BatchNormalization (training-mode exports, other frameworks)
    get what ONNX Runtime's graph optimiser does.
  }];
}

#endif
