//===- PackedGemm.cpp - register-tiled SIMD GEMM emitter ------------------===//
#include "compiler/codegen/cpu/PackedGemm.h"
#include "compiler/codegen/cpu/LaneWise.h"
#include "compiler/codegen/cpu/Loops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace onnxc::cpu {
namespace {

Value add(OpBuilder &b, Location loc, Value x, int64_t c) {
  return c ? Value(arith::AddIOp::create(b, loc, x, cIdx(b, loc, c))) : x;
}

Value mul(OpBuilder &b, Location loc, Value x, int64_t c) {
  return c == 1 ? x : Value(arith::MulIOp::create(b, loc, x, cIdx(b, loc, c)));
}

/// The microkernel: C[m : m+rows, n1*NR : n1*NR+cols] (+)= A[m.., kBegin:kEnd]
/// * Bp[n1, kBegin:kEnd, :], overwriting C when `loadC` is false. `rows` and
/// `cols` are static; columns past `cols` are masked off in the loads and
/// stores of C.
void emitKernel(OpBuilder &b, Location loc, const GemmConfig &cfg, Value a, Value bp, Value c,
                int64_t rows, Value m, Value n1, int64_t cols, Value kBegin, Value kEnd,
                bool loadC, const Epilogue &epilogue) {
  auto vt = VectorType::get({cfg.vl}, b.getF32Type());
  int64_t nvec = (cols + cfg.vl - 1) / cfg.vl, tail = cols - (nvec - 1) * cfg.vl;
  Value mask;
  Value zero = arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, 0.0f));
  if (tail != cfg.vl)
    mask = vector::ConstantMaskOp::create(b, loc, VectorType::get({cfg.vl}, b.getI1Type()),
                                          ArrayRef<int64_t>{tail});
  Value n0 = mul(b, loc, n1, cfg.nr());
  // A packed in row tiles reads its MR values of a k step from one place.
  bool packedA = cast<MemRefType>(a.getType()).getRank() == 3;
  Value tile = packedA ? Value(arith::DivUIOp::create(b, loc, m, cIdx(b, loc, cfg.mr))) : Value();
  SmallVector<Value> rowIdx, colIdx, acc;
  for (int64_t i = 0; i < rows; ++i)
    rowIdx.push_back(add(b, loc, m, i));
  for (int64_t j = 0; j < nvec; ++j)
    colIdx.push_back(add(b, loc, n0, j * cfg.vl));
  auto masked = [&](int64_t j) { return mask && j == nvec - 1; };
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < nvec; ++j)
      acc.push_back(!loadC    ? zero
                    : masked(j) ? Value(vector::MaskedLoadOp::create(
                                    b, loc, vt, c, ValueRange{rowIdx[i], colIdx[j]}, mask, zero))
                              : Value(vector::LoadOp::create(b, loc, vt, c,
                                                             ValueRange{rowIdx[i], colIdx[j]})));
  auto loop = scf::ForOp::create(
      b, loc, kBegin, kEnd, cIdx(b, loc, 1), acc,
      [&](OpBuilder &nb, Location l, Value k, ValueRange carried) {
        SmallVector<Value> bv, next;
        for (int64_t j = 0; j < nvec; ++j)
          bv.push_back(vector::LoadOp::create(nb, l, vt, bp,
                                              ValueRange{n1, k, cIdx(nb, l, j * cfg.vl)}));
        for (int64_t i = 0; i < rows; ++i) {
          Value av = packedA ? memref::LoadOp::create(nb, l, a, ValueRange{tile, k, cIdx(nb, l, i)})
                             : memref::LoadOp::create(nb, l, a, ValueRange{rowIdx[i], k});
          Value ab = vector::BroadcastOp::create(nb, l, vt, av);
          for (int64_t j = 0; j < nvec; ++j) {
            Value prev = carried[i * nvec + j];
            next.push_back(cfg.fma ? Value(vector::FMAOp::create(nb, l, ab, bv[j], prev))
                                   : Value(arith::AddFOp::create(
                                         nb, l, prev, arith::MulFOp::create(nb, l, ab, bv[j]))));
          }
        }
        scf::YieldOp::create(nb, l, next);
      });
  SmallVector<Value> out(loop.getResults());
  if (epilogue) {
    // After the last k block only.
    int64_t k = cast<MemRefType>(a.getType()).getDimSize(1);
    Value last = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, kEnd, cIdx(b, loc, k));
    auto ifOp = scf::IfOp::create(
        b, loc, last,
        [&](OpBuilder &tb, Location l) {
          SmallVector<Value> applied;
          for (int64_t i = 0; i < rows; ++i)
            for (int64_t j = 0; j < nvec; ++j)
              applied.push_back(epilogue(tb, l, rowIdx[i], colIdx[j], out[i * nvec + j],
                                         masked(j) ? mask : Value()));
          scf::YieldOp::create(tb, l, applied);
        },
        [&](OpBuilder &eb, Location l) { scf::YieldOp::create(eb, l, out); });
    out.assign(ifOp.getResults().begin(), ifOp.getResults().end());
  }
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < nvec; ++j) {
      Value v = out[i * nvec + j];
      if (masked(j))
        vector::MaskedStoreOp::create(b, loc, c, ValueRange{rowIdx[i], colIdx[j]}, mask, v);
      else
        vector::StoreOp::create(b, loc, v, c, ValueRange{rowIdx[i], colIdx[j]});
    }
}

} // namespace

GemmConfig gemmConfigFor(int64_t vectorBits, bool fma) {
  GemmConfig cfg;
  cfg.vl = std::max<int64_t>(vectorBits / 32, 4);
  cfg.nv = 2;
  // Accumulators mr * nv plus nv B vectors and one broadcast must fit the
  // register file: 16 registers below AVX-512, 32 with it.
  cfg.mr = vectorBits >= 512 ? 12 : 6;
  cfg.kc = 512;
  cfg.mc = cfg.mr * 24;
  cfg.fma = fma;
  return cfg;
}

int64_t numPanels(const GemmConfig &cfg, int64_t n) { return (n + cfg.nr() - 1) / cfg.nr(); }

SmallVector<int64_t, 3> packedShape(const GemmConfig &cfg, int64_t k, int64_t n) {
  return {numPanels(cfg, n), k, cfg.nr()};
}

std::vector<float> packConstantA(const GemmConfig &cfg, const float *a, int64_t m, int64_t k) {
  int64_t mr = cfg.mr, tiles = (m + mr - 1) / mr;
  std::vector<float> out(size_t(tiles * k * mr), 0.0f);
  for (int64_t t = 0; t < tiles; ++t)
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t i = 0; i < mr && t * mr + i < m; ++i)
        out[size_t((t * k + kk) * mr + i)] = a[(t * mr + i) * k + kk];
  return out;
}

std::vector<float> packConstantB(const GemmConfig &cfg, const float *b, int64_t k, int64_t n,
                                 int64_t strideK, int64_t strideN) {
  int64_t nr = cfg.nr(), panels = numPanels(cfg, n);
  std::vector<float> out(size_t(panels * k * nr), 0.0f);
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t j = 0; j < nr && p * nr + j < n; ++j)
        out[size_t((p * k + kk) * nr + j)] = b[kk * strideK + (p * nr + j) * strideN];
  return out;
}

void emitPackA(OpBuilder &b, Location loc, const GemmConfig &cfg, Value a, Value ap, Value tBegin,
               Value tEnd) {
  auto at = cast<MemRefType>(a.getType());
  int64_t m = at.getDimSize(0), k = at.getDimSize(1), mr = cfg.mr;
  int64_t full = m / mr, rem = m % mr;
  // Full tiles: MR rows read side by side per k (MR streams, each
  // sequential), stored as adjacent values.
  Value fullEnd = arith::MinSIOp::create(b, loc, tEnd, cIdx(b, loc, full));
  forLoop(b, loc, tBegin, fullEnd, 1, [&](OpBuilder &b, Value t) {
    Value row0 = mul(b, loc, t, mr);
    forLoop(b, loc, 0, k, 1, [&](OpBuilder &b, Value kk) {
      for (int64_t i = 0; i < mr; ++i) {
        Value v = memref::LoadOp::create(b, loc, a, ValueRange{add(b, loc, row0, i), kk});
        memref::StoreOp::create(b, loc, v, ap, ValueRange{t, kk, cIdx(b, loc, i)});
      }
    });
  });
  if (!rem)
    return;
  Value hasRem = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, tEnd, cIdx(b, loc, full));
  scf::IfOp::create(b, loc, hasRem, [&](OpBuilder &tb, Location l) {
    Value zero = arith::ConstantOp::create(tb, l, tb.getF32FloatAttr(0.0f));
    Value t = cIdx(tb, l, full);
    forLoop(tb, l, 0, k, 1, [&](OpBuilder &b, Value kk) {
      for (int64_t i = 0; i < mr; ++i) {
        Value v = i < rem ? Value(memref::LoadOp::create(b, l, a, ValueRange{cIdx(b, l, full * mr + i), kk}))
                          : zero;
        memref::StoreOp::create(b, l, v, ap, ValueRange{t, kk, cIdx(b, l, i)});
      }
    });
    scf::YieldOp::create(tb, l);
  });
}

void emitPackB(OpBuilder &b, Location loc, const GemmConfig &cfg, Value src, Value bp,
               Value pBegin, Value pEnd) {
  auto st = cast<MemRefType>(src.getType());
  int64_t k = st.getDimSize(0), n = st.getDimSize(1), nr = cfg.nr();
  int64_t full = n / nr, rem = n % nr;
  if (!pBegin) {
    pBegin = cIdx(b, loc, 0);
    pEnd = cIdx(b, loc, numPanels(cfg, n));
  }
  // Full panels of the range, and whether the partial one is in it.
  Value fullBegin = arith::MinSIOp::create(b, loc, pBegin, cIdx(b, loc, full));
  Value fullEnd = arith::MinSIOp::create(b, loc, pEnd, cIdx(b, loc, full));
  Value hasRem = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, pEnd, cIdx(b, loc, full));
  SmallVector<int64_t> strides;
  int64_t offset;
  bool unitInner = succeeded(st.getStridesAndOffset(strides, offset)) && strides[1] == 1;
  if (!unitInner) {
    // Strided B (e.g. transposed): element by element, the partial panel's
    // padding zeroed first.
    if (rem)
      scf::IfOp::create(b, loc, hasRem, [&](OpBuilder &tb, Location l) {
        Value zero = arith::ConstantOp::create(tb, l, tb.getF32FloatAttr(0.0f));
        auto pt = cast<MemRefType>(bp.getType());
        SmallVector<OpFoldResult> offsets{tb.getIndexAttr(full), tb.getIndexAttr(0),
                                          tb.getIndexAttr(0)},
            sizes{tb.getIndexAttr(1), tb.getIndexAttr(pt.getDimSize(1)),
                  tb.getIndexAttr(pt.getDimSize(2))},
            ones(3, tb.getIndexAttr(1));
        linalg::FillOp::create(tb, l, zero,
                               memref::SubViewOp::create(tb, l, bp, offsets, sizes, ones).getResult());
        scf::YieldOp::create(tb, l);
      });
    Value colBegin = arith::MulIOp::create(b, loc, pBegin, cIdx(b, loc, nr));
    Value colEnd = arith::MinSIOp::create(
        b, loc, arith::MulIOp::create(b, loc, pEnd, cIdx(b, loc, nr)), cIdx(b, loc, n));
    forLoop(b, loc, colBegin, colEnd, 1, [&](OpBuilder &b, Value col) {
      Value panel = arith::DivUIOp::create(b, loc, col, cIdx(b, loc, nr));
      Value lane = arith::RemUIOp::create(b, loc, col, cIdx(b, loc, nr));
      forLoop(b, loc, 0, k, 1, [&](OpBuilder &b, Value row) {
        Value v = memref::LoadOp::create(b, loc, src, ValueRange{row, col});
        memref::StoreOp::create(b, loc, v, bp, ValueRange{panel, row, lane});
      });
    });
    return;
  }
  auto vt = VectorType::get({cfg.vl}, b.getF32Type());
  forLoop(b, loc, 0, k, 1, [&](OpBuilder &b, Value row) {
    if (full)
      forLoop(b, loc, fullBegin, fullEnd, 1, [&](OpBuilder &b, Value p) {
        Value n0 = mul(b, loc, p, nr);
        for (int64_t j = 0; j < cfg.nv; ++j) {
          Value v = vector::LoadOp::create(b, loc, vt, src,
                                           ValueRange{row, add(b, loc, n0, j * cfg.vl)});
          vector::StoreOp::create(b, loc, v, bp, ValueRange{p, row, cIdx(b, loc, j * cfg.vl)});
        }
      });
    if (!rem)
      return;
    auto ifRem = scf::IfOp::create(b, loc, hasRem, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifRem.thenBlock());
    Value zero = arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, 0.0f));
    for (int64_t j = 0; j < cfg.nv; ++j) {
      int64_t lanes = std::clamp<int64_t>(rem - j * cfg.vl, 0, cfg.vl);
      Value v = zero;
      if (lanes) {
        Value mask = vector::ConstantMaskOp::create(
            b, loc, VectorType::get({cfg.vl}, b.getI1Type()), ArrayRef<int64_t>{lanes});
        v = vector::MaskedLoadOp::create(b, loc, vt, src,
                                         ValueRange{row, cIdx(b, loc, full * nr + j * cfg.vl)},
                                         mask, zero);
      }
      vector::StoreOp::create(b, loc, v, bp,
                              ValueRange{cIdx(b, loc, full), row, cIdx(b, loc, j * cfg.vl)});
    }
  });
}

void emitPackIm2col(OpBuilder &b, Location loc, const GemmConfig &cfg, const ConvGeometry &g,
                    Value xFlat, Value offset, Value bp, Value pBegin, Value pEnd) {
  int64_t n = g.oh * g.ow, nr = cfg.nr();
  auto i32 = b.getI32Type();
  auto vt = VectorType::get({cfg.vl}, b.getF32Type());
  auto it = VectorType::get({cfg.vl}, i32);
  auto splat = [&](OpBuilder &b, int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, it, DenseElementsAttr::get(it, int32_t(v)));
  };
  Value iota = laneOffsets(b, loc, cfg.vl);
  Value zero = arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, 0.0f));
  forLoop(b, loc, pBegin, pEnd, 1, [&](OpBuilder &b, Value p) {
    // Per lane: its column n, whether it exists, and where its window starts.
    SmallVector<Value> base, valid;
    Value p32 = arith::IndexCastOp::create(b, loc, i32, p);
    for (int64_t j = 0; j < cfg.nv; ++j) {
      Value first = arith::MulIOp::create(b, loc, vector::BroadcastOp::create(b, loc, it, p32),
                                          splat(b, nr));
      Value col = arith::AddIOp::create(
          b, loc, arith::AddIOp::create(b, loc, first, iota), splat(b, j * cfg.vl));
      valid.push_back(
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, col, splat(b, n)));
      col = arith::MinSIOp::create(b, loc, col, splat(b, n - 1));
      Value oh = arith::DivUIOp::create(b, loc, col, splat(b, g.ow));
      Value ow = arith::SubIOp::create(b, loc, col,
                                       arith::MulIOp::create(b, loc, oh, splat(b, g.ow)));
      base.push_back(arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, oh, splat(b, g.sh * g.wp)),
          arith::MulIOp::create(b, loc, ow, splat(b, g.sw))));
    }
    // Rows k = (c, ky, kx) of one vector of lanes; `load` reads the lanes
    // whose window starts `shift` elements into the image.
    auto rows = [&](OpBuilder &b, int64_t j, auto load) {
      forLoop(b, loc, 0, g.c, 1, [&](OpBuilder &b, Value ch) {
        forLoop(b, loc, 0, g.kh, 1, [&](OpBuilder &b, Value ky) {
          forLoop(b, loc, 0, g.kw, 1, [&](OpBuilder &b, Value kx) {
            Value k = arith::AddIOp::create(
                b, loc,
                mul(b, loc, arith::AddIOp::create(b, loc, mul(b, loc, ch, g.kh), ky), g.kw), kx);
            Value shift = arith::AddIOp::create(
                b, loc,
                arith::AddIOp::create(b, loc, mul(b, loc, ch, g.hp * g.wp),
                                      mul(b, loc, ky, g.dh * g.wp)),
                mul(b, loc, kx, g.dw));
            vector::StoreOp::create(b, loc, load(b, shift), bp,
                                    ValueRange{p, k, cIdx(b, loc, j * cfg.vl)});
          });
        });
      });
    };
    auto gathered = [&](int64_t j) {
      return [&, j](OpBuilder &b, Value shift) -> Value {
        Value shiftV = vector::BroadcastOp::create(
            b, loc, it, arith::IndexCastOp::create(b, loc, i32, shift));
        Value idx = arith::AddIOp::create(b, loc, base[j], shiftV);
        return vector::GatherOp::create(b, loc, vt, xFlat, ValueRange{offset}, idx, valid[j],
                                        zero);
      };
    };
    for (int64_t j = 0; j < cfg.nv; ++j) {
      if (g.sw > 2) {
        rows(b, j, gathered(j));
        continue;
      }
      // Stride 1 or 2: when the lanes are all real and on one output row,
      // they read consecutive input elements (every other one at stride 2):
      // one vector load (two and a shuffle) instead of a gather.
      Value col = add(b, loc, mul(b, loc, p, nr), j * cfg.vl);
      Value oh = arith::DivUIOp::create(b, loc, col, cIdx(b, loc, g.ow));
      Value ow = arith::RemUIOp::create(b, loc, col, cIdx(b, loc, g.ow));
      Value inRow = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle,
                                          add(b, loc, ow, cfg.vl), cIdx(b, loc, g.ow));
      Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle,
                                            add(b, loc, col, cfg.vl), cIdx(b, loc, n));
      Value start = arith::AddIOp::create(
          b, loc, offset,
          arith::AddIOp::create(b, loc, mul(b, loc, oh, g.sh * g.wp), mul(b, loc, ow, g.sw)));
      // At stride 2 the last lane reads element 2*vl-2 of the pair of loads;
      // the next one may lie past the end of the input.
      Value upper = vector::ConstantMaskOp::create(
          b, loc, VectorType::get({cfg.vl}, b.getI1Type()), ArrayRef<int64_t>{cfg.vl - 1});
      scf::IfOp::create(
          b, loc, arith::AndIOp::create(b, loc, inRow, inRange),
          [&](OpBuilder &tb, Location l) {
            rows(tb, j, [&](OpBuilder &b, Value shift) -> Value {
              Value at = arith::AddIOp::create(b, l, start, shift);
              Value lo = vector::LoadOp::create(b, l, vt, xFlat, ValueRange{at});
              if (g.sw == 1)
                return lo;
              Value hi = vector::MaskedLoadOp::create(b, l, vt, xFlat,
                                                      ValueRange{add(b, l, at, cfg.vl)}, upper, zero);
              return evenLanes(b, l, lo, hi);
            });
            scf::YieldOp::create(tb, l);
          },
          [&](OpBuilder &eb, Location l) {
            rows(eb, j, gathered(j));
            scf::YieldOp::create(eb, l);
          });
    }
  });
}

void emitGemm(OpBuilder &b, Location loc, const GemmConfig &cfg, Value a, Value bp, Value c,
              Value pBegin, Value pEnd, bool overwrite, const Epilogue &epilogue) {
  auto ct = cast<MemRefType>(c.getType());
  int64_t m = ct.getDimSize(0), n = ct.getDimSize(1);
  int64_t k = cast<MemRefType>(a.getType()).getDimSize(1);
  int64_t nr = cfg.nr(), panels = n / nr, nRem = n % nr;
  int64_t mFull = m - m % cfg.mr, mRem = m % cfg.mr;
  // Full panels of the range, then the masked edge panel if it is in it.
  Value fullEnd = arith::MinSIOp::create(b, loc, pEnd, cIdx(b, loc, panels));
  Value hasEdge;
  if (nRem)
    hasEdge = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, pEnd,
                                    cIdx(b, loc, panels));
  auto edge = [&](OpBuilder &b, auto body) {
    if (!nRem)
      return;
    scf::IfOp::create(b, loc, hasEdge, [&](OpBuilder &tb, Location l) {
      body(tb);
      scf::YieldOp::create(tb, l);
    });
  };
  // One k block: every tile of the range once. With `overwrite`, the first
  // block stores its sums instead of adding them to C (C's zero fill is
  // gone), so it is emitted apart from the loop over the others.
  auto block = [&](OpBuilder &b, Value kc, bool loadC) {
    Value kEnd = arith::MinSIOp::create(b, loc, add(b, loc, kc, cfg.kc), cIdx(b, loc, k));
    if (mFull)
      forLoop(b, loc, 0, mFull, cfg.mc, [&](OpBuilder &b, Value mc) {
        Value mEnd = arith::MinSIOp::create(b, loc, add(b, loc, mc, cfg.mc), cIdx(b, loc, mFull));
        forLoop(b, loc, pBegin, fullEnd, 1, [&](OpBuilder &b, Value p) {
          forLoop(b, loc, mc, mEnd, cfg.mr, [&](OpBuilder &b, Value row) {
            emitKernel(b, loc, cfg, a, bp, c, cfg.mr, row, p, nr, kc, kEnd, loadC, epilogue);
          });
        });
        edge(b, [&](OpBuilder &b) {
          forLoop(b, loc, mc, mEnd, cfg.mr, [&](OpBuilder &b, Value row) {
            emitKernel(b, loc, cfg, a, bp, c, cfg.mr, row, cIdx(b, loc, panels), nRem, kc, kEnd, loadC, epilogue);
          });
        });
      });
    if (!mRem)
      return;
    Value row = cIdx(b, loc, mFull);
    forLoop(b, loc, pBegin, fullEnd, 1, [&](OpBuilder &b, Value p) {
      emitKernel(b, loc, cfg, a, bp, c, mRem, row, p, nr, kc, kEnd, loadC, epilogue);
    });
    edge(b, [&](OpBuilder &b) {
      emitKernel(b, loc, cfg, a, bp, c, mRem, row, cIdx(b, loc, panels), nRem, kc, kEnd, loadC, epilogue);
    });
  };
  if (overwrite) {
    block(b, cIdx(b, loc, 0), false);
    if (k > cfg.kc)
      forLoop(b, loc, cfg.kc, k, cfg.kc, [&](OpBuilder &b, Value kc) { block(b, kc, true); });
  } else {
    forLoop(b, loc, 0, k, cfg.kc, [&](OpBuilder &b, Value kc) { block(b, kc, true); });
  }
}

} // namespace onnxc::cpu
