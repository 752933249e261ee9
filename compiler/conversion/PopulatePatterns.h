//===- PopulatePatterns.h - onnx -> linalg patterns by family --*- C++ -*-===//
//
// Private to compiler/conversion: helpers shared by the per-family files and
// one populate function per ONNX op category.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_COMPILER_CONVERSION_POPULATEPATTERNS_H
#define ONNXC_COMPILER_CONVERSION_POPULATEPATTERNS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/StringSet.h"

#include <functional>

namespace onnxc::conversion {

/// Body of an elementwise op: scalars of the (broadcast) operands in, the
/// result scalar out. `elem` is the result element type.
using ScalarFn = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::Type elem, mlir::ValueRange)>;

/// Emits a linalg.generic computing `fn` over `operands`, broadcast
/// numpy-style to `resultType` (static size-1 dims broadcast; dynamic dims
/// are taken from the operands). With `dest`, the generic writes into it and
/// `fn` also gets dest's current element, last (a loop-carried tensor is
/// then updated in place).
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType resultType,
                             mlir::ValueRange operands, ScalarFn fn,
                             mlir::Value dest = {});

/// tensor.empty of `type`, with dynamic sizes read from `like` (same rank)
/// or from `dynSizes`.
mlir::Value emptyLike(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::RankedTensorType type, mlir::Value like);

/// A float or integer constant of `elem`.
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Type elem, double value);

/// Filled tensor of `type` shaped like `like` (dynamic dims).
mlir::Value filled(mlir::OpBuilder &b, mlir::Location loc,
                   mlir::RankedTensorType type, mlir::Value like, double value);

/// Number of elements of `tensor` over the dims where `mask` is set, as a
/// scalar of float type `elem` (static sizes fold to a constant).
mlir::Value elementCount(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tensor,
                         llvm::ArrayRef<bool> mask, mlir::Type elem);

/// Mean of float `x` over the dims where `mask` is set, kept as size-1 dims
/// (normalizations, training-mode BatchNormalization).
mlir::Value meanKeepDims(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                         llvm::ArrayRef<bool> mask);

/// Ranked result type of an op, or failure with a match-failure message.
mlir::FailureOr<mlir::RankedTensorType>
rankedResult(mlir::ConversionPatternRewriter &rw, mlir::Operation *op,
             unsigned i = 0);

/// Scalar body of an elementwise onnx op (the op gives its attributes).
using OpScalarFn = std::function<mlir::Value(mlir::Operation *, mlir::OpBuilder &,
                                             mlir::Location, mlir::Type elem,
                                             mlir::ValueRange)>;

/// Registers a broadcasting elementwise lowering for "onnx.<onnxName>".
void addElementwisePattern(mlir::RewritePatternSet &patterns,
                           llvm::StringSet<> &names, llvm::StringRef onnxName,
                           OpScalarFn fn);

/// Converts a scalar between int/float types; integers are signed unless
/// flagged unsigned (i1 always converts as unsigned). To float8, values
/// beyond the format's range saturate unless `saturate` is false (ONNX Cast).
mlir::Value castScalar(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                       mlir::Type to, bool fromUnsigned = false,
                       bool toUnsigned = false, bool saturate = true);

/// float8 (E4M3FN, E4M3FNUZ, E5M2, E5M2FNUZ) <-> f32 (Float8.cpp).
bool isFloat8(mlir::Type t);
mlir::Value truncToFloat8(mlir::OpBuilder &b, mlir::Location l, mlir::Value f32, mlir::Type to,
                          bool saturate);
mlir::Value extFromFloat8(mlir::OpBuilder &b, mlir::Location l, mlir::Value v);

/// An integer index read from an indices tensor, as an index into `data`'s
/// dim `dim`: negative values count from the end (Gather, GatherND,
/// GatherElements).
mlir::Value wrapIndex(mlir::OpBuilder &b, mlir::Location loc, mlir::Value raw,
                      mlir::Value data, int64_t dim);

/// An output-only linalg.generic over `type` (dynamic sizes in `dynSizes`)
/// whose body computes each element from its indices (gathers, iotas).
mlir::Value generateTensor(
    mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type, mlir::ValueRange dynSizes,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::ValueRange)> body);

/// The first element of a scalar or one-element tensor (a run-time
/// parameter such as an axis, a count or a condition).
mlir::Value firstElement(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tensor);

/// scf.for from `lo` to `hi` (step 1) carrying `init`; `body` gets the
/// induction variable and the carried values and returns the next ones.
llvm::SmallVector<mlir::Value>
forLoop(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lo, mlir::Value hi, mlir::ValueRange init,
        llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::OpBuilder &, mlir::Location, mlir::Value,
                                                          mlir::ValueRange)> body);

/// A run-time check of input values (RuntimeCheck.h): the run returns
/// ONNXC_ERR_DATA where `ok` is false. Code after a failed check must still
/// stay in bounds.
/// Result `i` with a static shape, or an error saying the model must
/// declare it (the shape depends on input values).
mlir::FailureOr<mlir::RankedTensorType> declaredResult(mlir::Operation *op, unsigned i = 0);

/// An index constant.
mlir::Value cIdx(mlir::OpBuilder &b, mlir::Location l, int64_t v);

void emitRuntimeCheck(mlir::OpBuilder &b, mlir::Location loc, mlir::Value ok);

/// Declares private function `name` of `type` in the module around the
/// builder's insertion point, once (runtime-support entry points the
/// generated code calls).
void declareFunction(mlir::OpBuilder &b, mlir::Location loc, llvm::StringRef name,
                     mlir::FunctionType type);

/// Whether operand `i` of an onnx op was an unsigned integer tensor before
/// onnxc-make-signless (its `onnxc.unsigned_operands` flags).
bool isUnsignedOperand(mlir::Operation *op, unsigned i = 0);

/// numpy matmul of ranked `lhs` x `rhs` into `rt` (float or integer
/// multiply-accumulate): MatMul, MatMulInteger, QLinearMatMul.
mlir::Value buildMatMul(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType rt, mlir::Value lhs, mlir::Value rhs);

/// Convolution of NC... `x` with `w` into `rt` (float or integer), after
/// padding with zeros per pads/auto_pad; `op` locates diagnostics. Conv,
/// ConvInteger, QLinearConv.
mlir::FailureOr<mlir::Value>
buildConv(mlir::OpBuilder &b, mlir::Operation *op, mlir::Value x, mlir::Value w,
          mlir::RankedTensorType rt, std::optional<llvm::ArrayRef<int64_t>> strides,
          std::optional<llvm::ArrayRef<int64_t>> dilations,
          std::optional<llvm::ArrayRef<int64_t>> pads, llvm::StringRef autoPad,
          int64_t group);

/// Fills `names` with the op names the populate functions handle.
void populateMathPatterns(mlir::RewritePatternSet &patterns,
                          llvm::StringSet<> &names);
void populateNNPatterns(mlir::RewritePatternSet &patterns,
                        llvm::StringSet<> &names);
void populateTensorPatterns(mlir::RewritePatternSet &patterns,
                            llvm::StringSet<> &names);
void populateTensorIndexingPatterns(mlir::RewritePatternSet &patterns,
                                    llvm::StringSet<> &names);
void populateNormalizationPatterns(mlir::RewritePatternSet &patterns,
                                   llvm::StringSet<> &names);
void populateLossPatterns(mlir::RewritePatternSet &patterns, llvm::StringSet<> &names);
void populateReductionPatterns(mlir::RewritePatternSet &patterns,
                               llvm::StringSet<> &names);
void populateQuantizationPatterns(mlir::RewritePatternSet &patterns,
                                  llvm::StringSet<> &names);
void populateRecurrentPatterns(mlir::RewritePatternSet &patterns,
                               llvm::StringSet<> &names);
void populateSamplingPatterns(mlir::RewritePatternSet &patterns,
                              llvm::StringSet<> &names);
void populateRandomPatterns(mlir::RewritePatternSet &patterns,
                            llvm::StringSet<> &names);
void populateDataDependentPatterns(mlir::RewritePatternSet &patterns,
                                   llvm::StringSet<> &names);
void populateControlFlowPatterns(mlir::RewritePatternSet &patterns,
                                 llvm::StringSet<> &names);
void populateTrainingPatterns(mlir::RewritePatternSet &patterns,
                              llvm::StringSet<> &names);
void populateSignalPatterns(mlir::RewritePatternSet &patterns,
                            llvm::StringSet<> &names);
void populateAttentionPatterns(mlir::RewritePatternSet &patterns,
                               llvm::StringSet<> &names);
void populateStringPatterns(mlir::RewritePatternSet &patterns,
                            llvm::StringSet<> &names);
void populateLogicalPatterns(mlir::RewritePatternSet &patterns,
                             llvm::StringSet<> &names);

} // namespace onnxc::conversion

#endif
