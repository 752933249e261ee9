//===- Random.cpp - onnx random ops and training Dropout -> linalg ----------===//
//
// A counter-based generator: element i of a random tensor hashes (key, i)
// with the splitmix64 finaliser, so generics stay parallel and need no state
// per element. The key is the hashed `seed` attribute (the same values every
// run) or, without a seed, a key drawn per execution from runtime-support
// (onnxc_random_next) mixed with a hash of the node's location.
// Normal values use the Box-Muller transform of two uniform streams.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/PopulatePatterns.h"
#include "dialects/onnx/OnnxOps.h"
#include "dialects/onnx/ops/ShapeHelper.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/bit.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
namespace onnx = onnxc::onnx;

namespace onnxc::conversion {
namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ull;

uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

Value i64c(OpBuilder &b, Location l, uint64_t v) {
  return arith::ConstantOp::create(b, l, b.getI64IntegerAttr(int64_t(v)));
}

/// splitmix64's finaliser on an i64 value.
Value mix(OpBuilder &b, Location l, Value x) {
  auto step = [&](Value v, int64_t shift, uint64_t mul) {
    Value s = arith::XOrIOp::create(b, l, v, arith::ShRUIOp::create(b, l, v, i64c(b, l, shift)));
    return mul ? Value(arith::MulIOp::create(b, l, s, i64c(b, l, mul))) : s;
  };
  x = step(x, 30, 0xBF58476D1CE4E5B9ull);
  x = step(x, 27, 0x94D049BB133111EBull);
  return step(x, 31, 0);
}

/// The stream key of a random op: from its seed, or one draw per execution
/// from runtime-support's process-wide stream (onnxc_random_next).
Value streamKey(OpBuilder &b, Operation *op, std::optional<double> seed) {
  Location l = op->getLoc();
  std::string where;
  llvm::raw_string_ostream os(where);
  op->getLoc().print(os);
  uint64_t salt = mix64(llvm::hash_value(where));
  if (seed)
    return i64c(b, l, mix64(llvm::bit_cast<uint64_t>(*seed) ^ kGolden));
  StringRef name = "onnxc_random_next";
  declareFunction(b, l, name, b.getFunctionType({}, b.getI64Type()));
  Value next = func::CallOp::create(b, l, name, TypeRange{b.getI64Type()}, ValueRange{}).getResult(0);
  return mix(b, l, arith::XOrIOp::create(b, l, next, i64c(b, l, salt)));
}

/// Uniform f32 in [0, 1) for the element at `ivs` of `shape` in stream `key`.
Value uniformAt(OpBuilder &b, Location l, Value key, ValueRange ivs, ArrayRef<int64_t> shape) {
  Value lin = arith::ConstantIndexOp::create(b, l, 0);
  for (auto [iv, d] : llvm::zip(ivs, shape))
    lin = arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, lin, arith::ConstantIndexOp::create(b, l, d)), iv);
  Value i = arith::IndexCastOp::create(b, l, b.getI64Type(), lin);
  Value x = mix(b, l, arith::AddIOp::create(b, l, arith::MulIOp::create(b, l, i, i64c(b, l, kGolden)), key));
  // The top 24 bits as a float: exact, and strictly below 1.
  Value top = arith::ShRUIOp::create(b, l, x, i64c(b, l, 40));
  Value f = arith::UIToFPOp::create(b, l, b.getF32Type(), top);
  return arith::MulFOp::create(b, l, f, scalarConstant(b, l, b.getF32Type(), 1.0 / (1 << 24)));
}

/// Standard normal f32 (Box-Muller) from two streams derived from `key`.
Value normalAt(OpBuilder &b, Location l, Value key, ValueRange ivs, ArrayRef<int64_t> shape) {
  Type f32 = b.getF32Type();
  Value u1 = uniformAt(b, l, key, ivs, shape);
  Value u2 = uniformAt(b, l, arith::XOrIOp::create(b, l, key, i64c(b, l, 0xD1B54A32D192ED03ull)), ivs, shape);
  Value r = math::SqrtOp::create(
      b, l, arith::MulFOp::create(b, l, scalarConstant(b, l, f32, -2.0),
                                  math::LogOp::create(b, l, arith::SubFOp::create(b, l, scalarConstant(b, l, f32, 1.0), u1))));
  Value th = arith::MulFOp::create(b, l, u2, scalarConstant(b, l, f32, 2 * llvm::numbers::pi));
  return arith::MulFOp::create(b, l, r, math::CosOp::create(b, l, th));
}

/// A generic over `types` (same shape) whose body gets the indices and
/// returns one value per result.
SmallVector<Value> generateN(OpBuilder &b, Location loc, ArrayRef<RankedTensorType> types, ValueRange ins,
                             function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange, ValueRange)> body) {
  int64_t rank = types[0].getRank();
  SmallVector<Value> inits;
  SmallVector<Type> resTypes;
  for (RankedTensorType t : types) {
    inits.push_back(tensor::EmptyOp::create(b, loc, t.getShape(), t.getElementType()));
    resTypes.push_back(t);
  }
  SmallVector<AffineMap> maps(ins.size() + types.size(), b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iters(rank, utils::IteratorType::parallel);
  auto g = linalg::GenericOp::create(b, loc, resTypes, ins, inits, maps, iters,
                                     [&](OpBuilder &nb, Location l, ValueRange args) {
                                       SmallVector<Value> ivs;
                                       for (int64_t i = 0; i < rank; ++i)
                                         ivs.push_back(linalg::IndexOp::create(nb, l, i));
                                       linalg::YieldOp::create(nb, l, body(nb, l, ivs, args.take_front(ins.size())));
                                     });
  return SmallVector<Value>(g.getResults());
}

std::optional<double> seedOf(Operation *op) {
  if (auto f = op->getAttrOfType<FloatAttr>("seed"))
    return f.getValueAsDouble();
  if (auto i = op->getAttrOfType<IntegerAttr>("seed"))
    return double(i.getInt());
  return std::nullopt;
}

/// RandomUniform(Like) and RandomNormal(Like): low + (high - low) * u, or
/// mean + scale * z, converted to the result type.
template <typename OpTy, bool isNormal>
struct RandomPattern : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;
  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor, ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !rt->hasStaticShape())
      return rw.notifyMatchFailure(op, "needs a static shape");
    double a, c;
    if constexpr (isNormal)
      a = op.getMean().convertToFloat(), c = op.getScale().convertToFloat();
    else
      a = op.getLow().convertToFloat(), c = op.getHigh().convertToFloat() - a;
    Location loc = op.getLoc();
    Value key = streamKey(rw, op, seedOf(op));
    auto shape = rt->getShape();
    Value r = generateN(rw, loc, {*rt}, {}, [&](OpBuilder &b, Location l, ValueRange iv, ValueRange) {
      Value v = isNormal ? normalAt(b, l, key, iv, shape) : uniformAt(b, l, key, iv, shape);
      Type f32 = b.getF32Type();
      v = arith::AddFOp::create(b, l, scalarConstant(b, l, f32, a),
                                arith::MulFOp::create(b, l, v, scalarConstant(b, l, f32, c)));
      return SmallVector<Value>{castScalar(b, l, v, rt->getElementType())};
    })[0];
    rw.replaceOp(op, r);
    return success();
  }
};

/// Bernoulli: 1 where a uniform draw is below the probability.
struct BernoulliPattern : OpConversionPattern<onnx::BernoulliOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::BernoulliOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !rt->hasStaticShape())
      return rw.notifyMatchFailure(op, "needs a static shape");
    Value key = streamKey(rw, op, seedOf(op));
    auto shape = rt->getShape();
    Value r = generateN(rw, op.getLoc(), {*rt}, ad.getInput(),
                        [&](OpBuilder &b, Location l, ValueRange iv, ValueRange a) {
                          Value u = uniformAt(b, l, key, iv, shape);
                          Value p = castScalar(b, l, a[0], b.getF32Type());
                          Value hit = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, u, p);
                          return SmallVector<Value>{castScalar(b, l, hit, rt->getElementType())};
                        })[0];
    rw.replaceOp(op, r);
    return success();
  }
};

/// Dropout: the identity unless training_mode is given; then, where it is
/// true at run time, each element is kept with probability 1 - ratio and
/// scaled by 1 / (1 - ratio). The mask marks kept elements.
struct DropoutPattern : OpConversionPattern<onnx::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(onnx::DropoutOp op, OpAdaptor ad, ConversionPatternRewriter &rw) const override {
    auto rt = rankedResult(rw, op);
    if (failed(rt) || !rt->hasStaticShape())
      return rw.notifyMatchFailure(op, "needs a static shape");
    Location loc = op.getLoc();
    bool hasMask = op->getNumResults() > 1 && !isa<NoneType>(op->getResult(1).getType());
    auto maskType = RankedTensorType::get(rt->getShape(), rw.getI1Type());
    Value x = ad.getData();
    auto training = onnx::getConstantInts(op.getTrainingMode());
    if (isa<NoneType>(ad.getTrainingMode().getType()) || (training && (*training)[0] == 0)) {
      SmallVector<Value> res{x};
      if (op->getNumResults() > 1)
        res.push_back(hasMask ? filled(rw, loc, maskType, Value(), 1.0) : Value(onnx::NoValueOp::create(rw, loc)));
      rw.replaceOp(op, res);
      return success();
    }
    Type f32 = rw.getF32Type();
    Value ratio = isa<NoneType>(ad.getRatio().getType()) ? scalarConstant(rw, loc, f32, 0.5)
                                                          : castScalar(rw, loc, firstElement(rw, loc, ad.getRatio()), f32);
    Value on = firstElement(rw, loc, ad.getTrainingMode());
    Type t = rt->getElementType();
    Value scale = castScalar(rw, loc,
                             arith::DivFOp::create(rw, loc, scalarConstant(rw, loc, f32, 1.0),
                                                   arith::SubFOp::create(rw, loc, scalarConstant(rw, loc, f32, 1.0), ratio)),
                             t);
    Value key = streamKey(rw, op, seedOf(op));
    auto shape = rt->getShape();
    auto res = generateN(rw, loc, {*rt, maskType}, x, [&](OpBuilder &b, Location l, ValueRange iv, ValueRange a) {
      Value u = uniformAt(b, l, key, iv, shape);
      Value keep = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGE, u, ratio);
      Value kept = arith::MulFOp::create(b, l, a[0], scale);
      Value y = arith::SelectOp::create(b, l, keep, kept, scalarConstant(b, l, t, 0));
      Value yes = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
      return SmallVector<Value>{arith::SelectOp::create(b, l, on, y, a[0]),
                                arith::SelectOp::create(b, l, on, keep, yes)};
    });
    SmallVector<Value> out{res[0]};
    if (op->getNumResults() > 1)
      out.push_back(hasMask ? res[1] : Value(onnx::NoValueOp::create(rw, loc)));
    rw.replaceOp(op, out);
    return success();
  }
};

} // namespace

void populateRandomPatterns(RewritePatternSet &p, llvm::StringSet<> &names) {
  p.add<RandomPattern<onnx::RandomUniformOp, false>, RandomPattern<onnx::RandomUniformLikeOp, false>,
        RandomPattern<onnx::RandomNormalOp, true>, RandomPattern<onnx::RandomNormalLikeOp, true>,
        BernoulliPattern, DropoutPattern>(p.getContext());
  for (StringRef n : {"onnx.RandomUniform", "onnx.RandomUniformLike", "onnx.RandomNormal",
                      "onnx.RandomNormalLike", "onnx.Bernoulli", "onnx.Dropout"})
    names.insert(n);
}

} // namespace onnxc::conversion
