//===- OnnxOps.td - hand-written onnx ops --------------------*- tablegen -*-===//
//
// Ops that ONNX has no schema for but the dialect needs, plus the generated
// ops (OnnxOps.gen.td).
//
//===----------------------------------------------------------------------===//

#ifndef ONNXC_ONNX_OPS_TD
#define ONNXC_ONNX_OPS_TD

include "dialects/onnx/OnnxBase.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

def Onnx_NoValueOp : Onnx_Op<"NoValue", [Pure, ConstantLike]> {
  let summary = "An absent optional input";
  let description = [{ The `none` value standing for an optional ONNX input
    that the node leaves empty. }];
  let results = (outs NoneType:$none);
  let builders = [OpBuilder<(ins), [{ build($_builder, $_state, $_builder.getNoneType()); }]>];
  let hasFolder = 1;
}

def Onnx_CustomOp : Onnx_Op<"Custom"> {
  let summary = "A node of an unknown op type or domain";
  let description = [{ Keeps a node that the dialect does not define, so that
    import never fails on it; the legality check reports all of them at once. }];
  let arguments = (ins Variadic<AnyType>:$inputs, StrAttr:$op_type,
                   StrAttr:$domain, I64Attr:$version,
                   DictionaryAttr:$node_attributes);
  let results = (outs Variadic<AnyType>:$outputs);
  let regions = (region VariadicRegion<AnyRegion>:$graphs);
}

def Onnx_YieldOp : Onnx_Op<"Yield", [Pure, Terminator, ReturnLike]> {
  let summary = "Returns a subgraph's outputs (If/Loop/Scan bodies)";
  let arguments = (ins Variadic<AnyType>:$operands);
}

def Onnx_CheckOp : Onnx_Op<"Check"> {
  let summary = "A condition the run's values must meet";
  let description = [{ Fails the run with ONNXC_ERR_DATA where `ok` (a bool
    scalar tensor) is false; `message` says what was violated. Passes insert
    it where a compile-time structure bounds run-time values, e.g. a Loop
    carrying sequences unrolled up to `--loop-bound` iterations. }];
  let arguments = (ins TensorOf<[I1]>:$ok, StrAttr:$message);
  let assemblyFormat = "$ok `,` $message attr-dict `:` type($ok)";
}

include "dialects/onnx/OnnxOps.gen.td"

#endif // ONNXC_ONNX_OPS_TD
