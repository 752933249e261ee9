//===- Winograd.cpp - F(m x m, 3 x 3) Winograd convolution ----------------===//
#include "compiler/codegen/cpu/Winograd.h"
#include "compiler/codegen/cpu/Loops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace onnxc::cpu {
namespace {

// Lavin & Gray's matrices (interpolation points 0, +-1, +-2, infinity for
// F(4x4), 0, +-1, infinity for F(2x2)), row-major.
constexpr double kBT2[] = {1, 0, -1, 0,  //
                           0, 1, 1,  0,  //
                           0, -1, 1, 0,  //
                           0, 1, 0,  -1};
constexpr double kG2[] = {1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1};
constexpr double kAT2[] = {1, 1, 1, 0,  //
                           0, 1, -1, -1};
constexpr double kBT4[] = {4, 0,  -5, 0,  1, 0,  //
                           0, -4, -4, 1,  1, 0,  //
                           0, 4,  -4, -1, 1, 0,  //
                           0, -2, -1, 2,  1, 0,  //
                           0, 2,  -1, -2, 1, 0,  //
                           0, 4,  0,  -5, 0, 1};
constexpr double kG4[] = {1.0 / 4,  0,         0,        //
                          -1.0 / 6, -1.0 / 6,  -1.0 / 6, //
                          -1.0 / 6, 1.0 / 6,   -1.0 / 6, //
                          1.0 / 24, 1.0 / 12,  1.0 / 6,  //
                          1.0 / 24, -1.0 / 12, 1.0 / 6,  //
                          0,        0,         1};
constexpr double kAT4[] = {1, 1, 1,  1, 1,  0,  //
                           0, 1, -1, 2, -2, 0,  //
                           0, 1, 1,  4, 4,  0,  //
                           0, 1, -1, 8, -8, 1};

struct Matrices {
  ArrayRef<double> bt, g, at; // alpha x alpha, alpha x 3, m x alpha
};

Matrices matrices(int64_t m) {
  if (m == 2)
    return {kBT2, kG2, kAT2};
  return {kBT4, kG4, kAT4};
}

/// sum_i coefs[i] * xs[i] on vectors, skipping zero coefficients and using
/// add/sub for +-1 (the transforms are mostly those).
Value lincomb(OpBuilder &b, Location loc, const GemmConfig &cfg, ArrayRef<double> coefs,
              ArrayRef<Value> xs) {
  auto vt = cast<VectorType>(xs.front().getType());
  auto splat = [&](double c) -> Value {
    return arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, float(c)));
  };
  Value acc;
  // +1 terms first, so that a leading negation is rarely needed.
  for (bool unitPass : {true, false})
    for (auto [c, x] : llvm::zip(coefs, xs)) {
      if (c == 0 || (c == 1) != unitPass)
        continue;
      if (!acc)
        acc = c == 1    ? x
              : c == -1 ? Value(arith::NegFOp::create(b, loc, x))
                        : Value(arith::MulFOp::create(b, loc, splat(c), x));
      else if (c == 1)
        acc = arith::AddFOp::create(b, loc, acc, x);
      else if (c == -1)
        acc = arith::SubFOp::create(b, loc, acc, x);
      else if (cfg.fma)
        acc = vector::FMAOp::create(b, loc, splat(c), x, acc);
      else
        acc = arith::AddFOp::create(b, loc, acc, arith::MulFOp::create(b, loc, splat(c), x));
    }
  return acc ? acc : splat(0);
}

/// Per-lane tile coordinates of the vector of tiles starting at `first`
/// (an index): whether each lane is a real tile and its tile row/column.
struct TileLanes {
  Value valid, ty, tx; // vector<vl x i1>, vector<vl x i32> x 2
};

TileLanes tileLanes(OpBuilder &b, Location loc, const GemmConfig &cfg, const WinogradTiles &t,
                    Value first) {
  auto it = VectorType::get({cfg.vl}, b.getI32Type());
  auto splat = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, it, DenseElementsAttr::get(it, int32_t(v)));
  };
  SmallVector<int32_t> iota;
  for (int64_t l = 0; l < cfg.vl; ++l)
    iota.push_back(int32_t(l));
  Value lanes = arith::AddIOp::create(
      b, loc,
      vector::BroadcastOp::create(b, loc, it,
                                  arith::IndexCastOp::create(b, loc, b.getI32Type(), first)),
      arith::ConstantOp::create(b, loc, it, DenseElementsAttr::get(it, ArrayRef(iota))));
  TileLanes tl;
  tl.valid = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, lanes, splat(t.tiles()));
  Value tile = arith::MinSIOp::create(b, loc, lanes, splat(t.tiles() - 1));
  tl.ty = arith::DivUIOp::create(b, loc, tile, splat(t.tw));
  tl.tx = arith::SubIOp::create(b, loc, tile, arith::MulIOp::create(b, loc, tl.ty, splat(t.tw)));
  return tl;
}

} // namespace

std::optional<WinogradTiles> chooseWinograd(const GemmConfig &cfg, int64_t oh, int64_t ow,
                                            int64_t c, int64_t f) {
  // The transforms cost a few vector ops per tile and channel; the GEMMs
  // they save scale with the other channel count.
  if (c < 16 || f < 16)
    return std::nullopt;
  int64_t nr = cfg.nr();
  auto padded = [&](int64_t n) { return (n + nr - 1) / nr * nr; };
  // Multiplications per (input, output channel) pair, counting the columns
  // the GEMM pads to whole panels.
  double direct = double(padded(oh * ow)) * 9;
  std::optional<WinogradTiles> best;
  double bestCost = 0.6 * direct;
  for (int64_t m : {2, 4}) {
    WinogradTiles t{m, oh, ow, (oh + m - 1) / m, (ow + m - 1) / m};
    double cost = double(padded(t.tiles())) * t.alpha() * t.alpha();
    if (cost < bestCost)
      best = t, bestCost = cost;
  }
  return best;
}

std::vector<float> winogradFilter(int64_t m, const float *w, int64_t f, int64_t c) {
  Matrices mt = matrices(m);
  int64_t a = m + 2;
  std::vector<float> u(size_t(a * a * f * c));
  for (int64_t of = 0; of < f; ++of)
    for (int64_t ic = 0; ic < c; ++ic) {
      const float *g = w + (of * c + ic) * 9;
      double gg[6][3]; // G g
      for (int64_t r = 0; r < a; ++r)
        for (int64_t j = 0; j < 3; ++j) {
          gg[r][j] = 0;
          for (int64_t k = 0; k < 3; ++k)
            gg[r][j] += mt.g[r * 3 + k] * g[k * 3 + j];
        }
      for (int64_t r = 0; r < a; ++r)
        for (int64_t s = 0; s < a; ++s) {
          double v = 0;
          for (int64_t k = 0; k < 3; ++k)
            v += gg[r][k] * mt.g[s * 3 + k];
          u[size_t(((r * a + s) * f + of) * c + ic)] = float(v);
        }
    }
  return u;
}

void emitWinogradInput(OpBuilder &b, Location loc, const GemmConfig &cfg, const WinogradTiles &t,
                       const ConvGeometry &g, Value xFlat, Value offset, Value vp, Value pBegin,
                       Value pEnd) {
  int64_t a = t.alpha(), m = t.m;
  Matrices mt = matrices(m);
  auto vt = VectorType::get({cfg.vl}, b.getF32Type());
  auto it = VectorType::get({cfg.vl}, b.getI32Type());
  auto splat = [&](OpBuilder &b, int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, it, DenseElementsAttr::get(it, int32_t(v)));
  };
  Value zero = arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, 0.0f));
  forLoop(b, loc, pBegin, pEnd, 1, [&](OpBuilder &b, Value p) {
    for (int64_t j = 0; j < cfg.nv; ++j) {
      Value first = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, p, cIdx(b, loc, cfg.nr())), cIdx(b, loc, j * cfg.vl));
      TileLanes tl = tileLanes(b, loc, cfg, t, first);
      // The tile's input window starts at (m ty, m tx) of the padded input;
      // rows and columns past its end read as zeros.
      Value iy = arith::MulIOp::create(b, loc, tl.ty, splat(b, m));
      Value ix = arith::MulIOp::create(b, loc, tl.tx, splat(b, m));
      Value base = arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, iy, splat(b, g.wp)), ix);
      SmallVector<Value> rowOk, colOk;
      for (int64_t r = 0; r < a; ++r) {
        rowOk.push_back(arith::AndIOp::create(
            b, loc, tl.valid,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                  arith::AddIOp::create(b, loc, iy, splat(b, r)), splat(b, g.hp))));
        colOk.push_back(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                              arith::AddIOp::create(b, loc, ix, splat(b, r)),
                                              splat(b, g.wp)));
      }
      forLoop(b, loc, 0, g.c, 1, [&](OpBuilder &b, Value ch) {
        Value start = arith::AddIOp::create(
            b, loc, offset, arith::MulIOp::create(b, loc, ch, cIdx(b, loc, g.hp * g.wp)));
        // u[r][s] = sum_q BT[s][q] d[r][q]: one input row at a time.
        SmallVector<Value> u(a * a);
        for (int64_t r = 0; r < a; ++r) {
          SmallVector<Value> d;
          for (int64_t q = 0; q < a; ++q) {
            Value at = arith::AddIOp::create(b, loc, start, cIdx(b, loc, r * g.wp + q));
            Value mask = arith::AndIOp::create(b, loc, rowOk[r], colOk[q]);
            d.push_back(vector::GatherOp::create(b, loc, vt, xFlat, ValueRange{at}, base, mask, zero));
          }
          for (int64_t s = 0; s < a; ++s)
            u[r * a + s] = lincomb(b, loc, cfg, mt.bt.slice(s * a, a), d);
        }
        // V[r][s] = sum_q BT[r][q] u[q][s], stored as row `ch` of panel p of V[r][s].
        for (int64_t r = 0; r < a; ++r)
          for (int64_t s = 0; s < a; ++s) {
            SmallVector<Value> col;
            for (int64_t q = 0; q < a; ++q)
              col.push_back(u[q * a + s]);
            Value v = lincomb(b, loc, cfg, mt.bt.slice(r * a, a), col);
            vector::StoreOp::create(b, loc, v, vp,
                                    ValueRange{cIdx(b, loc, r * a + s), p, ch,
                                               cIdx(b, loc, j * cfg.vl)});
          }
      });
    }
  });
}

void emitWinogradOutput(OpBuilder &b, Location loc, const GemmConfig &cfg, const WinogradTiles &t,
                        Value mbuf, Value yFlat, Value fBegin, Value fEnd, bool overwrite,
                        const Epilogue &epilogue) {
  int64_t a = t.alpha(), m = t.m, plane = t.oh * t.ow;
  int64_t panels = numPanels(cfg, t.tiles());
  Matrices mt = matrices(m);
  auto vt = VectorType::get({cfg.vl}, b.getF32Type());
  auto it = VectorType::get({cfg.vl}, b.getI32Type());
  auto splat = [&](OpBuilder &b, int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, it, DenseElementsAttr::get(it, int32_t(v)));
  };
  Value zero = arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, 0.0f));
  forLoop(b, loc, fBegin, fEnd, 1, [&](OpBuilder &b, Value f) {
    Value fPlane = arith::MulIOp::create(b, loc, f, cIdx(b, loc, plane));
    Value fPlaneV = vector::BroadcastOp::create(
        b, loc, it, arith::IndexCastOp::create(b, loc, b.getI32Type(), fPlane));
    forLoop(b, loc, 0, panels, 1, [&](OpBuilder &b, Value p) {
      for (int64_t j = 0; j < cfg.nv; ++j) {
        Value first = arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, p, cIdx(b, loc, cfg.nr())),
            cIdx(b, loc, j * cfg.vl));
        TileLanes tl = tileLanes(b, loc, cfg, t, first);
        Value oy = arith::MulIOp::create(b, loc, tl.ty, splat(b, m));
        Value ox = arith::MulIOp::create(b, loc, tl.tx, splat(b, m));
        Value base = arith::AddIOp::create(
            b, loc, fPlaneV,
            arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, oy, splat(b, t.ow)), ox));
        SmallVector<Value> mv;
        for (int64_t k = 0; k < a * a; ++k)
          mv.push_back(vector::LoadOp::create(b, loc, vt, mbuf,
                                              ValueRange{cIdx(b, loc, k), f, first}));
        // tmp[r][q] = sum_i AT[r][i] M[i][q]; Y[r][s] = sum_q tmp[r][q] AT[s][q].
        for (int64_t r = 0; r < m; ++r) {
          SmallVector<Value> tmp;
          for (int64_t q = 0; q < a; ++q) {
            SmallVector<Value> col;
            for (int64_t i = 0; i < a; ++i)
              col.push_back(mv[i * a + q]);
            tmp.push_back(lincomb(b, loc, cfg, mt.at.slice(r * a, a), col));
          }
          Value rowOk = arith::AndIOp::create(
              b, loc, tl.valid,
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                    arith::AddIOp::create(b, loc, oy, splat(b, r)),
                                    splat(b, t.oh)));
          for (int64_t s = 0; s < m; ++s) {
            Value y = lincomb(b, loc, cfg, mt.at.slice(s * a, a), tmp);
            Value mask = arith::AndIOp::create(
                b, loc, rowOk,
                arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                      arith::AddIOp::create(b, loc, ox, splat(b, s)),
                                      splat(b, t.ow)));
            Value idx = arith::AddIOp::create(b, loc, base, splat(b, r * t.ow + s));
            Value c0 = cIdx(b, loc, 0);
            if (!overwrite)
              y = arith::AddFOp::create(
                  b, loc, y,
                  vector::GatherOp::create(b, loc, vt, yFlat, ValueRange{c0}, idx, mask, zero));
            if (epilogue)
              y = epilogue(b, loc, f, idx, y, mask);
            vector::ScatterOp::create(b, loc, Type(), yFlat, ValueRange{c0}, idx, mask, y);
          }
        }
      }
    });
  });
}

} // namespace onnxc::cpu
