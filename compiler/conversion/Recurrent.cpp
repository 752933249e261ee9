//===- Recurrent.cpp - onnx RNN/GRU/LSTM -> scf.for over time + linalg -----===//
//
// Per direction: the input projection X W^T (+ Wb) for all time steps is one
// GEMM before the loop; the loop over time carries the hidden (and cell)
// state and Y. Each step gathers its rows of the projection (per batch, so
// that reversed sequences of different lengths start at their own end), adds
// H R^T and the gate activations, and writes the new state into the carried
// tensor (the state is the generic's destination, so it bufferizes in place). Steps past a batch entry's
// sequence length keep its state and leave zeros in Y, as the spec says.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

enum class Cell { RNN, GRU, LSTM };

/// One activation function with its (defaulted) alpha and beta.
struct Activation {
  std::string name;
  float alpha = 0, beta = 0;
};

/// The activations per direction, alpha/beta consumed in order by the
/// functions that take them (as ONNX Runtime reads the lists).
FailureOr<SmallVector<Activation>> readActivations(Operation *op, ArrayRef<StringRef> defaults,
                                                   int64_t dirs) {
  SmallVector<std::string> names;
  if (auto a = op->getAttrOfType<ArrayAttr>("activations")) {
    for (Attribute s : a)
      names.push_back(cast<StringAttr>(s).str());
  } else {
    for (int64_t d = 0; d < dirs; ++d)
      for (StringRef n : defaults)
        names.push_back(n.str());
  }
  // RNN's schema default lists two activations even for one direction.
  if (dirs == 1 && names.size() == 2 * defaults.size())
    names.resize(defaults.size());
  if (int64_t(names.size()) != int64_t(defaults.size()) * dirs) {
    op->emitOpError() << "expects " << defaults.size() * dirs << " activations, got " << names.size();
    return failure();
  }
  auto list = [&](StringRef n) {
    auto a = op->getAttrOfType<DenseF32ArrayAttr>(n);
    return a ? SmallVector<float>(a.asArrayRef()) : SmallVector<float>{};
  };
  SmallVector<float> alphas = list("activation_alpha"), betas = list("activation_beta");
  size_t ai = 0, bi = 0;
  auto next = [](SmallVector<float> &v, size_t &i, float dflt) { return i < v.size() ? v[i++] : dflt; };
  SmallVector<Activation> acts;
  for (const std::string &n : names) {
    Activation a{n};
    StringRef s(n);
    if (s.equals_insensitive("LeakyRelu")) {
      a.alpha = next(alphas, ai, 0.01f);
    } else if (s.equals_insensitive("ThresholdedRelu") || s.equals_insensitive("Elu")) {
      a.alpha = next(alphas, ai, 1.0f);
    } else if (s.equals_insensitive("ScaledTanh") || s.equals_insensitive("Affine")) {
      a.alpha = next(alphas, ai, 1.0f);
      a.beta = next(betas, bi, s.equals_insensitive("Affine") ? 0.0f : 1.0f);
    } else if (s.equals_insensitive("HardSigmoid")) {
      a.alpha = next(alphas, ai, 0.2f);
      a.beta = next(betas, bi, 0.5f);
    } else if (!llvm::any_of(ArrayRef<StringRef>{"Sigmoid", "Tanh", "Relu", "Softsign", "Softplus"},
                             [&](StringRef k) { return s.equals_insensitive(k); })) {
      op->emitOpError() << "unsupported activation '" << n << "'";
      return failure();
    }
    acts.push_back(a);
  }
  return acts;
}

Value apply(OpBuilder &b, Location l, const Activation &a, Value x) {
  Type t = x.getType();
  auto c = [&](double v) { return scalarConstant(b, l, t, v); };
  StringRef n(a.name);
  if (n.equals_insensitive("Sigmoid")) {
    Value e = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, x));
    return arith::DivFOp::create(b, l, c(1), arith::AddFOp::create(b, l, c(1), e));
  }
  if (n.equals_insensitive("Tanh"))
    return math::TanhOp::create(b, l, x);
  if (n.equals_insensitive("Relu"))
    return arith::MaximumFOp::create(b, l, x, c(0));
  if (n.equals_insensitive("LeakyRelu")) {
    Value neg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, c(0));
    return arith::SelectOp::create(b, l, neg, arith::MulFOp::create(b, l, x, c(a.alpha)), x);
  }
  if (n.equals_insensitive("ThresholdedRelu")) {
    Value gt = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, c(a.alpha));
    return arith::SelectOp::create(b, l, gt, x, c(0));
  }
  if (n.equals_insensitive("Elu")) {
    Value neg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, c(0));
    Value em1 = arith::SubFOp::create(b, l, math::ExpOp::create(b, l, x), c(1));
    return arith::SelectOp::create(b, l, neg, arith::MulFOp::create(b, l, em1, c(a.alpha)), x);
  }
  if (n.equals_insensitive("ScaledTanh")) {
    Value th = math::TanhOp::create(b, l, arith::MulFOp::create(b, l, x, c(a.beta)));
    return arith::MulFOp::create(b, l, th, c(a.alpha));
  }
  if (n.equals_insensitive("HardSigmoid")) {
    Value y = arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, x, c(a.alpha)), c(a.beta));
    return arith::MinimumFOp::create(b, l, arith::MaximumFOp::create(b, l, y, c(0)), c(1));
  }
  if (n.equals_insensitive("Affine"))
    return arith::AddFOp::create(b, l, arith::MulFOp::create(b, l, x, c(a.alpha)), c(a.beta));
  if (n.equals_insensitive("Softsign"))
    return arith::DivFOp::create(b, l, x, arith::AddFOp::create(b, l, c(1), math::AbsFOp::create(b, l, x)));
  // Softplus
  return math::Log1pOp::create(b, l, math::ExpOp::create(b, l, x));
}

OpFoldResult ix(OpBuilder &b, int64_t v) { return b.getIndexAttr(v); }

/// Static slice of `v` at `offsets` with `sizes`, dropping the unit dims
/// that `shape` (the result's) does not have.
Value slice(OpBuilder &b, Location l, Value v, ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
            ArrayRef<int64_t> shape) {
  SmallVector<OpFoldResult> o, s, st;
  for (auto [off, sz] : llvm::zip(offsets, sizes)) {
    o.push_back(ix(b, off));
    s.push_back(ix(b, sz));
    st.push_back(ix(b, 1));
  }
  auto type = RankedTensorType::get(shape, cast<RankedTensorType>(v.getType()).getElementType());
  return tensor::ExtractSliceOp::create(b, l, type, v, o, s, st);
}

Value transpose(OpBuilder &b, Location l, Value v, ArrayRef<int64_t> perm) {
  auto t = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(t.getDimSize(p));
  Value init = tensor::EmptyOp::create(b, l, shape, t.getElementType());
  return linalg::TransposeOp::create(b, l, v, init, perm).getResult()[0];
}

/// Operands and attributes of RNN/GRU/LSTM after conversion.
struct Recurrence {
  Cell cell;
  Value x, w, r, bias, lens, h0, c0, p;
  StringRef direction;
  int64_t layout;
  std::optional<float> clip;
  bool linearBeforeReset = false, inputForget = false;
  SmallVector<Activation> acts;
};

class RecurrenceBuilder {
public:
  RecurrenceBuilder(OpBuilder &b, Location loc, const Recurrence &rc, int64_t T, int64_t B,
                    int64_t H)
      : b(b), loc(loc), rc(rc), T(T), B(B), H(H), elem(cast<RankedTensorType>(rc.x.getType()).getElementType()) {}

  /// Runs direction `d` over the time-major input `x` ([T, B, I]); updates
  /// y ([T, D, B, H]), yh and yc ([D, B, H]).
  void direction(int64_t d, Value x, Value &y, Value &yh, Value &yc) {
    int64_t G = rc.cell == Cell::RNN ? 1 : rc.cell == Cell::GRU ? 3 : 4, GH = G * H;
    int64_t I = cast<RankedTensorType>(x.getType()).getDimSize(2);
    bool reverse = rc.direction == "reverse" || d == 1;
    auto tt = [&](ArrayRef<int64_t> s) { return RankedTensorType::get(s, elem); };
    // Input projection for all steps: [T*B, I] x [I, GH] (+ Wb).
    Value x2 = tensor::CollapseShapeOp::create(b, loc, x, SmallVector<ReassociationIndices>{{0, 1}, {2}});
    Value wT = transpose(b, loc, slice(b, loc, rc.w, {d, 0, 0}, {1, GH, I}, {GH, I}), {1, 0});
    Value xw = buildMatMul(b, loc, tt({T * B, GH}), x2, wT);
    Value rb;
    if (rc.bias) {
      Value wb = slice(b, loc, rc.bias, {d, 0}, {1, GH}, {GH});
      rb = slice(b, loc, rc.bias, {d, GH}, {1, GH}, {GH});
      xw = buildElementwise(b, loc, tt({T * B, GH}), ValueRange{xw, wb}, add);
    } else {
      rb = filled(b, loc, tt({GH}), Value(), 0.0);
    }
    xw = tensor::ExpandShapeOp::create(b, loc, tt({T, B, GH}), xw,
                                       SmallVector<ReassociationIndices>{{0, 1}, {2}});
    Value rT = transpose(b, loc, slice(b, loc, rc.r, {d, 0, 0}, {1, GH, H}, {GH, H}), {1, 0});
    auto state = [&](Value init) {
      return init ? slice(b, loc, init, {d, 0, 0}, {1, B, H}, {B, H}) : filled(b, loc, tt({B, H}), Value(), 0.0);
    };
    Value h0 = state(rc.h0), c0 = rc.cell == Cell::LSTM ? state(rc.c0) : Value();
    Value peep[3];
    for (int64_t k = 0; k < 3; ++k)
      peep[k] = rc.p ? slice(b, loc, rc.p, {d, k * H}, {1, H}, {H}) : filled(b, loc, tt({H}), Value(), 0.0);
    ArrayRef<Activation> acts = ArrayRef(rc.acts).slice(d * (G == 1 ? 1 : G == 3 ? 2 : 3));

    SmallVector<Value> inits{h0, y};
    if (c0)
      inits.push_back(c0);
    Value lb = arith::ConstantIndexOp::create(b, loc, 0), ub = arith::ConstantIndexOp::create(b, loc, T),
          one = arith::ConstantIndexOp::create(b, loc, 1);
    auto loop = scf::ForOp::create(
        b, loc, lb, ub, one, inits, [&](OpBuilder &nb, Location l, Value t, ValueRange carried) {
          StepBuilder s{*this, nb, l, t, reverse};
          Value h = carried[0], yv = carried[1], c = c0 ? carried[2] : Value();
          Value valid = s.validity();
          Value xg = s.gatherProjection(xw, GH);
          Value hr = buildMatMul(nb, l, tt({B, GH}), h, rT);
          auto gate = [&](Value v, int64_t g) { return slice(nb, l, v, {0, g * H}, {B, H}, {B, H}); };
          auto rbias = [&](int64_t g) { return slice(nb, l, rb, {g * H}, {H}, {H}); };
          auto pre = [&](OpBuilder &eb, Location el, ValueRange a) {
            return clip(eb, el, arith::AddFOp::create(eb, el, arith::AddFOp::create(eb, el, a[0], a[1]), a[2]));
          };
          Value hNew, cNew;
          if (rc.cell == Cell::RNN) {
            hNew = buildElementwise(
                nb, l, tt({B, H}), ValueRange{gate(xg, 0), gate(hr, 0), rbias(0), valid},
                [&](OpBuilder &eb, Location el, Type, ValueRange a) -> Value {
                  Value v = apply(eb, el, acts[0], pre(eb, el, a.take_front(3)));
                  return arith::SelectOp::create(eb, el, a[3], v, a[4]);
                },
                h);
          } else if (rc.cell == Cell::GRU) {
            // Gates z, r, h.
            Value r = buildElementwise(nb, l, tt({B, H}), ValueRange{gate(xg, 1), gate(hr, 1), rbias(1)},
                                       [&](OpBuilder &eb, Location el, Type, ValueRange a) -> Value {
                                         return apply(eb, el, acts[0], pre(eb, el, a));
                                       });
            Value hh;
            if (rc.linearBeforeReset) {
              hh = buildElementwise(nb, l, tt({B, H}), ValueRange{gate(xg, 2), r, gate(hr, 2), rbias(2)},
                                    [&](OpBuilder &eb, Location el, Type, ValueRange a) -> Value {
                                      Value rh = arith::MulFOp::create(eb, el, a[1], arith::AddFOp::create(eb, el, a[2], a[3]));
                                      return apply(eb, el, acts[1], clip(eb, el, arith::AddFOp::create(eb, el, a[0], rh)));
                                    });
            } else {
              Value rh = buildElementwise(nb, l, tt({B, H}), ValueRange{r, h}, mul);
              Value m = buildMatMul(nb, l, tt({B, H}), rh, slice(nb, l, rT, {0, 2 * H}, {H, H}, {H, H}));
              hh = buildElementwise(nb, l, tt({B, H}), ValueRange{gate(xg, 2), m, rbias(2)},
                                    [&](OpBuilder &eb, Location el, Type, ValueRange a) -> Value {
                                      return apply(eb, el, acts[1], pre(eb, el, a));
                                    });
            }
            hNew = buildElementwise(
                nb, l, tt({B, H}), ValueRange{gate(xg, 0), gate(hr, 0), rbias(0), hh, valid},
                [&](OpBuilder &eb, Location el, Type t, ValueRange a) -> Value {
                  Value z = apply(eb, el, acts[0], pre(eb, el, a.take_front(3)));
                  Value oneMinus = arith::SubFOp::create(eb, el, scalarConstant(eb, el, t, 1), z);
                  Value v = arith::AddFOp::create(eb, el, arith::MulFOp::create(eb, el, oneMinus, a[3]),
                                                  arith::MulFOp::create(eb, el, z, a[5]));
                  return arith::SelectOp::create(eb, el, a[4], v, a[5]);
                },
                h);
          } else {
            // Gates i, o, f, c; peepholes i, o, f.
            cNew = buildElementwise(
                nb, l, tt({B, H}),
                ValueRange{gate(xg, 0), gate(hr, 0), rbias(0), gate(xg, 2), gate(hr, 2), rbias(2),
                           gate(xg, 3), gate(hr, 3), rbias(3), peep[0], peep[2], valid},
                [&](OpBuilder &eb, Location el, Type t, ValueRange a) -> Value {
                  auto withPeep = [&](ValueRange g, Value p) {
                    Value s = arith::AddFOp::create(eb, el, arith::AddFOp::create(eb, el, g[0], g[1]), g[2]);
                    return clip(eb, el, arith::AddFOp::create(eb, el, s, arith::MulFOp::create(eb, el, p, a[12])));
                  };
                  Value i = apply(eb, el, acts[0], withPeep(a.slice(0, 3), a[9]));
                  Value f = rc.inputForget
                                ? Value(arith::SubFOp::create(eb, el, scalarConstant(eb, el, t, 1), i))
                                : apply(eb, el, acts[0], withPeep(a.slice(3, 3), a[10]));
                  Value g = apply(eb, el, acts[1], pre(eb, el, a.slice(6, 3)));
                  Value v = arith::AddFOp::create(eb, el, arith::MulFOp::create(eb, el, f, a[12]),
                                                  arith::MulFOp::create(eb, el, i, g));
                  return arith::SelectOp::create(eb, el, a[11], v, a[12]);
                },
                c);
            hNew = buildElementwise(
                nb, l, tt({B, H}), ValueRange{gate(xg, 1), gate(hr, 1), rbias(1), cNew, peep[1], valid},
                [&](OpBuilder &eb, Location el, Type, ValueRange a) -> Value {
                  Value s = arith::AddFOp::create(eb, el, arith::AddFOp::create(eb, el, a[0], a[1]), a[2]);
                  s = clip(eb, el, arith::AddFOp::create(eb, el, s, arith::MulFOp::create(eb, el, a[4], a[3])));
                  Value o = apply(eb, el, acts[0], s);
                  Value v = arith::MulFOp::create(eb, el, o, apply(eb, el, acts[2], a[3]));
                  return arith::SelectOp::create(eb, el, a[5], v, a[6]);
                },
                h);
          }
          Value row = buildElementwise(nb, l, tt({B, H}), ValueRange{hNew, valid},
                                       [](OpBuilder &eb, Location el, Type t, ValueRange a) -> Value {
                                         return arith::SelectOp::create(eb, el, a[1], a[0], scalarConstant(eb, el, t, 0));
                                       });
          SmallVector<Value> next{hNew, s.writeY(yv, row, d)};
          if (c0)
            next.push_back(cNew);
          scf::YieldOp::create(nb, l, next);
        });
    auto insertState = [&](Value dest, Value v) {
      SmallVector<OpFoldResult> o{ix(b, d), ix(b, 0), ix(b, 0)}, s{ix(b, 1), ix(b, B), ix(b, H)},
          st(3, ix(b, 1));
      return tensor::InsertSliceOp::create(b, loc, v, dest, o, s, st).getResult();
    };
    y = loop.getResult(1);
    yh = insertState(yh, loop.getResult(0));
    if (c0)
      yc = insertState(yc, loop.getResult(2));
  }

private:
  /// Code of one time step `t` (a loop induction variable).
  struct StepBuilder {
    RecurrenceBuilder &rb;
    OpBuilder &b;
    Location l;
    Value t;
    bool reverse;

    /// (valid, tau): whether step t is within batch entry `bi`'s sequence,
    /// and the time index it reads and writes.
    std::pair<Value, Value> position(OpBuilder &nb, Location nl, Value bi) {
      Value len = arith::ConstantIndexOp::create(nb, nl, rb.T);
      if (rb.rc.lens) {
        Value raw = tensor::ExtractOp::create(nb, nl, rb.rc.lens, ValueRange{bi});
        len = arith::IndexCastOp::create(nb, nl, nb.getIndexType(), raw);
      }
      Value valid = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, t, len);
      if (!reverse)
        return {valid, t};
      Value last = arith::SubIOp::create(nb, nl, arith::SubIOp::create(nb, nl, len, t),
                                         arith::ConstantIndexOp::create(nb, nl, 1));
      return {valid, arith::SelectOp::create(nb, nl, valid, last, t)};
    }

    /// [B, 1] i1: step t is valid for each batch entry.
    Value validity() {
      auto type = RankedTensorType::get({rb.B, 1}, b.getI1Type());
      return generate(type, [&](OpBuilder &nb, Location nl, ValueRange iv) {
        return position(nb, nl, iv[0]).first;
      });
    }

    /// [B, GH]: row tau(b) of the projection for each batch entry b.
    Value gatherProjection(Value xw, int64_t GH) {
      auto type = RankedTensorType::get({rb.B, GH}, rb.elem);
      return generate(type, [&](OpBuilder &nb, Location nl, ValueRange iv) -> Value {
        Value tau = position(nb, nl, iv[0]).second;
        return tensor::ExtractOp::create(nb, nl, xw, ValueRange{tau, iv[0], iv[1]});
      });
    }

    /// y with row b of `row` ([B, H]) stored at [tau(b), d, b, :].
    Value writeY(Value y, Value row, int64_t d) {
      Value lb = arith::ConstantIndexOp::create(b, l, 0), ub = arith::ConstantIndexOp::create(b, l, rb.B),
            one = arith::ConstantIndexOp::create(b, l, 1);
      auto loop = scf::ForOp::create(b, l, lb, ub, one, ValueRange{y},
                                     [&](OpBuilder &nb, Location nl, Value bi, ValueRange acc) {
                                       Value tau = position(nb, nl, bi).second;
                                       SmallVector<OpFoldResult> so{bi, ix(nb, 0)}, ss{ix(nb, 1), ix(nb, rb.H)},
                                           sst(2, ix(nb, 1));
                                       Value r = tensor::ExtractSliceOp::create(
                                           nb, nl, RankedTensorType::get({1, rb.H}, rb.elem), row, so, ss, sst);
                                       SmallVector<OpFoldResult> o{tau, ix(nb, d), bi, ix(nb, 0)},
                                           s{ix(nb, 1), ix(nb, 1), ix(nb, 1), ix(nb, rb.H)}, st(4, ix(nb, 1));
                                       Value ny = tensor::InsertSliceOp::create(nb, nl, r, acc[0], o, s, st);
                                       scf::YieldOp::create(nb, nl, ny);
                                     });
      return loop.getResult(0);
    }

    Value generate(RankedTensorType type, function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
      return generateTensor(b, l, type, {}, body);
    }
  };

  Value clip(OpBuilder &eb, Location el, Value v) const {
    if (!rc.clip)
      return v;
    Type t = v.getType();
    v = arith::MaximumFOp::create(eb, el, v, scalarConstant(eb, el, t, -*rc.clip));
    return arith::MinimumFOp::create(eb, el, v, scalarConstant(eb, el, t, *rc.clip));
  }
  static Value add(OpBuilder &eb, Location el, Type, ValueRange a) {
    return arith::AddFOp::create(eb, el, a[0], a[1]);
  }
  static Value mul(OpBuilder &eb, Location el, Type, ValueRange a) {
    return arith::MulFOp::create(eb, el, a[0], a[1]);
  }

  OpBuilder &b;
  Location loc;
  const Recurrence &rc;
  int64_t T, B, H;
  Type elem;
};

template <typename OpTy>
struct RecurrentPattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto opt = [](Value v) { return isa<NoneType>(v.getType()) ? Value() : v; };
    Recurrence rc;
    SmallVector<StringRef> defaults;
    if constexpr (std::is_same_v<OpTy, onnx::RNNOp>) {
      rc.cell = Cell::RNN;
      defaults = {"Tanh"};
    } else if constexpr (std::is_same_v<OpTy, onnx::GRUOp>) {
      rc.cell = Cell::GRU;
      defaults = {"Sigmoid", "Tanh"};
      rc.linearBeforeReset = op.getLinearBeforeReset() != 0;
    } else {
      rc.cell = Cell::LSTM;
      defaults = {"Sigmoid", "Tanh", "Tanh"};
      rc.inputForget = op.getInputForget() != 0;
      rc.c0 = opt(ad.getInitialC());
      rc.p = opt(ad.getP());
    }
    rc.x = ad.getX(), rc.w = ad.getW(), rc.r = ad.getR(), rc.bias = opt(ad.getB());
    rc.lens = opt(ad.getSequenceLens()), rc.h0 = opt(ad.getInitialH());
    rc.direction = op.getDirection();
    rc.layout = int64_t(op.getLayout());
    if (auto c = op.getClip())
      rc.clip = c->convertToFloat();
    auto xt = dyn_cast<RankedTensorType>(rc.x.getType());
    auto rt = dyn_cast<RankedTensorType>(rc.r.getType());
    if (!xt || !rt || !xt.hasStaticShape() || !rt.hasStaticShape() ||
        !cast<RankedTensorType>(rc.w.getType()).hasStaticShape())
      return op.emitOpError("needs static shapes for X, W and R");
    if (!xt.getElementType().isF32())
      return op.emitOpError() << "supports f32 only, got " << xt.getElementType();
    int64_t dirs = rc.direction == "bidirectional" ? 2 : 1;
    auto acts = readActivations(op, defaults, dirs);
    if (failed(acts))
      return failure();
    rc.acts = std::move(*acts);
    Location loc = op.getLoc();
    Value x = rc.layout ? transpose(rw, loc, rc.x, {1, 0, 2}) : rc.x;
    // Batch-major initial states become direction-major.
    if (rc.layout) {
      if (rc.h0)
        rc.h0 = transpose(rw, loc, rc.h0, {1, 0, 2});
      if (rc.c0)
        rc.c0 = transpose(rw, loc, rc.c0, {1, 0, 2});
    }
    auto shape = cast<RankedTensorType>(x.getType()).getShape();
    int64_t T = shape[0], B = shape[1], H = rt.getDimSize(2);
    Type elem = xt.getElementType();
    Value y = filled(rw, loc, RankedTensorType::get({T, dirs, B, H}, elem), Value(), 0.0);
    auto stateType = RankedTensorType::get({dirs, B, H}, elem);
    Value yh = tensor::EmptyOp::create(rw, loc, stateType.getShape(), elem);
    Value yc = tensor::EmptyOp::create(rw, loc, stateType.getShape(), elem);
    RecurrenceBuilder builder(rw, loc, rc, T, B, H);
    for (int64_t d = 0; d < dirs; ++d)
      builder.direction(d, x, y, yh, yc);
    if (rc.layout) {
      y = transpose(rw, loc, y, {2, 0, 1, 3});
      yh = transpose(rw, loc, yh, {1, 0, 2});
      yc = transpose(rw, loc, yc, {1, 0, 2});
    }
    SmallVector<Value> results;
    Value outs[3] = {y, yh, yc};
    for (unsigned i = 0; i < op->getNumResults(); ++i)
      results.push_back(isa<NoneType>(op->getResult(i).getType()) ? Value(onnx::NoValueOp::create(rw, loc))
                                                                  : outs[i]);
    rw.replaceOp(op, results);
    return success();
  }
};

} // namespace

void populateRecurrentPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  p.add<RecurrentPattern<onnx::RNNOp>, RecurrentPattern<onnx::GRUOp>, RecurrentPattern<onnx::LSTMOp>>(
      p.getContext());
  for (StringRef n : {"onnx.RNN", "onnx.GRU", "onnx.LSTM"})
    names.insert(n);
}

} // namespace onnxc::conversion
