//===- Attention.cpp - onnx Attention (opset 23) -> onnx ops ---------------===//
//
// Attention is expanded into the onnx ops it is made of, which the same
// conversion then lowers (MatMul takes the GEMM path, Softmax the fused
// one), following the reference computation:
//   3-D inputs -> [B, heads, S, D]; K, V appended to past_key/past_value;
//   Q and K scaled by sqrt(scale) each (scale = 1/sqrt(D) by default);
//   grouped-query attention repeats each KV head Hq/Hkv times;
//   qk = Q K^T, softcap(qk) = c tanh(qk / c), + bias (the mask: bool -> 0 or
//   -inf, float added; is_causal: -inf where key j > query i + past length);
//   Y = softmax(qk) V, back to [B, S, Hq * Dv] for 3-D inputs.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/DataType.h"
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

#include <cmath>
#include <limits>

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

/// Creates onnx ops of known result types at the rewriter's position.
struct OnnxOps {
  ConversionPatternRewriter &rw;
  Location loc;
  Type elem;

  Value make(StringRef name, ValueRange operands, ArrayRef<int64_t> shape,
             ArrayRef<NamedAttribute> attrs = {}, Type elementType = {}) {
    return onnx::createOp(rw, loc, ("onnx." + name).str(), operands,
                          RankedTensorType::get(shape, elementType ? elementType : elem), attrs);
  }
  Value i64s(ArrayRef<int64_t> v) { return onnx::createI64Constant(rw, loc, v); }
  Value scalar(double v) {
    auto t = RankedTensorType::get({}, elem);
    return onnx::createConstant(rw, loc, DenseElementsAttr::get(t, rw.getFloatAttr(elem, v)));
  }
  NamedAttribute attr(StringRef n, int64_t v) { return rw.getNamedAttr(n, rw.getI64IntegerAttr(v)); }
  Value reshape(Value x, ArrayRef<int64_t> shape) {
    return make("Reshape", {x, i64s(shape)}, shape, {attr("allowzero", 0)}, onnx::getElementTypeOrNull(x));
  }
  Value transpose(Value x, ArrayRef<int64_t> perm) {
    auto s = *onnx::getShape(x);
    SmallVector<int64_t> out;
    for (int64_t p : perm)
      out.push_back(s[p]);
    return make("Transpose", {x}, out, {rw.getNamedAttr("perm", rw.getDenseI64ArrayAttr(perm))},
                onnx::getElementTypeOrNull(x));
  }
};

struct AttentionPattern : OpConversionPattern<onnx::AttentionOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::AttentionOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    for (Value v : op->getOperands())
      if (auto t = dyn_cast<RankedTensorType>(v.getType()); !isa<NoneType>(v.getType()) && (!t || !t.hasStaticShape()))
        return op.emitOpError("needs static shapes");
    auto qt = cast<RankedTensorType>(ad.getQ().getType());
    bool fourD = qt.getRank() == 4;
    Location loc = op.getLoc();
    OnnxOps o{rw, loc, qt.getElementType()};
    Value q = ad.getQ(), k = ad.getK(), v = ad.getV();
    int64_t b = qt.getDimSize(0);
    if (!fourD) {
      if (!op.getQNumHeads() || !op.getKvNumHeads())
        return op.emitOpError("3-D inputs need q_num_heads and kv_num_heads");
      int64_t hq = *op.getQNumHeads(), hkv = *op.getKvNumHeads();
      auto heads = [&](Value x, int64_t h) {
        auto s = *onnx::getShape(x);
        return o.transpose(o.reshape(x, {b, s[1], h, s[2] / h}), {0, 2, 1, 3});
      };
      q = heads(q, hq);
      k = heads(k, hkv);
      v = heads(v, hkv);
    }
    auto qs = *onnx::getShape(q), ks = *onnx::getShape(k), vs = *onnx::getShape(v);
    int64_t hq = qs[1], hkv = ks[1], sq = qs[2], d = qs[3], dv = vs[3];
    int64_t past = 0;
    if (!onnx::isNone(op.getPastKey()) != !onnx::isNone(op.getPastValue()))
      return op.emitOpError("past_key and past_value come together");
    if (!onnx::isNone(op.getPastKey())) {
      past = cast<RankedTensorType>(ad.getPastKey().getType()).getDimSize(2);
      k = o.make("Concat", {ad.getPastKey(), k}, {b, hkv, past + ks[2], d}, {o.attr("axis", 2)});
      v = o.make("Concat", {ad.getPastValue(), v}, {b, hkv, past + vs[2], dv}, {o.attr("axis", 2)},
                 onnx::getElementTypeOrNull(v));
    }
    Value presentKey = k, presentValue = v;
    int64_t total = past + ks[2];
    double scale = op.getScale() ? op.getScale()->convertToDouble() : 1.0 / std::sqrt(double(d));
    Value root = o.scalar(std::sqrt(scale));
    q = o.make("Mul", {q, root}, qs);
    k = o.make("Mul", {k, root}, {b, hkv, total, d});
    if (hq != hkv) {
      if (hkv <= 0 || hq % hkv != 0)
        return op.emitOpError() << hq << " query heads are not a multiple of " << hkv << " key/value heads";
      int64_t r = hq / hkv;
      auto repeat = [&](Value x, int64_t last) { // [B, Hkv, T, D] -> [B, Hkv * r, T, D]
        Type e = onnx::getElementTypeOrNull(x);
        Value u = o.make("Unsqueeze", {x, o.i64s({2})}, {b, hkv, 1, total, last}, {}, e);
        Value w = o.make("Expand", {u, o.i64s({b, hkv, r, total, last})}, {b, hkv, r, total, last}, {}, e);
        return o.reshape(w, {b, hq, total, last});
      };
      k = repeat(k, d);
      v = repeat(v, dv);
    }
    Value qk = o.make("MatMul", {q, o.transpose(k, {0, 1, 3, 2})}, {b, hq, sq, total});
    double cap = op.getSoftcap().convertToDouble();
    if (cap > 0) {
      Value c = o.scalar(cap);
      qk = o.make("Mul", {o.make("Tanh", {o.make("Div", {qk, c}, {b, hq, sq, total})}, {b, hq, sq, total}), c},
                  {b, hq, sq, total});
    }
    Value capped = qk;
    double inf = std::numeric_limits<double>::infinity();
    if (!onnx::isNone(op.getAttnMask())) {
      Value mask = ad.getAttnMask();
      auto mt = cast<RankedTensorType>(mask.getType());
      SmallVector<int64_t> maskShape(mt.getShape());
      int64_t rank = mt.getRank(), keys = maskShape.back();
      if (keys > total)
        return op.emitOpError() << "attn_mask's last dim " << keys << " exceeds the total sequence length "
                                << total;
      if (mt.getElementType().isInteger(1))
        mask = o.make("Where", {mask, o.scalar(0), o.scalar(-inf)}, maskShape);
      // A shorter mask (23) is padded to the total length with -inf.
      if (keys < total) {
        SmallVector<int64_t> pads(2 * rank, 0);
        pads.back() = total - keys;
        maskShape.back() = total;
        mask = o.make("Pad", {mask, o.i64s(pads), o.scalar(-inf), onnx::NoValueOp::create(rw, loc)}, maskShape,
                      {rw.getNamedAttr("mode", rw.getStringAttr("constant"))});
      }
      auto bias = onnx::broadcastShapes(ArrayRef<int64_t>{b, hq, sq, total}, maskShape);
      if (!bias || *bias != ArrayRef<int64_t>{b, hq, sq, total})
        return op.emitOpError() << "attn_mask " << mt << " does not broadcast to the scores";
      qk = o.make("Add", {qk, mask}, {b, hq, sq, total});
    }
    if (op.getIsCausal()) {
      // Key j is visible to query i when j <= i + past (bottom-right aligned).
      SmallVector<APFloat> bias;
      for (int64_t i = 0; i < sq; ++i)
        for (int64_t j = 0; j < total; ++j)
          bias.push_back(APFloat(j <= i + past ? 0.0f : -std::numeric_limits<float>::infinity()));
      auto ft = RankedTensorType::get({sq, total}, rw.getF32Type());
      Value causal = onnx::createConstant(rw, loc, DenseElementsAttr::get(ft, bias));
      if (o.elem != rw.getF32Type())
        causal = o.make("Cast", {causal}, {sq, total},
                        {o.attr("to", *onnx::getDataType(o.elem))});
      qk = o.make("Add", {qk, causal}, {b, hq, sq, total});
    }
    Value biased = qk;
    Value probs = o.make("Softmax", {qk}, {b, hq, sq, total}, {o.attr("axis", -1)});
    Value y = o.make("MatMul", {probs, v}, {b, hq, sq, dv});
    if (!fourD)
      y = o.reshape(o.transpose(y, {0, 2, 1, 3}), {b, sq, hq * dv});
    SmallVector<Value> results{y, presentKey, presentValue};
    switch (op.getQkMatmulOutputMode()) {
    case 0:
    case 1: results.push_back(capped); break;
    case 2: results.push_back(biased); break;
    case 3: results.push_back(probs); break;
    default: return op.emitOpError() << "qk_matmul_output_mode " << op.getQkMatmulOutputMode() << " is not 0-3";
    }
    for (unsigned i = 1; i < 4; ++i)
      if (isa<NoneType>(op->getResult(i).getType()))
        results[i] = Value();
    rw.replaceOp(op, results);
    return success();
  }
};

} // namespace

void populateAttentionPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  p.add<AttentionPattern>(p.getContext());
  names.insert("onnx.Attention");
}

} // namespace onnxc::conversion
