//===- OnnxBase.td - onnx dialect, types and interfaces ------*- tablegen -*-===//
//
// The onnx dialect mirrors ONNX's default domain: one op per op type, at its
// newest version. Tensors are builtin tensors; unsigned ONNX integers are
// unsigned MLIR integers, bool is i1. Strings, sequences and optionals are
// dialect types.
//
//===----------------------------------------------------------------------===//

#ifndef ONNXC_ONNX_BASE_TD
#define ONNXC_ONNX_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypes.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Onnx_Dialect : Dialect {
  let name = "onnx";
  let summary = "ONNX operators (ai.onnx domain)";
  let cppNamespace = "::onnxc::onnx";
  let useDefaultTypePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

class Onnx_Type<string name, string typeMnemonic, list<Trait> traits = []>
    : TypeDef<Onnx_Dialect, name, traits> {
  let mnemonic = typeMnemonic;
}

def Onnx_StringType : Onnx_Type<"String", "string"> {
  let summary = "ONNX string element";
}
// onnxc-lower-strings retypes strings as fixed-width byte records (signless
// integers of 8 x string-bytes bits): ops that take strings take those too.
def Onnx_String : Type<CPred<"::llvm::isa<::onnxc::onnx::StringType>($_self) || "
                             "::onnxc::onnx::isStringRecord($_self)">,
                       "onnx string">;

// ONNX's 4-bit integers (opset 21); MLIR defines no ODS names for them.
def I4 : I<4>;
def UI4 : UI<4>;

def Onnx_SeqType : Onnx_Type<"Seq", "seq"> {
  let summary = "ONNX sequence of tensors";
  let parameters = (ins "::mlir::Type":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
}
def Onnx_Seq : Type<CPred<"::llvm::isa<::onnxc::onnx::SeqType>($_self)">,
                    "onnx sequence">;

def Onnx_OptType : Onnx_Type<"Opt", "opt"> {
  let summary = "ONNX optional value";
  let parameters = (ins "::mlir::Type":$elementType);
  let assemblyFormat = "`<` $elementType `>`";
}
def Onnx_Opt : Type<CPred<"::llvm::isa<::onnxc::onnx::OptType>($_self)">,
                    "onnx optional">;

include "dialects/onnx/OnnxInterfaces.td"

class Onnx_Op<string mnemonic, list<Trait> traits = []>
    : Op<Onnx_Dialect, mnemonic, traits>;

#endif // ONNXC_ONNX_BASE_TD
