//===- Depthwise.cpp - SIMD depthwise convolution emitter -----------------===//
#include "compiler/codegen/cpu/Depthwise.h"
#include "compiler/codegen/cpu/LaneWise.h"
#include "compiler/codegen/cpu/Loops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <limits>

using namespace mlir;

namespace onnxc::cpu {

void emitDepthwise(OpBuilder &b, Location loc, int64_t vl, bool fma, WindowKind kind, Value x,
                   Value w, Value y, Value out, Value img, ArrayRef<int64_t> kernel,
                   ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                   ArrayRef<int64_t> padLow, Value gBegin, Value gEnd,
                   std::optional<double> fill, const DepthwiseEpilogue &epilogue) {
  auto xt = cast<MemRefType>(x.getType()), yt = cast<MemRefType>(y.getType());
  int64_t rank = yt.getRank();
  int64_t kh = kernel[0], kw = kernel[1];
  int64_t ih = xt.getDimSize(rank - 2), iw = xt.getDimSize(rank - 1);
  int64_t oh = yt.getDimSize(rank - 2), ow = yt.getDimSize(rank - 1), full = ow - ow % vl,
          tail = ow % vl;
  int64_t sh = strides[0], sw = strides[1], dh = dilations[0], dw = dilations[1];
  int64_t pt = padLow[0], pl = padLow[1];
  auto c = [&](OpBuilder &b, int64_t v) { return cIdx(b, loc, v); };
  auto vt = VectorType::get({vl}, b.getF32Type());
  auto mt = VectorType::get({vl}, b.getI1Type());
  Value strided = laneOffsets(b, loc, vl, sw), iota = laneOffsets(b, loc, vl);
  Value zero = arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, 0.0f));
  // What the (virtual) padding holds: max pooling pads with -inf.
  Value pad = kind == WindowKind::Max
                  ? arith::ConstantOp::create(
                        b, loc, vt,
                        DenseElementsAttr::get(vt, -std::numeric_limits<float>::infinity()))
                  : zero;
  Value init = fill ? arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, float(*fill)))
                    : Value();
  Value allTrue = vector::ConstantMaskOp::create(b, loc, mt, ArrayRef<int64_t>{vl});
  // The first `n` lanes (clamped to [0, vl]).
  auto prefixMask = [&](OpBuilder &b, int64_t n) -> Value {
    return vector::ConstantMaskOp::create(b, loc, mt,
                                          ArrayRef<int64_t>{std::clamp<int64_t>(n, 0, vl)});
  };
  Value tailMask =
      tail ? Value(vector::ConstantMaskOp::create(b, loc, mt, ArrayRef<int64_t>{tail})) : Value();
  // Input columns a chunk of `live` lanes from output column `col` reads,
  // relative to its first: whether they all lie inside the row.
  auto lastColumn = [&](int64_t live) { return (live - 1) * sw + (kw - 1) * dw - pl; };
  auto insideStatic = [&](int64_t col, int64_t live) {
    return col * sw - pl >= 0 && col * sw + lastColumn(live) < iw;
  };
  bool rowChecks = pt > 0 || (oh - 1) * sh + (kh - 1) * dh - pt >= ih;

  forLoop(b, loc, gBegin, gEnd, 1, [&](OpBuilder &b, Value g) {
    // The channel's KH*KW weights, broadcast once.
    SmallVector<Value> weights;
    Value z = c(b, 0);
    if (kind == WindowKind::Conv)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j)
          weights.push_back(vector::BroadcastOp::create(
              b, loc, vt,
              memref::LoadOp::create(b, loc, w, ValueRange{g, z, z, c(b, i), c(b, j)})));
    // Indices of (row, col) in x, y and out: depthwise ones have a unit
    // group-size dim.
    auto at = [&](Value row, Value col) -> SmallVector<Value> {
      if (rank == 5)
        return {img, g, z, row, col};
      return {img, g, row, col};
    };
    forLoop(b, loc, 0, oh, 1, [&](OpBuilder &b, Value row) {
      // Each tap row's input row, clamped into the input, and whether it
      // exists (else the tap reads padding).
      SmallVector<Value> inRows, rowOk;
      for (int64_t i = 0; i < kh; ++i) {
        Value raw = arith::AddIOp::create(b, loc, arith::MulIOp::create(b, loc, row, c(b, sh)),
                                          c(b, i * dh - pt));
        if (!rowChecks) {
          inRows.push_back(raw);
          rowOk.push_back(Value());
          continue;
        }
        rowOk.push_back(arith::AndIOp::create(
            b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, raw, c(b, 0)),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, raw, c(b, ih))));
        inRows.push_back(arith::MaxSIOp::create(
            b, loc, arith::MinSIOp::create(b, loc, raw, c(b, ih - 1)), c(b, 0)));
      }
      // One vector of outputs starting at column `col` (`mask` for the
      // tail). `inside`: every column it reads is in the input; else each
      // lane's columns are checked.
      auto chunk = [&](OpBuilder &b, Value col, Value mask, bool inside) {
        SmallVector<Value> yi = at(row, col);
        Value acc = init ? init : loadLanes(b, loc, vt, y, yi, mask);
        for (int64_t i = 0; i < kh; ++i) {
          for (int64_t j = 0; j < kw; ++j) {
            Value inCol = arith::AddIOp::create(
                b, loc, arith::MulIOp::create(b, loc, col, c(b, sw)), c(b, j * dw - pl));
            SmallVector<Value> xi = at(inRows[i], inCol);
            Value xv;
            // Lanes of a chunk that reaches into the padding: those whose
            // columns lie in the row (and, for stride 2, that an output
            // lane reads) load, the others are padding.
            auto liveColumns = [&](Value start, int64_t firstPos) -> Value {
              int64_t used = ((mask ? tail : vl) - 1) * sw + 1; // positions the outputs read
              return arith::AndIOp::create(b, loc, lanesInRange(b, loc, start, iota, iw).second,
                                           prefixMask(b, used - firstPos));
            };
            if (!inside && sw <= 2) {
              Value lo = vector::MaskedLoadOp::create(b, loc, vt, x, xi, liveColumns(inCol, 0), pad);
              if (sw == 1) {
                xv = lo;
              } else {
                SmallVector<Value> xi2(xi);
                xi2.back() = arith::AddIOp::create(b, loc, inCol, c(b, vl));
                Value hi = vector::MaskedLoadOp::create(b, loc, vt, x, xi2,
                                                        liveColumns(xi2.back(), vl), pad);
                xv = evenLanes(b, loc, lo, hi);
              }
            } else if (!inside) {
              auto [cols, ok] = lanesInRange(b, loc, inCol, strided, iw);
              if (mask)
                ok = arith::AndIOp::create(b, loc, ok, mask);
              xv = vector::GatherOp::create(b, loc, vt, x, at(inRows[i], c(b, 0)), cols, ok, pad);
            } else if (sw == 1) {
              // The tail's dead lanes are not read (the row may end there).
              xv = loadLanes(b, loc, vt, x, xi, mask);
            } else if (sw == 2) {
              // Even lanes of two loads. Output lane l reads element 2l, so
              // the loads stop at element 2*lanes-2: 2*vl-1 and, in the tail,
              // everything past the last live lane may lie past the end of
              // the buffer.
              int64_t live = mask ? tail : vl;
              SmallVector<Value> xi2(xi);
              xi2.back() = arith::AddIOp::create(b, loc, inCol, c(b, vl));
              Value lo = live == vl ? Value(vector::LoadOp::create(b, loc, vt, x, xi))
                                    : Value(vector::MaskedLoadOp::create(
                                          b, loc, vt, x, xi, prefixMask(b, 2 * live - 1), zero));
              Value hi = vector::MaskedLoadOp::create(b, loc, vt, x, xi2,
                                                      prefixMask(b, 2 * live - 1 - vl), zero);
              xv = evenLanes(b, loc, lo, hi);
            } else
              xv = vector::GatherOp::create(b, loc, vt, x, xi, strided,
                                            mask ? mask : allTrue, zero);
            if (rowOk[i])
              xv = arith::SelectOp::create(b, loc, rowOk[i], xv, pad);
            if (kind == WindowKind::Max) {
              acc = arith::MaximumFOp::create(b, loc, acc, xv);
              continue;
            }
            if (kind == WindowKind::Sum) {
              acc = arith::AddFOp::create(b, loc, acc, xv);
              continue;
            }
            Value wv = weights[i * kw + j];
            acc = fma ? Value(vector::FMAOp::create(b, loc, wv, xv, acc))
                      : Value(arith::AddFOp::create(b, loc, acc,
                                                    arith::MulFOp::create(b, loc, wv, xv)));
          }
        }
        if (epilogue)
          acc = epilogue(b, loc, g, row, col, acc, mask);
        if (mask)
          vector::MaskedStoreOp::create(b, loc, out, yi, mask, acc);
        else
          vector::StoreOp::create(b, loc, acc, out, yi);
      };
      // Full chunks: the first and last may reach into the padding.
      if (full) {
        bool allInside = insideStatic(0, vl) && insideStatic(full - vl, vl);
        forLoop(b, loc, 0, full, vl, [&](OpBuilder &b, Value col) {
          if (allInside) {
            chunk(b, col, Value(), true);
            return;
          }
          Value first = arith::SubIOp::create(b, loc, arith::MulIOp::create(b, loc, col, c(b, sw)),
                                              c(b, pl));
          Value inside = arith::AndIOp::create(
              b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, first, c(b, 0)),
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                    arith::AddIOp::create(b, loc, first, c(b, lastColumn(vl) + pl)),
                                    c(b, iw)));
          scf::IfOp::create(
              b, loc, inside,
              [&](OpBuilder &tb, Location l) {
                chunk(tb, col, Value(), true);
                scf::YieldOp::create(tb, l);
              },
              [&](OpBuilder &eb, Location l) {
                chunk(eb, col, Value(), false);
                scf::YieldOp::create(eb, l);
              });
        });
      }
      if (tail)
        chunk(b, c(b, full), tailMask, insideStatic(full, tail));
    });
  });
}

} // namespace onnxc::cpu
