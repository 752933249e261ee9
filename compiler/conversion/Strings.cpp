//===- Strings.cpp - StringNormalizer and string casts -> linalg ----------===//
//
// Strings are fixed-width records here (onnxc-lower-strings: a NUL-padded
// record in a wide integer). StringNormalizer works on records in
// registers: a record is bitcast to a vector of bytes whose ASCII letters
// change case lane by lane, stopwords are record constants compared as
// integers, and the kept records are compacted like Compress into the
// length the model declares. Casts between strings and numbers call the
// support runtime (onnxc_strings_to_numbers / onnxc_numbers_to_strings)
// once per tensor.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

/// `record` with the ASCII letters from `first` to first + 25 moved by
/// `shift` (+32: to lower case, -32: to upper case).
Value shiftCase(OpBuilder &b, Location l, Value record, char first, int shift) {
  auto type = cast<IntegerType>(record.getType());
  auto one = VectorType::get({1}, type);
  auto bytes = VectorType::get({int64_t(type.getWidth() / 8)}, b.getI8Type());
  auto splat = [&](int v) {
    return arith::ConstantOp::create(b, l, DenseElementsAttr::get(bytes, b.getI8IntegerAttr(int8_t(v))));
  };
  Value v = vector::BitCastOp::create(b, l, bytes, vector::BroadcastOp::create(b, l, one, record));
  // c - first <= 25 (unsigned) exactly for the letters of that case.
  Value rel = arith::SubIOp::create(b, l, v, splat(first));
  Value letter = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ule, rel, splat(25));
  v = arith::SelectOp::create(b, l, letter, arith::AddIOp::create(b, l, v, splat(shift)), v);
  return vector::ExtractOp::create(b, l, vector::BitCastOp::create(b, l, one, v), ArrayRef<int64_t>{0});
}

/// StringNormalizer: [C] or [1, C] strings; stopwords removed (compared in
/// lower case unless is_case_sensitive), then case changed. An empty result
/// is one empty string, as ONNX specifies.
struct StringNormalizerPattern : OpConversionPattern<onnx::StringNormalizerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::StringNormalizerOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto xt = dyn_cast<RankedTensorType>(ad.getX().getType());
    if (!xt || !xt.hasStaticShape() || !onnx::isStringRecord(xt.getElementType()))
      return rw.notifyMatchFailure(op, "needs static string records");
    int64_t rank = xt.getRank();
    if (rank != 1 && !(rank == 2 && xt.getDimSize(0) == 1))
      return op.emitOpError() << "takes strings of shape [C] or [1, C], not " << xt;
    auto rt = declaredResult(op);
    if (failed(rt))
      return failure();
    if (rt->getRank() != rank || (rank == 2 && rt->getDimSize(0) != 1))
      return op.emitOpError() << "result " << *rt << " does not match input " << xt;
    StringRef action = op.getCaseChangeAction();
    if (action != "NONE" && action != "LOWER" && action != "UPPER")
      return op.emitOpError() << "case_change_action must be NONE, LOWER or UPPER, not '" << action << "'";
    bool sensitive = op.getIsCaseSensitive() != 0;
    Type rec = xt.getElementType();
    int64_t bytes = onnx::getStringRecordBytes(rec);
    // Stopwords longer than a record can never match one.
    SmallVector<APInt> stops;
    if (auto words = op.getStopwords())
      for (Attribute w : *words) {
        std::string s = cast<StringAttr>(w).str();
        if (!sensitive)
          s = StringRef(s).lower();
        if (auto r = onnx::getStringRecord(s, bytes))
          stops.push_back(*r);
      }

    Location loc = op.getLoc();
    int64_t c = xt.getNumElements(), k = rt->getNumElements();
    Value x = ad.getX();
    if (rank == 2)
      x = tensor::CollapseShapeOp::create(rw, loc, x, SmallVector<ReassociationIndices>{{0, 1}});
    auto flat = RankedTensorType::get({k}, rec);
    Value zero = cIdx(rw, loc, 0), one = cIdx(rw, loc, 1), cap = cIdx(rw, loc, k);
    auto loop = scf::ForOp::create(
        rw, loc, zero, cIdx(rw, loc, c), one, ValueRange{zero, filled(rw, loc, flat, Value(), 0)},
        [&](OpBuilder &b, Location l, Value i, ValueRange acc) {
          Value s = tensor::ExtractOp::create(b, l, x, ValueRange{i});
          Value lower = !sensitive || action == "LOWER" ? shiftCase(b, l, s, 'A', 32) : Value();
          Value key = sensitive ? s : lower;
          Value keep = arith::ConstantIntOp::create(b, l, 1, 1);
          for (const APInt &w : stops)
            keep = arith::AndIOp::create(
                b, l, keep,
                arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, key,
                                      arith::ConstantOp::create(b, l, b.getIntegerAttr(rec, w))));
          if (action == "LOWER")
            s = lower;
          else if (action == "UPPER")
            s = shiftCase(b, l, s, 'a', -32);
          Value room = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, acc[0], cap);
          auto put = scf::IfOp::create(
              b, l, arith::AndIOp::create(b, l, keep, room),
              [&](OpBuilder &tb, Location tl) {
                scf::YieldOp::create(tb, tl, ValueRange{tensor::InsertOp::create(tb, tl, s, acc[1], ValueRange{acc[0]})});
              },
              [&](OpBuilder &eb, Location el) { scf::YieldOp::create(eb, el, acc[1]); });
          Value n = arith::AddIOp::create(
              b, l, acc[0], arith::IndexCastOp::create(b, l, b.getIndexType(), arith::ExtUIOp::create(b, l, b.getI64Type(), keep)));
          scf::YieldOp::create(b, l, ValueRange{n, put.getResult(0)});
        });
    // All removed: one empty string (already there).
    Value count = loop.getResult(0);
    Value ok = arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, count, cap);
    if (k == 1)
      ok = arith::OrIOp::create(rw, loc, ok, arith::CmpIOp::create(rw, loc, arith::CmpIPredicate::eq, count, zero));
    emitRuntimeCheck(rw, loc, ok);
    Value y = loop.getResult(1);
    if (rank == 2)
      y = tensor::ExpandShapeOp::create(rw, loc, *rt, y, SmallVector<ReassociationIndices>{{0, 1}});
    rw.replaceOp(op, y);
    return success();
  }
};

/// The address of a contiguous memref's first element.
Value dataPointer(OpBuilder &b, Location l, Value memref) {
  auto mt = cast<MemRefType>(memref.getType());
  auto meta = memref::ExtractStridedMetadataOp::create(b, l, memref);
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, l, memref);
  int64_t bytes = mt.getElementTypeBitWidth() / 8;
  Value addr = arith::AddIOp::create(b, l, base, arith::MulIOp::create(b, l, meta.getOffset(), cIdx(b, l, bytes)));
  Value i = arith::IndexCastOp::create(b, l, b.getI64Type(), addr);
  return LLVM::IntToPtrOp::create(b, l, LLVM::LLVMPointerType::get(b.getContext()), ValueRange{i});
}

/// Result of a runtime conversion of all of `in` into a new tensor of
/// `in`'s shape and element `outElem`: `call` gets the input and output
/// addresses and returns the status, which a failed run reports.
Value callOnBuffers(OpBuilder &b, Location l, Value in, Type outElem,
                    function_ref<Value(Value inPtr, Value outPtr)> call) {
  auto it = cast<RankedTensorType>(in.getType());
  auto outType = MemRefType::get(it.getShape(), outElem);
  // The output is allocated before the input's address is taken, so that
  // the arena plan keeps the two apart while the call runs.
  Value out = memref::AllocOp::create(b, l, outType, b.getI64IntegerAttr(64));
  Value inBuf = bufferization::ToBufferOp::create(b, l, MemRefType::get(it.getShape(), it.getElementType()), in,
                                                  /*read_only=*/true);
  Value status = call(dataPointer(b, l, inBuf), dataPointer(b, l, out));
  emitRuntimeCheck(b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, status,
                                               arith::ConstantIntOp::create(b, l, 0, 32)));
  return bufferization::ToTensorOp::create(b, l, it.clone(outElem), out, /*restrict=*/true, /*writable=*/true);
}

/// Cast / CastLike from or to strings; numbers travel through the runtime
/// as f32, f64, i64 or u64 and are converted to the exact type in MLIR.
struct StringCastPattern : ConversionPattern {
  StringCastPattern(MLIRContext *ctx, StringRef name) : ConversionPattern(name, /*benefit=*/2, ctx) {}
  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands, ConversionPatternRewriter &rw) const override {
    auto it = dyn_cast<RankedTensorType>(operands[0].getType());
    auto rt = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!it || !rt)
      return failure();
    bool fromString = onnx::isStringRecord(it.getElementType());
    bool toString = onnx::isStringRecord(rt.getElementType());
    if (!fromString && !toString)
      return failure();
    if (!it.hasStaticShape())
      return op->emitOpError() << "string casts need a static shape, not " << it;
    if (fromString && toString) {
      rw.replaceOp(op, operands[0]);
      return success();
    }
    Location loc = op->getLoc();
    auto ptr = LLVM::LLVMPointerType::get(rw.getContext());
    Type i32 = rw.getI32Type(), i64 = rw.getI64Type();
    auto i64c = [&](int64_t v) { return arith::ConstantIntOp::create(rw, loc, v, 64).getResult(); };
    auto i32c = [&](int64_t v) { return arith::ConstantIntOp::create(rw, loc, v, 32).getResult(); };
    Value n = i64c(it.getNumElements());
    if (fromString) {
      Type elem = rt.getElementType();
      bool toUnsigned;
      if (auto to = op->getAttrOfType<IntegerAttr>("to"))
        toUnsigned = onnx::isUnsignedDataType(to.getInt());
      else
        toUnsigned = isUnsignedOperand(op, 1);
      // The runtime's type (ONNX dtype code) nearest to the result.
      Type via = elem.isF64() || elem.isInteger(1) ? Type(rw.getF64Type())
                 : isa<FloatType>(elem)            ? Type(rw.getF32Type())
                                                   : i64;
      int64_t kind = via.isF64() ? 11 : via.isF32() ? 1 : toUnsigned ? 13 : 7;
      StringRef fn = "onnxc_strings_to_numbers";
      declareFunction(rw, loc, fn, rw.getFunctionType({ptr, i64, i64, i32, ptr}, {i32}));
      int64_t width = onnx::getStringRecordBytes(it.getElementType());
      Value r = callOnBuffers(rw, loc, operands[0], via, [&](Value in, Value out) {
        return func::CallOp::create(rw, loc, fn, TypeRange{i32},
                                    ValueRange{in, i64c(width), n, i32c(kind), out})
            .getResult(0);
      });
      if (via != elem)
        r = buildElementwise(rw, loc, rt, ValueRange{r}, [&](OpBuilder &b, Location l, Type t, ValueRange a) {
          return castScalar(b, l, a[0], t, toUnsigned, toUnsigned);
        });
      rw.replaceOp(op, r);
      return success();
    }
    // Numbers to strings: widen to what the runtime prints.
    Type elem = it.getElementType();
    bool fromUnsigned = isUnsignedOperand(op, 0) || elem.isInteger(1);
    Type via = elem.isF64() ? Type(rw.getF64Type()) : isa<FloatType>(elem) ? Type(rw.getF32Type()) : i64;
    int64_t kind = via.isF64() ? 11 : via.isF32() ? 1 : fromUnsigned ? 13 : 7;
    Value in = operands[0];
    if (via != elem)
      in = buildElementwise(rw, loc, it.clone(via), ValueRange{in}, [&](OpBuilder &b, Location l, Type t, ValueRange a) {
        return castScalar(b, l, a[0], t, fromUnsigned, fromUnsigned);
      });
    StringRef fn = "onnxc_numbers_to_strings";
    declareFunction(rw, loc, fn, rw.getFunctionType({ptr, i32, i64, ptr, i64}, {i32}));
    int64_t width = onnx::getStringRecordBytes(rt.getElementType());
    Value r = callOnBuffers(rw, loc, in, rt.getElementType(), [&](Value inPtr, Value out) {
      return func::CallOp::create(rw, loc, fn, TypeRange{i32},
                                  ValueRange{inPtr, i32c(kind), n, out, i64c(width)})
          .getResult(0);
    });
    rw.replaceOp(op, r);
    return success();
  }
};

} // namespace

void populateStringPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  p.add<StringNormalizerPattern>(p.getContext());
  names.insert("onnx.StringNormalizer");
  for (StringRef name : {"onnx.Cast", "onnx.CastLike"})
    p.add<StringCastPattern>(p.getContext(), name);
}

} // namespace onnxc::conversion
