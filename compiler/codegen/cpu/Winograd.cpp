//===- Winograd.cpp - F(m x m, 3 x 3) Winograd convolution ----------------===//
#include "compiler/codegen/cpu/Winograd.h"
#include "compiler/codegen/cpu/LaneWise.h"
#include "compiler/codegen/cpu/Loops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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

/// Lane group `g`'s tile row and first tile column (indices).
std::pair<Value, Value> groupTiles(OpBuilder &b, Location loc, const WinogradTiles &t, Value g) {
  Value gpr = cIdx(b, loc, t.groupsPerRow());
  Value ty = arith::DivUIOp::create(b, loc, g, gpr);
  Value tx = arith::MulIOp::create(b, loc, arith::RemUIOp::create(b, loc, g, gpr),
                                   cIdx(b, loc, t.vl));
  return {ty, tx};
}

Value toI32(OpBuilder &b, Location loc, Value index) {
  return arith::IndexCastOp::create(b, loc, b.getI32Type(), index);
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
  // Half-width lane groups waste fewer lanes on narrow outputs (4 tiles
  // across) at the price of twice the transform instructions: taken only
  // when strictly fewer columns.
  for (int64_t vl : {cfg.vl, cfg.vl / 2}) {
    if (vl < 4)
      continue;
    for (int64_t m : {2, 4}) {
      WinogradTiles t{m, oh, ow, (oh + m - 1) / m, (ow + m - 1) / m, vl};
      double cost = double(padded(t.columns())) * t.alpha() * t.alpha();
      if (cost < bestCost)
        best = t, bestCost = cost;
    }
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
                       const ConvGeometry &g, const WinogradSource &src, Value xFlat, Value offset,
                       Value vp, Value pBegin, Value pEnd) {
  int64_t a = t.alpha(), m = t.m;
  Matrices mt = matrices(m);
  auto vt = VectorType::get({t.vl}, b.getF32Type());
  Value zero = arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, 0.0f));
  // The lane groups of panels [pBegin, pEnd).
  int64_t perPanel = cfg.nr() / t.vl;
  Value gBegin = arith::MulIOp::create(b, loc, pBegin, cIdx(b, loc, perPanel));
  Value gEnd = arith::MinUIOp::create(b, loc, arith::MulIOp::create(b, loc, pEnd, cIdx(b, loc, perPanel)),
                                      cIdx(b, loc, t.groups()));
  forLoop(b, loc, gBegin, gEnd, 1, [&](OpBuilder &b, Value grp) {
    auto [ty, tx0] = groupTiles(b, loc, t, grp);
    Value p = arith::DivUIOp::create(b, loc, grp, cIdx(b, loc, perPanel));
    Value lane0 = arith::MulIOp::create(b, loc, arith::RemUIOp::create(b, loc, grp, cIdx(b, loc, perPanel)),
                                        cIdx(b, loc, t.vl));
    // The tiles' input windows start at row m ty and columns m tx of the
    // padded input, which is `src` shifted by its pads; rows and columns
    // outside src read as zeros (lanes past the tile row read whatever lies
    // there: their columns are never used).
    Value iy = arith::SubIOp::create(b, loc, arith::MulIOp::create(b, loc, ty, cIdx(b, loc, m)),
                                     cIdx(b, loc, src.padTop));
    SmallVector<Value> rowOffset, rowExists;
    for (int64_t r = 0; r < a; ++r) {
      Value row = arith::AddIOp::create(b, loc, iy, cIdx(b, loc, r));
      rowExists.push_back(arith::AndIOp::create(
          b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, row, cIdx(b, loc, 0)),
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, row, cIdx(b, loc, src.h))));
      Value clamped = arith::MaxSIOp::create(
          b, loc, arith::MinSIOp::create(b, loc, row, cIdx(b, loc, src.h - 1)), cIdx(b, loc, 0));
      rowOffset.push_back(arith::MulIOp::create(b, loc, clamped, cIdx(b, loc, src.w)));
    }
    // Per row, which of the loads' lanes lie in src: the row exists and the
    // column is inside it.
    auto wide = VectorType::get({m * t.vl}, b.getF32Type());
    Value wideZero = arith::ConstantOp::create(b, loc, wide, DenseElementsAttr::get(wide, 0.0f));
    Value ix0 = arith::SubIOp::create(b, loc, arith::MulIOp::create(b, loc, tx0, cIdx(b, loc, m)),
                                      cIdx(b, loc, src.padLeft));
    // v1 only needs its first two lanes.
    Value cols0 = lanesInRange(b, loc, ix0, laneOffsets(b, loc, m * t.vl), src.w).second;
    Value cols1 = arith::AndIOp::create(
        b, loc,
        lanesInRange(b, loc, arith::AddIOp::create(b, loc, ix0, cIdx(b, loc, m * t.vl)),
                     laneOffsets(b, loc, t.vl), src.w)
            .second,
        vector::ConstantMaskOp::create(b, loc, VectorType::get({t.vl}, b.getI1Type()),
                                       ArrayRef<int64_t>{2}));
    SmallVector<Value> mask0, mask1;
    for (int64_t r = 0; r < a; ++r) {
      auto both = [&](Value cols) {
        return arith::AndIOp::create(
            b, loc, cols, vector::BroadcastOp::create(b, loc, cols.getType(), rowExists[r]));
      };
      mask0.push_back(both(cols0));
      mask1.push_back(both(cols1));
    }
    forLoop(b, loc, 0, g.c, 1, [&](OpBuilder &b, Value ch) {
      Value start = arith::AddIOp::create(
          b, loc, offset, arith::MulIOp::create(b, loc, ch, cIdx(b, loc, src.h * src.w)));
      // u[r][s] = sum_q BT[s][q] d[r][q]: one input row at a time.
      SmallVector<Value> u(a * a);
      for (int64_t r = 0; r < a; ++r) {
        Value at = arith::AddIOp::create(b, loc, start, rowOffset[r]);
        // The group's windows cover m*vl + 2 consecutive elements of the
        // row (d[q] lane k is element m*k + q of them): two masked loads,
        // reading only what lies in src, and shuffles.
        Value first = arith::AddIOp::create(b, loc, at, ix0);
        Value v0 = vector::MaskedLoadOp::create(b, loc, wide, xFlat, ValueRange{first}, mask0[r],
                                                wideZero);
        Value v1 = vector::MaskedLoadOp::create(
            b, loc, vt, xFlat, ValueRange{arith::AddIOp::create(b, loc, first, cIdx(b, loc, m * t.vl))},
            mask1[r], zero);
        SmallVector<Value> d;
        for (int64_t q = 0; q < a; ++q) {
          SmallVector<int64_t> lanes;
          for (int64_t k = 0; k < t.vl; ++k)
            lanes.push_back(m * k + q);
          d.push_back(vector::ShuffleOp::create(b, loc, v0, v1, lanes));
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
                                  ValueRange{cIdx(b, loc, r * a + s), p, ch, lane0});
        }
    });
  });
}

void emitWinogradOutput(OpBuilder &b, Location loc, const GemmConfig &cfg, const WinogradTiles &t,
                        Value mbuf, Value yFlat, Value fBegin, Value fEnd, bool overwrite,
                        const Epilogue &epilogue) {
  int64_t a = t.alpha(), m = t.m, vl = t.vl, plane = t.oh * t.ow;
  Matrices mt = matrices(m);
  auto vt = VectorType::get({vl}, b.getF32Type());
  auto it = VectorType::get({vl}, b.getI32Type());
  auto maskType = VectorType::get({vl}, b.getI1Type());
  Value zero = arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, 0.0f));
  Value iota = laneOffsets(b, loc, vl);
  // Output element m*l + s of a row run is lane l of tile column s: the
  // shuffle masks that interleave the m row vectors (concatenated) into
  // the run's m vectors.
  SmallVector<SmallVector<int64_t>> pieces(m);
  for (int64_t k = 0; k < m; ++k)
    for (int64_t i = 0; i < vl; ++i) {
      int64_t pos = k * vl + i;
      pieces[k].push_back((pos % m) * vl + pos / m);
    }
  forLoop(b, loc, fBegin, fEnd, 1, [&](OpBuilder &b, Value f) {
    Value fPlane = arith::MulIOp::create(b, loc, f, cIdx(b, loc, plane));
    forLoop(b, loc, 0, t.groups(), 1, [&](OpBuilder &b, Value grp) {
      auto [ty, tx0] = groupTiles(b, loc, t, grp);
      Value oy = arith::MulIOp::create(b, loc, ty, cIdx(b, loc, m));
      Value ox = arith::MulIOp::create(b, loc, tx0, cIdx(b, loc, m));
      Value col = arith::MulIOp::create(b, loc, grp, cIdx(b, loc, vl));
      SmallVector<Value> mv;
      for (int64_t k = 0; k < a * a; ++k)
        mv.push_back(vector::LoadOp::create(b, loc, vt, mbuf, ValueRange{cIdx(b, loc, k), f, col}));
      // tmp[r][q] = sum_i AT[r][i] M[i][q]; Y[r][s] = sum_q tmp[r][q] AT[s][q].
      for (int64_t r = 0; r < m; ++r) {
        SmallVector<Value> tmp;
        for (int64_t q = 0; q < a; ++q) {
          SmallVector<Value> column;
          for (int64_t i = 0; i < a; ++i)
            column.push_back(mv[i * a + q]);
          tmp.push_back(lincomb(b, loc, cfg, mt.at.slice(r * a, a), column));
        }
        Value all = lincomb(b, loc, cfg, mt.at.slice(0, a), tmp);
        for (int64_t s = 1; s < m; ++s) {
          SmallVector<int64_t> concat;
          for (int64_t i = 0; i < s * vl + vl; ++i)
            concat.push_back(i);
          all = vector::ShuffleOp::create(b, loc, all,
                                          lincomb(b, loc, cfg, mt.at.slice(s * a, a), tmp), concat);
        }
        Value y = arith::AddIOp::create(b, loc, oy, cIdx(b, loc, r));
        Value rowOk = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y, cIdx(b, loc, t.oh));
        Value rowStart = arith::AddIOp::create(
            b, loc, fPlane, arith::MulIOp::create(b, loc, y, cIdx(b, loc, t.ow)));
        for (int64_t k = 0; k < m; ++k) {
          Value v = vector::ShuffleOp::create(b, loc, all, all, pieces[k]);
          Value x = arith::AddIOp::create(b, loc, ox, cIdx(b, loc, k * vl));
          Value at = arith::AddIOp::create(b, loc, rowStart, x);
          // Whole vectors store directly; the row's end and rows past the
          // output are masked.
          Value whole = arith::AndIOp::create(
              b, loc, rowOk,
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle,
                                    arith::AddIOp::create(b, loc, x, cIdx(b, loc, vl)),
                                    cIdx(b, loc, t.ow)));
          Value lanes = arith::AddIOp::create(
              b, loc, vector::BroadcastOp::create(b, loc, it, toI32(b, loc, x)), iota);
          Value mask = arith::AndIOp::create(
              b, loc, vector::BroadcastOp::create(b, loc, maskType, rowOk),
              arith::CmpIOp::create(
                  b, loc, arith::CmpIPredicate::slt, lanes,
                  arith::ConstantOp::create(b, loc, it, DenseElementsAttr::get(it, int32_t(t.ow)))));
          scf::IfOp::create(
              b, loc, whole,
              [&](OpBuilder &tb, Location l) {
                Value out = v;
                if (!overwrite)
                  out = arith::AddFOp::create(tb, l, out,
                                              vector::LoadOp::create(tb, l, vt, yFlat, ValueRange{at}));
                if (epilogue)
                  out = epilogue(tb, l, f, at, out, Value());
                vector::StoreOp::create(tb, l, out, yFlat, ValueRange{at});
                scf::YieldOp::create(tb, l);
              },
              [&](OpBuilder &eb, Location l) {
                Value out = v;
                if (!overwrite)
                  out = arith::AddFOp::create(
                      eb, l, out,
                      vector::MaskedLoadOp::create(eb, l, vt, yFlat, ValueRange{at}, mask, zero));
                if (epilogue)
                  out = epilogue(eb, l, f, at, out, mask);
                vector::MaskedStoreOp::create(eb, l, yFlat, ValueRange{at}, mask, out);
                scf::YieldOp::create(eb, l);
              });
        }
      }
    });
  });
}

} // namespace onnxc::cpu
