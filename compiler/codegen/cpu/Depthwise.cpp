//===- Depthwise.cpp - SIMD depthwise convolution emitter -----------------===//
#include "compiler/codegen/cpu/Depthwise.h"
#include "compiler/codegen/cpu/Loops.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

namespace onnxc::cpu {

void emitDepthwise(OpBuilder &b, Location loc, int64_t vl, bool fma, WindowKind kind, Value x,
                   Value w, Value y, Value out, Value img, ArrayRef<int64_t> kernel,
                   ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations, Value gBegin,
                   Value gEnd, std::optional<double> fill, const DepthwiseEpilogue &epilogue) {
  auto yt = cast<MemRefType>(y.getType());
  int64_t rank = yt.getRank();
  int64_t kh = kernel[0], kw = kernel[1];
  int64_t oh = yt.getDimSize(rank - 2), ow = yt.getDimSize(rank - 1), full = ow - ow % vl,
          tail = ow % vl;
  int64_t sh = strides[0], sw = strides[1], dh = dilations[0], dw = dilations[1];
  auto c = [&](OpBuilder &b, int64_t v) { return cIdx(b, loc, v); };
  auto vt = VectorType::get({vl}, b.getF32Type());
  auto it = VectorType::get({vl}, b.getI32Type());
  auto mt = VectorType::get({vl}, b.getI1Type());
  SmallVector<int32_t> lanes;
  for (int64_t l = 0; l < vl; ++l)
    lanes.push_back(int32_t(l * sw));
  Value laneOffsets = arith::ConstantOp::create(b, loc, it, DenseElementsAttr::get(it, ArrayRef(lanes)));
  Value zero = arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, 0.0f));
  Value init = fill ? arith::ConstantOp::create(b, loc, vt, DenseElementsAttr::get(vt, float(*fill)))
                    : Value();
  Value allTrue = vector::ConstantMaskOp::create(b, loc, mt, ArrayRef<int64_t>{vl});
  Value upperMask = vector::ConstantMaskOp::create(b, loc, mt, ArrayRef<int64_t>{vl - 1});
  Value tailMask =
      tail ? Value(vector::ConstantMaskOp::create(b, loc, mt, ArrayRef<int64_t>{tail})) : Value();

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
      // One vector of outputs starting at column `col` (`mask` for the tail).
      auto chunk = [&](OpBuilder &b, Value col, Value mask) {
        SmallVector<Value> yi = at(row, col);
        Value acc = init ? init
                    : mask ? Value(vector::MaskedLoadOp::create(b, loc, vt, y, yi, mask, zero))
                           : Value(vector::LoadOp::create(b, loc, vt, y, yi));
        for (int64_t i = 0; i < kh; ++i) {
          Value inRow = arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, row, c(b, sh)), c(b, i * dh));
          for (int64_t j = 0; j < kw; ++j) {
            Value inCol = arith::AddIOp::create(
                b, loc, arith::MulIOp::create(b, loc, col, c(b, sw)), c(b, j * dw));
            SmallVector<Value> xi = at(inRow, inCol);
            Value xv;
            if (sw == 1 && !mask) {
              xv = vector::LoadOp::create(b, loc, vt, x, xi);
            } else if (sw == 2 && !mask) {
              // Even lanes of two loads. The second skips its last lane: the
              // last output reads element 2*vl-2, and 2*vl-1 may lie past the
              // end of the buffer.
              SmallVector<Value> xi2(xi);
              xi2.back() = arith::AddIOp::create(b, loc, inCol, c(b, vl));
              Value lo = vector::LoadOp::create(b, loc, vt, x, xi);
              Value hi = vector::MaskedLoadOp::create(b, loc, vt, x, xi2, upperMask, zero);
              SmallVector<int64_t> even;
              for (int64_t l = 0; l < vl; ++l)
                even.push_back(2 * l);
              xv = vector::ShuffleOp::create(b, loc, lo, hi, even);
            } else
              xv = vector::GatherOp::create(b, loc, vt, x, xi, laneOffsets,
                                            mask ? mask : allTrue, zero);
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
      if (full)
        forLoop(b, loc, 0, full, vl, [&](OpBuilder &b, Value col) { chunk(b, col, Value()); });
      if (tail)
        chunk(b, c(b, full), tailMask);
    });
  });
}

} // namespace onnxc::cpu
