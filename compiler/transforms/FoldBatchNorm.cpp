//===- FoldBatchNorm.cpp - BatchNormalization into Conv -------------------===//
#include "compiler/transforms/Passes.h"

#include "dialects/onnx/OnnxOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cmath>

namespace onnxc {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "compiler/transforms/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace {

/// The values of an f32 onnx.Constant, or failure.
FailureOr<std::vector<float>> constantF32(Value v) {
  auto c = v.getDefiningOp<onnx::ConstantOp>();
  if (!c || !c.getValue())
    return failure();
  return onnx::readF32Elements(*c.getValue());
}

struct FoldBatchNorm : onnxc::impl::FoldBatchNormBase<FoldBatchNorm> {
  void runOnOperation() override {
    SmallVector<onnx::BatchNormalizationOp> norms;
    getOperation().walk([&](onnx::BatchNormalizationOp bn) { norms.push_back(bn); });
    for (auto bn : norms)
      fold(bn);
  }

  void fold(onnx::BatchNormalizationOp bn) {
    auto conv = bn.getX().getDefiningOp<onnx::ConvOp>();
    if (!conv || !conv->hasOneUse() || bn.getTrainingMode() != 0 ||
        !bn.getRunningMean().use_empty() || !bn.getRunningVar().use_empty())
      return;
    auto wt = dyn_cast<RankedTensorType>(conv.getW().getType());
    auto w = constantF32(conv.getW());
    auto scale = constantF32(bn.getScale()), bias = constantF32(bn.getB());
    auto mean = constantF32(bn.getInputMean()), var = constantF32(bn.getInputVar());
    if (!wt || !wt.hasStaticShape() || failed(w) || failed(scale) || failed(bias) ||
        failed(mean) || failed(var))
      return;
    size_t f = size_t(wt.getDimSize(0));
    if (scale->size() != f || bias->size() != f || mean->size() != f || var->size() != f)
      return;
    std::vector<float> convBias(f, 0.0f);
    if (!isa<NoneType>(conv.getB().getType())) {
      auto b = constantF32(conv.getB());
      if (failed(b) || b->size() != f)
        return;
      convBias = *b;
    }
    size_t per = w->size() / f;
    double eps = bn.getEpsilon().convertToDouble();
    std::vector<float> newBias(f);
    for (size_t i = 0; i < f; ++i) {
      double s = double((*scale)[i]) / std::sqrt(double((*var)[i]) + eps);
      for (size_t j = 0; j < per; ++j)
        (*w)[i * per + j] = float(double((*w)[i * per + j]) * s);
      newBias[i] = float((double(convBias[i]) - (*mean)[i]) * s + (*bias)[i]);
    }

    OpBuilder b(conv);
    Location loc = conv.getLoc();
    auto biasType = RankedTensorType::get({int64_t(f)}, b.getF32Type());
    auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(*w));
    Value newW = onnx::createConstant(
        b, loc, DenseResourceElementsAttr::get(wt, "bn_folded_weights", std::move(blob)));
    Value newB = onnx::createConstant(b, loc, DenseElementsAttr::get(biasType, ArrayRef(newBias)));
    conv->setOperand(1, newW);
    conv->setOperand(2, newB);
    bn.getY().replaceAllUsesWith(conv.getResult());
    bn.erase();
  }
};

} // namespace
