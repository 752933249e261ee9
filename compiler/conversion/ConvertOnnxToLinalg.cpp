//===- ConvertOnnxToLinalg.cpp - legality check and lowering pass ---------===//
#include "compiler/conversion/Passes.h"
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/MapVector.h"

namespace onnxc {
#define GEN_PASS_DEF_CHECKONNXLEGALITY
#define GEN_PASS_DEF_CONVERTONNXTOLINALG
#include "compiler/conversion/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using namespace onnxc;

static void populateAll(RewritePatternSet &patterns, llvm::StringSet<> &names) {
  conversion::populateMathPatterns(patterns, names);
  conversion::populateNNPatterns(patterns, names);
  conversion::populateTensorPatterns(patterns, names);
  conversion::populateLogicalPatterns(patterns, names);
  conversion::populateQuantizationPatterns(patterns, names);
  conversion::populateRecurrentPatterns(patterns, names);
  conversion::populateSamplingPatterns(patterns, names);
  conversion::populateRandomPatterns(patterns, names);
  conversion::populateDataDependentPatterns(patterns, names);
  conversion::populateControlFlowPatterns(patterns, names);
  conversion::populateTrainingPatterns(patterns, names);
  conversion::populateSignalPatterns(patterns, names);
  conversion::populateAttentionPatterns(patterns, names);
  conversion::populateReductionPatterns(patterns, names);
  conversion::populateTensorIndexingPatterns(patterns, names);
  conversion::populateNormalizationPatterns(patterns, names);
  conversion::populateLossPatterns(patterns, names);
  conversion::populateStringPatterns(patterns, names);
}

bool onnxc::isOnnxOpLowerable(StringRef opName) {
  static llvm::StringSet<> names = [] {
    MLIRContext ctx;
    ctx.loadDialect<onnx::OnnxDialect>();
    RewritePatternSet patterns(&ctx);
    llvm::StringSet<> n;
    populateAll(patterns, n);
    n.insert("onnx.NoValue");
    return n;
  }();
  return names.contains(opName);
}

namespace {

bool isStringTensor(Type t) {
  auto st = dyn_cast<ShapedType>(t);
  return st && isa<onnx::StringType>(st.getElementType());
}

/// Ops whose lowering only moves, selects or compares whole elements, plus
/// those that read strings (Strings.cpp): the ones that may take string
/// records. Any other op on strings (Resize, Unique, TfIdfVectorizer...)
/// would compute with the records' integer values.
bool takesStrings(StringRef opName) {
  static const llvm::StringSet<> ops = {
      "Cast", "CastLike", "CenterCropPad", "Compress", "Concat", "Constant",
      "DepthToSpace", "Equal", "Expand", "Flatten", "Gather", "GatherElements",
      "GatherND", "Identity", "If", "Loop", "OneHot", "Pad", "RandomNormalLike",
      "RandomUniformLike", "Reshape", "ReverseSequence", "Scan", "Scatter",
      "ScatterElements", "ScatterND", "Shape", "Size", "Slice", "SpaceToDepth",
      "Split", "Squeeze", "StringNormalizer", "Tile", "Transpose", "Trilu",
      "Unsqueeze", "Where"};
  return ops.contains(opName.drop_front(5));
}

/// "name" (#index) from the importer's NameLoc(node, FileLineCol(file, index)).
std::string describeNode(Location loc) {
  if (auto n = dyn_cast<NameLoc>(loc)) {
    std::string s = "'" + n.getName().str() + "'";
    if (auto f = dyn_cast<FileLineColLoc>(n.getChildLoc()))
      s += " (#" + std::to_string(f.getLine()) + ")";
    return s;
  }
  std::string s;
  llvm::raw_string_ostream os(s);
  os << loc;
  return s;
}

struct CheckOnnxLegality : onnxc::impl::CheckOnnxLegalityBase<CheckOnnxLegality> {
  void runOnOperation() override {
    // op description -> node descriptions, in first-use order.
    llvm::MapVector<StringRef, SmallVector<std::string>> missing;
    llvm::StringSet<> keys;
    getOperation().walk([&](Operation *op) {
      if (!isa<onnx::OnnxDialect>(op->getDialect()) || isa<onnx::YieldOp>(op))
        return;
      std::string key;
      if (auto custom = dyn_cast<onnx::CustomOp>(op)) {
        key = custom.getOpType().str();
        if (!custom.getDomain().empty())
          key = custom.getDomain().str() + "::" + key;
        key += " (opset " + std::to_string(custom.getVersion()) + ")";
      } else if (!isOnnxOpLowerable(op->getName().getStringRef())) {
        key = op->getName().getStringRef().drop_front(5).str();
      } else if (!takesStrings(op->getName().getStringRef()) &&
                 (llvm::any_of(op->getOperandTypes(), isStringTensor) ||
                  llvm::any_of(op->getResultTypes(), isStringTensor))) {
        key = op->getName().getStringRef().drop_front(5).str() + " on string tensors";
      } else {
        return;
      }
      missing[keys.insert(key).first->getKey()].push_back(describeNode(op->getLoc()));
    });
    if (missing.empty())
      return;
    auto diag = emitError(getOperation().getLoc())
                << missing.size() << " unsupported op type"
                << (missing.size() > 1 ? "s" : "") << " in the model:";
    for (auto &[op, nodes] : missing) {
      diag << "\n  " << op << ": " << nodes.size() << " node"
           << (nodes.size() > 1 ? "s" : "") << " (";
      for (size_t i = 0; i < nodes.size() && i < 5; ++i)
        diag << (i ? ", " : "") << nodes[i];
      if (nodes.size() > 5)
        diag << ", ...";
      diag << ")";
    }
    signalPassFailure();
  }
};

struct ConvertOnnxToLinalg : onnxc::impl::ConvertOnnxToLinalgBase<ConvertOnnxToLinalg> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    llvm::StringSet<> names;
    populateAll(patterns, names);
    ConversionTarget target(*ctx);
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect, scf::SCFDialect,
                           func::FuncDialect, vector::VectorDialect,
                           bufferization::BufferizationDialect, memref::MemRefDialect,
                           LLVM::LLVMDialect>();
    target.addIllegalDialect<onnx::OnnxDialect>();
    target.addLegalOp<onnx::NoValueOp>();
    // onnx.Constant folds to its own attribute, which would materialize as
    // onnx.Constant again: lower by patterns only.
    ConversionConfig config;
    config.foldingMode = DialectConversionFoldingMode::Never;
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns),
                                      config))) {
      signalPassFailure();
      return;
    }
    getOperation().walk([](onnx::NoValueOp op) {
      if (op->use_empty())
        op->erase();
    });
  }
};

} // namespace
