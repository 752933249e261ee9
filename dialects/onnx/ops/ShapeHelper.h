//===- ShapeHelper.h - shape rules shared by onnx ops ---------*- C++ -*-===//
//
// Free functions that both verifiers and shape inference call (in the
// spirit of StableHLO's TypeInference.cpp). Dims are int64_t with
// ShapedType::kDynamic for unknown (symbolic) dims.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_DIALECTS_ONNX_OPS_SHAPEHELPER_H
#define ONNXC_DIALECTS_ONNX_OPS_SHAPEHELPER_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace onnxc::onnx {

using Shape = llvm::SmallVector<int64_t, 6>;
constexpr int64_t kDyn = mlir::ShapedType::kDynamic;

/// Shape of a ranked tensor value, nullopt if unranked or not a tensor.
std::optional<Shape> getShape(mlir::Value v);
mlir::Type getElementTypeOrNull(mlir::Value v);
bool isNone(mlir::Value v);

/// Multidirectional (numpy) broadcast; nullopt if two static dims clash.
std::optional<Shape> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                     llvm::ArrayRef<int64_t> b);

/// Integer contents of a value defined by onnx.Constant (dense attr).
std::optional<llvm::SmallVector<int64_t>> getConstantInts(mlir::Value v);

/// Float contents of a value defined by onnx.Constant (dense attr).
std::optional<llvm::SmallVector<double>> getConstantFloats(mlir::Value v);

/// Sets result `i` to tensor<shape x elem>, keeping any static dim the
/// current type knows and the new one does not.
void setResultType(mlir::Operation *op, unsigned i,
                   std::optional<llvm::ArrayRef<int64_t>> shape,
                   mlir::Type elem);

/// Normalises a possibly negative axis; nullopt if out of [-rank, rank).
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Output size of one spatial dim of a convolution/pooling window.
int64_t windowOutputDim(int64_t in, int64_t kernel, int64_t stride,
                        int64_t dilation, int64_t padBegin, int64_t padEnd,
                        bool ceilMode);

/// Resolves auto_pad/pads into explicit begin/end pads for `spatialIn`.
/// Returns false on a malformed attribute.
bool resolvePads(llvm::StringRef autoPad, llvm::ArrayRef<int64_t> spatialIn,
                 llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
                 llvm::ArrayRef<int64_t> dilations,
                 std::optional<llvm::ArrayRef<int64_t>> pads,
                 llvm::SmallVectorImpl<int64_t> &padsOut);

/// Shape of a window op's output (Conv/MaxPool/AveragePool), given the
/// input shape [N, C, spatial...] and the number of output channels.
Shape windowOutputShape(llvm::ArrayRef<int64_t> in, int64_t outChannels,
                        llvm::ArrayRef<int64_t> kernel,
                        llvm::ArrayRef<int64_t> strides,
                        llvm::ArrayRef<int64_t> dilations,
                        llvm::ArrayRef<int64_t> padsBeginEnd, bool ceilMode);

/// Fills default strides/dilations (1s) for `n` spatial dims.
llvm::SmallVector<int64_t> orOnes(std::optional<llvm::ArrayRef<int64_t>> v,
                                  size_t n);

class PadOp;
/// Pad's begin/end pads for every dim: the constant pads input, spread over
/// the constant axes input (opset 18) when there is one; nullopt when a
/// value is not constant or does not fit `rank`.
std::optional<llvm::SmallVector<int64_t>> fullRankPads(PadOp op, int64_t rank);

class ConvTransposeOp;
/// Begin/end pads of a ConvTranspose after auto_pad/output_shape.
llvm::LogicalResult convTransposePads(ConvTransposeOp op, llvm::ArrayRef<int64_t> in,
                                      llvm::ArrayRef<int64_t> kernel,
                                      llvm::SmallVectorImpl<int64_t> &pads);

/// A parsed Einsum equation: one label string per input and for the output,
/// ellipses expanded to upper-case labels ('A'...) from the operand ranks.
struct EinsumSpec {
  llvm::SmallVector<std::string> inputs;
  std::string output;
};
std::optional<EinsumSpec> parseEinsum(llvm::StringRef equation,
                                      llvm::ArrayRef<int64_t> ranks);

/// Shape rules shared by op families (hand-written.json "shape_rules"):
/// result 0 has operand 0's type / the numpy broadcast of all non-none
/// operands with operand 0's element type / that broadcast as i1 /
/// operand 0's shape as i1.
llvm::LogicalResult inferShapesAsUnary(mlir::Operation *op);
llvm::LogicalResult inferShapesAsBroadcast(mlir::Operation *op);
llvm::LogicalResult inferShapesAsCompare(mlir::Operation *op);
llvm::LogicalResult inferShapesAsUnaryBool(mlir::Operation *op);

} // namespace onnxc::onnx

#endif
