//===- LowerContractions.cpp - contractions/convs -> packed GEMM ----------===//
//
// Matching and views; the loops themselves come from PackedGemm.cpp. A
// contraction's operands are reduced to 2-D views per batch index (rank-
// reducing subviews, transposed where the map orders them (k, m) or
// (n, k)), so one emitter serves matmul, batch matmul and broadcast batches.
//
//===----------------------------------------------------------------------===//
#include "compiler/codegen/cpu/Buffers.h"
#include "compiler/codegen/cpu/Depthwise.h"
#include "compiler/codegen/cpu/Dispatch.h"
#include "compiler/codegen/cpu/LaneWise.h"
#include "compiler/codegen/cpu/Loops.h"
#include "compiler/codegen/cpu/PackedGemm.h"
#include "compiler/codegen/cpu/Winograd.h"
#include "compiler/codegen/cpu/Passes.h"
#include "dialects/onnx/OnnxOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/StringSet.h"

#include <limits>

namespace onnxc {
#define GEN_PASS_DEF_LOWERCONTRACTIONS
#include "compiler/codegen/cpu/Passes.h.inc"
} // namespace onnxc

using namespace mlir;
using onnxc::cpu::erasePaddedCopy;
using onnxc::cpu::fillConstant;
using onnxc::cpu::findPaddedCopy;
using onnxc::cpu::GemmConfig;
using onnxc::cpu::moveFutureUses;
using onnxc::cpu::PaddedCopy;
using onnxc::cpu::rootBuffer;
using onnxc::cpu::sinkFill;
using onnxc::cpu::takeFill;
using onnxc::cpu::takeZeroFill;

namespace {

bool isF32(Value v) {
  auto t = dyn_cast<MemRefType>(v.getType());
  return t && t.getElementType().isF32() && t.hasStaticShape();
}

/// Where each dim of the iteration space goes in one operand's map: the
/// result position of the two kept dims, or failure when the map is not a
/// projected permutation plus zero constants (broadcast batch dims).
struct OperandMap {
  AffineMap map;
  int64_t first = -1, second = -1; // result positions of the 2 kept dims
};

FailureOr<OperandMap> classify(AffineMap map, unsigned d1, unsigned d2,
                               ArrayRef<unsigned> batch) {
  OperandMap om{map};
  for (auto [pos, e] : llvm::enumerate(map.getResults())) {
    if (auto c = dyn_cast<AffineConstantExpr>(e)) {
      if (c.getValue() != 0)
        return failure();
      continue;
    }
    auto d = dyn_cast<AffineDimExpr>(e);
    if (!d)
      return failure();
    if (d.getPosition() == d1 && om.first < 0)
      om.first = pos;
    else if (d.getPosition() == d2 && om.second < 0)
      om.second = pos;
    else if (!llvm::is_contained(batch, d.getPosition()))
      return failure();
  }
  if (om.first < 0 || om.second < 0)
    return failure();
  return om;
}

/// The 2-D view (d1, d2) of `v` for the batch indices `ivs` (indexed by loop
/// dim). Constant results index 0.
Value view2d(OpBuilder &b, Location loc, Value v, const OperandMap &om,
             const DenseMap<unsigned, Value> &ivs) {
  auto t = cast<MemRefType>(v.getType());
  if (t.getRank() == 2) {
    if (om.first < om.second)
      return v;
  } else {
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (auto [pos, e] : llvm::enumerate(om.map.getResults())) {
      strides.push_back(b.getIndexAttr(1));
      if (int64_t(pos) == om.first || int64_t(pos) == om.second) {
        offsets.push_back(b.getIndexAttr(0));
        sizes.push_back(b.getIndexAttr(t.getDimSize(pos)));
        continue;
      }
      sizes.push_back(b.getIndexAttr(1));
      auto d = dyn_cast<AffineDimExpr>(e);
      offsets.push_back(d ? OpFoldResult(ivs.lookup(d.getPosition())) : b.getIndexAttr(0));
    }
    SmallVector<int64_t> shape{t.getDimSize(std::min(om.first, om.second)),
                               t.getDimSize(std::max(om.first, om.second))};
    auto rt = memref::SubViewOp::inferRankReducedResultType(shape, t, offsets, sizes, strides);
    v = memref::SubViewOp::create(b, loc, cast<MemRefType>(rt), v, offsets, sizes, strides);
    if (om.first < om.second)
      return v;
  }
  auto perm = AffineMap::getPermutationMap(ArrayRef<unsigned>{1, 0}, b.getContext());
  return memref::TransposeOp::create(b, loc, v, AffineMapAttr::get(perm));
}

/// An all-parallel elementwise op right after a convolution that reads its
/// NCHW output `self` (bias, activation, residual add): fused into the
/// kernel's stores. Each input is `self`, a per-channel value, a buffer
/// shaped like it, or a scalar. It writes `self` in place, or (when
/// allowed) another buffer `out` of the same type.
struct ConvEpilogue {
  enum class Kind { Self, Channel, Column, Same, Scalar };
  linalg::GenericOp op;
  Value out;
  SmallVector<Kind> kinds;                 // per block argument
  SmallVector<arith::ConstantOp> constants; // outer constants the body reads
};

/// `self` is the conv's output as the op reads it (y, or a view of y). Once
/// found, the pure ops between the two (views of its operands) move before
/// the conv, where the kernel is emitted.
std::optional<ConvEpilogue> findConvEpilogue(Operation *conv, Value y, Value self,
                                             bool allowOutOfPlace, bool contraction = false) {
  Operation *next = conv->getNextNode();
  while (next && (isMemoryEffectFree(next) || isa<memref::AllocOp>(next)))
    next = next->getNextNode();
  auto g = dyn_cast_or_null<linalg::GenericOp>(next);
  auto yt = cast<MemRefType>(self.getType());
  // Another buffer may be a slice of a larger one (a channel range of a
  // Concat's result) as long as each image is contiguous.
  auto imagesLikeY = [&](Type t) {
    auto mt = dyn_cast<MemRefType>(t);
    SmallVector<int64_t> strides;
    int64_t offset;
    if (contraction || yt.getRank() != 4)
      return mt == yt;
    return mt && mt.getShape() == yt.getShape() && mt.getElementType() == yt.getElementType() &&
           succeeded(mt.getStridesAndOffset(strides, offset)) && strides[3] == 1 &&
           strides[2] == yt.getDimSize(3) && strides[1] == yt.getDimSize(2) * yt.getDimSize(3);
  };
  int64_t rank = yt.getRank();
  if (!g || !g.hasPureBufferSemantics() || g.getNumLoops() != rank ||
      g.getNumParallelLoops() != rank || g.getNumDpsInits() != 1 ||
      (g.getDpsInits()[0] != self &&
       (!allowOutOfPlace || !imagesLikeY(g.getDpsInits()[0].getType()))) ||
      !g.getMatchingIndexingMap(g.getDpsInitOperand(0)).isIdentity() ||
      !onnxc::cpu::isLaneWiseBody(g.getBlock()))
    return std::nullopt;
  ConvEpilogue e;
  e.op = g;
  e.out = g.getDpsInits()[0];
  for (OpOperand &operand : g->getOpOperands()) {
    Value v = operand.get();
    auto t = dyn_cast<MemRefType>(v.getType());
    AffineMap map = g.getMatchingIndexingMap(&operand);
    if (!t || !t.getElementType().isF32())
      return std::nullopt;
    // Only of dim `d` (the others broadcast), which is the operand's last
    // dim for a column vector the GEMM reads as lanes.
    auto onlyOf = [&](unsigned d) {
      for (unsigned o = 0; o < unsigned(rank); ++o)
        if (o != d && map.isFunctionOfDim(o))
          return false;
      return map.isFunctionOfDim(d) && map.isProjectedPermutation(/*allowZeroInResults=*/true);
    };
    auto lastIsColumn = [&] {
      auto last = dyn_cast<AffineDimExpr>(map.getResults().back());
      SmallVector<int64_t> strides;
      int64_t offset;
      return last && last.getPosition() == unsigned(rank - 1) &&
             succeeded(t.getStridesAndOffset(strides, offset)) && strides.back() == 1;
    };
    if (map.isIdentity() && v == self)
      e.kinds.push_back(ConvEpilogue::Kind::Self);
    else if (map.isIdentity() && imagesLikeY(t))
      e.kinds.push_back(ConvEpilogue::Kind::Same);
    else if (!contraction && rank == 4 && onlyOf(1))
      e.kinds.push_back(ConvEpilogue::Kind::Channel);
    else if (contraction && onlyOf(rank - 1) && lastIsColumn())
      e.kinds.push_back(ConvEpilogue::Kind::Column);
    else if (map.getNumDims() && llvm::all_of(map.getResults(), [](AffineExpr r) {
               return isa<AffineConstantExpr>(r);
             }))
      e.kinds.push_back(ConvEpilogue::Kind::Scalar);
    else
      return std::nullopt;
  }
  // Values from outside the body: only constants (cloned where used).
  for (Operation &o : g.getBlock()->without_terminator())
    for (Value v : o.getOperands()) {
      if (v.getParentBlock() == g.getBlock())
        continue;
      auto cst = v.getDefiningOp<arith::ConstantOp>();
      if (!cst)
        return std::nullopt;
      e.constants.push_back(cst);
    }
  // Out of place, y is never written: nothing after the conv but the
  // epilogue may use it (bufferization reuses buffers: earlier users are
  // fine, unless a loop runs them again).
  bool straightLine = isa<func::FuncOp>(conv->getParentOp());
  auto onlyUsedBy = [&](Value v, ArrayRef<Operation *> users) {
    return llvm::all_of(v.getUsers(), [&](Operation *u) {
      if (llvm::is_contained(users, u))
        return true;
      Operation *top = conv->getBlock()->findAncestorOpInBlock(*u);
      return straightLine && top && top != conv && top->isBeforeInBlock(conv);
    });
  };
  // A function argument (a model output) must still be written.
  if (e.out != self && !rootBuffer(y).getDefiningOp<memref::AllocOp>())
    return std::nullopt;
  if (e.out != self && (!onlyUsedBy(self, {conv, g.getOperation()}) ||
                        (self != y && !onlyUsedBy(y, {conv, self.getDefiningOp()}))))
    return std::nullopt;
  while (conv->getNextNode() != g.getOperation())
    conv->getNextNode()->moveBefore(conv);
  return e;
}

/// A named convolution's f32 operands, their types and its window attributes.
struct ConvOperands {
  Value x, w, y;
  MemRefType xt, wt, yt;
  SmallVector<int64_t> strides, dilations;
};

template <typename ConvOp>
std::optional<ConvOperands> convOperands(ConvOp conv) {
  ConvOperands c;
  c.x = conv.getInputs()[0], c.w = conv.getInputs()[1], c.y = conv.getOutputs()[0];
  if (!isF32(c.x) || !isF32(c.w) || !isF32(c.y))
    return std::nullopt;
  c.xt = cast<MemRefType>(c.x.getType());
  c.wt = cast<MemRefType>(c.w.getType());
  c.yt = cast<MemRefType>(c.y.getType());
  c.strides = llvm::to_vector(conv.getStrides().template getValues<int64_t>());
  c.dilations = llvm::to_vector(conv.getDilations().template getValues<int64_t>());
  return c;
}

/// v[i] for a value `i` of v's first dim: a rank-reduced view of the rest.
Value sliceFirst(OpBuilder &b, Location loc, Value v, Value i) {
  auto t = cast<MemRefType>(v.getType());
  SmallVector<OpFoldResult> offsets{i}, sizes{b.getIndexAttr(1)}, strides(t.getRank(), b.getIndexAttr(1));
  for (int64_t d = 1; d < t.getRank(); ++d) {
    offsets.push_back(b.getIndexAttr(0));
    sizes.push_back(b.getIndexAttr(t.getDimSize(d)));
  }
  auto rt = memref::SubViewOp::inferRankReducedResultType(t.getShape().drop_front(), t, offsets,
                                                          sizes, strides);
  return memref::SubViewOp::create(b, loc, cast<MemRefType>(rt), v, offsets, sizes, strides);
}

/// Image `i` of an NCHW buffer as a 1-D memref.
Value flatImage(OpBuilder &b, Location loc, Value v, Value i) {
  return memref::CollapseShapeOp::create(b, loc, sliceFirst(b, loc, v, i),
                                         SmallVector<ReassociationIndices>{{0, 1, 2}});
}

/// Reads the `vt` lanes at (row, col) of an epilogue operand shaped like the
/// output (as the kernel sees it); `mask` may be null.
using SameLoad = Value (*)(OpBuilder &, Location, VectorType vt, Value buf, Value row, Value col,
                           Value mask);

struct LowerContractions : onnxc::impl::LowerContractionsBase<LowerContractions> {
  using LowerContractionsBase::LowerContractionsBase;

  GemmConfig cfg;
  SymbolTable *symbols = nullptr;
  DenseSet<Operation *> packedSources;
  /// Packed copies of constant globals, keyed by (global, k result position).
  DenseMap<std::pair<Operation *, int64_t>, memref::GlobalOp> packedGlobals;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    cfg = onnxc::cpu::gemmConfigFor(vectorBits, fma);
    SymbolTable table(module);
    symbols = &table;
    SmallVector<linalg::LinalgOp> ops;
    module.walk([&](linalg::LinalgOp op) {
      if (op.hasPureBufferSemantics())
        ops.push_back(op);
    });
    for (linalg::LinalgOp op : ops)
      if (op.getNumDpsInits() == 1 && op.getNumReductionLoops() > 0)
        sinkFill(op, op.getDpsInits()[0]);
    for (linalg::LinalgOp op : ops) {
      if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op.getOperation()))
        lowerConv(conv);
      else if (auto dw = dyn_cast<linalg::Conv2DNgchwGfchwOp>(op.getOperation()))
        lowerDepthwise(dw);
      else if (auto pool = dyn_cast<linalg::PoolingNchwMaxOp>(op.getOperation()))
        lowerPooling(pool, onnxc::cpu::WindowKind::Max);
      else if (auto pool = dyn_cast<linalg::PoolingNchwSumOp>(op.getOperation()))
        lowerPooling(pool, onnxc::cpu::WindowKind::Sum);
      else if (linalg::isaContractionOpInterface(op))
        lowerContraction(op);
    }
    // Weights now read only in packed form need not be emitted twice (one
    // walk for all: a symbol-use query per global walks the whole module).
    llvm::StringSet<> read;
    module.walk([&](memref::GetGlobalOp get) { read.insert(get.getName()); });
    for (Operation *g : packedSources)
      if (!read.contains(cast<memref::GlobalOp>(g).getSymName()))
        g->erase();
  }

  /// `body` over panels [0, n), split over threads when `parallel` is set
  /// and the work pays for waking them (~100 kFLOP: a few microseconds).
  /// The GEMM tiling for a kernel whose epilogue `epi` writes another
  /// buffer: that buffer is C, so when the epilogue also reads it the
  /// kernel cannot keep partial sums there between k blocks. Up to twice
  /// the usual k block runs as one block (the B panel then streams from
  /// L2); beyond, the epilogue is dropped (runs on its own).
  GemmConfig configForEpilogue(std::optional<ConvEpilogue> &epi, Value c, int64_t k) {
    GemmConfig gemm = cfg;
    if (epi && epi->out != c && k > cfg.kc && llvm::is_contained(epi->op.getDpsInputs(), epi->out)) {
      if (k <= 2 * cfg.kc)
        gemm.kc = k;
      else
        epi.reset();
    }
    return gemm;
  }

  /// A window op reading a padded copy's source while its epilogue writes
  /// the bytes bufferization gave it from that source (free once the copy
  /// was made): from the epilogue on, that buffer moves to a fresh one, or
  /// when it cannot, the copy stays.
  static void keepPaddedSource(std::optional<PaddedCopy> &padded, std::optional<ConvEpilogue> &epi) {
    if (!padded || !epi || rootBuffer(epi->out) != rootBuffer(padded->src))
      return;
    if (moveFutureUses(rootBuffer(padded->src), epi->op))
      epi->out = epi->op.getDpsInits()[0];
    else
      padded.reset();
  }

  void emitPanels(func::FuncOp parent, OpBuilder &b, Location loc, int64_t n, ValueRange captures,
                  double flops,
                  function_ref<void(OpBuilder &, Value, Value, ValueRange)> body) {
    onnxc::cpu::emitParallelFor(parent, *symbols, b, loc, "panels", n, captures,
                                parallel && flops >= 1e5, body);
  }

  /// The constant global that `src` reads (row-major), or null.
  memref::GlobalOp constantGlobal(Value src) {
    auto get = src.getDefiningOp<memref::GetGlobalOp>();
    if (!get || !cast<MemRefType>(src.getType()).getLayout().isIdentity())
      return nullptr;
    auto global = symbols->lookup<memref::GlobalOp>(get.getName());
    if (!global || !global.getConstant() || !global.getInitialValue() ||
        !isa<ElementsAttr>(*global.getInitialValue()))
      return nullptr;
    return global;
  }

  /// A new constant global `<source>_<suffix>` holding `data` (a form of
  /// `source`'s value that the kernels read instead).
  memref::GlobalOp derivedGlobal(memref::GlobalOp source, StringRef suffix,
                                 ArrayRef<int64_t> shape, ArrayRef<float> data) {
    auto type = MemRefType::get(shape, Float32Type::get(source.getContext()));
    auto blob = HeapAsmResourceBlob::allocateAndCopyInferAlign(data);
    OpBuilder gb(source);
    std::string name = (source.getSymName() + "_" + suffix).str();
    auto global = memref::GlobalOp::create(
        gb, source.getLoc(), name, gb.getStringAttr("private"), type,
        DenseResourceElementsAttr::get(RankedTensorType::get(shape, type.getElementType()), name,
                                       std::move(blob)),
        /*constant=*/true, gb.getI64IntegerAttr(64));
    symbols->insert(global);
    packedSources.insert(source);
    return global;
  }

  /// The packed global for a constant B operand, or null.
  Value packedConstant(OpBuilder &b, Location loc, Value src, const OperandMap &om) {
    memref::GlobalOp global = constantGlobal(src);
    if (!global)
      return nullptr;
    auto key = std::make_pair(global.getOperation(), om.first);
    memref::GlobalOp packed = packedGlobals.lookup(key);
    if (!packed) {
      auto data = onnxc::onnx::readF32Elements(cast<ElementsAttr>(*global.getInitialValue()));
      if (failed(data))
        return nullptr;
      auto t = cast<MemRefType>(src.getType());
      SmallVector<int64_t> strides = t.getStridesAndOffset().first; // identity: row-major
      int64_t k = t.getDimSize(om.first), n = t.getDimSize(om.second);
      std::vector<float> bp = onnxc::cpu::packConstantB(cfg, data->data(), k, n,
                                                        strides[om.first], strides[om.second]);
      packed = derivedGlobal(global, "packed", onnxc::cpu::packedShape(cfg, k, n), bp);
      packedGlobals[key] = packed;
    }
    return memref::GetGlobalOp::create(b, loc, packed.getType(), packed.getSymName());
  }

  void lowerContraction(linalg::LinalgOp op) {
    if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
      return;
    Value a = op.getDpsInputs()[0], bm = op.getDpsInputs()[1], c = op.getDpsInits()[0];
    if (!isF32(a) || !isF32(bm) || !isF32(c))
      return;
    auto dims = linalg::inferContractionDims(op);
    if (failed(dims) || dims->m.empty() || dims->n.empty() || dims->k.size() != 1)
      return;
    // Extra M or N dims (a dim that only A or only B lacks: a unit batch dim
    // of one operand, or a B batched over a shared A) become loops around
    // the GEMM like batch dims. N is C's innermost dim, M the largest.
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    auto inner = dyn_cast<AffineDimExpr>(maps[2].getResults().back());
    if (!inner || !llvm::is_contained(dims->n, inner.getPosition()))
      return; // C must be row-major in (m, n) for vector stores.
    unsigned n = inner.getPosition();
    unsigned m = *llvm::max_element(dims->m, [&](unsigned x, unsigned y) {
      return ranges[x] < ranges[y];
    });
    unsigned k = dims->k[0];
    for (unsigned d : llvm::concat<unsigned>(dims->m, dims->n))
      if (d != m && d != n)
        dims->batch.push_back(d);
    auto am = classify(maps[0], m, k, dims->batch);
    auto bmap = classify(maps[1], k, n, dims->batch);
    auto cm = classify(maps[2], m, n, dims->batch);
    if (failed(am) || failed(bmap) || failed(cm) || cm->first > cm->second)
      return;
    auto ct = cast<MemRefType>(c.getType());
    SmallVector<int64_t> cStrides;
    int64_t cOffset;
    if (failed(ct.getStridesAndOffset(cStrides, cOffset)) || cStrides.back() != 1)
      return;

    bool overwrite = takeZeroFill(op, c);
    // An elementwise op right after it (bias per column, activation,
    // residual add) runs on the GEMM's finished tiles, as for convolutions;
    // written out of place, its output is the GEMM's C (one k block then,
    // when it also reads that buffer).
    std::optional<ConvEpilogue> epi =
        findConvEpilogue(op, c, c, /*allowOutOfPlace=*/overwrite, /*contraction=*/true);
    GemmConfig gemm = configForEpilogue(epi, c, ranges[k]);
    Value cOut = epi ? epi->out : c;
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value bp;
    bool bBatched = llvm::any_of(maps[1].getResults(), [&](AffineExpr e) {
      auto d = dyn_cast<AffineDimExpr>(e);
      return d && llvm::is_contained(dims->batch, d.getPosition());
    });
    if (!bBatched)
      bp = packedConstant(b, loc, bm, *bmap);
    bool runtimePack = !bp;
    if (runtimePack)
      bp = memref::AllocOp::create(
          b, loc,
          MemRefType::get(onnxc::cpu::packedShape(cfg, ranges[k], ranges[n]), b.getF32Type()),
          b.getI64IntegerAttr(64));

    // One loop per batch dim; B is packed once when it does not vary.
    DenseMap<unsigned, Value> ivs;
    double flops = 2.0 * ranges[m] * ranges[n] * ranges[k];
    auto func = op->getParentOfType<func::FuncOp>();
    int64_t panels = onnxc::cpu::numPanels(cfg, ranges[n]);
    // A run-time A that several column panels read is packed in row tiles
    // first (as constant weights are), so that a k step's MR broadcasts
    // read adjacent values instead of MR rows K apart.
    int64_t rowTiles = (ranges[m] + cfg.mr - 1) / cfg.mr;
    Value ap;
    if (panels >= 4 && ranges[m] >= cfg.mr)
      ap = memref::AllocOp::create(
          b, loc, MemRefType::get({rowTiles, ranges[k], cfg.mr}, b.getF32Type()),
          b.getI64IntegerAttr(64));
    std::function<void(OpBuilder &, size_t)> nest = [&](OpBuilder &b, size_t level) {
      if (level == dims->batch.size()) {
        // A B that varies with the batch is packed by each range, for its
        // own panels, before it multiplies them.
        bool pack = runtimePack && bBatched;
        Value a2d = view2d(b, loc, a, *am, ivs);
        if (ap) {
          emitPanels(func, b, loc, rowTiles, ValueRange{a2d, ap},
                     double(ranges[m]) * ranges[k],
                     [&](OpBuilder &b, Value begin, Value end, ValueRange v) {
                       onnxc::cpu::emitPackA(b, loc, cfg, v[0], v[1], begin, end);
                     });
          a2d = ap;
        }
        SmallVector<Value> views{a2d, bp, view2d(b, loc, cOut, *cm, ivs)};
        if (pack)
          views.push_back(view2d(b, loc, bm, *bmap, ivs));
        size_t epiFirst = views.size();
        if (epi)
          for (auto [operand, kind] : llvm::zip(epi->op->getOpOperands(), epi->kinds))
            views.push_back(kind == ConvEpilogue::Kind::Same ? view2d(b, loc, operand.get(), *cm, ivs)
                                                             : operand.get());
        emitPanels(func, b, loc, panels, views, flops,
                   [&](OpBuilder &b, Value begin, Value end, ValueRange v) {
                     if (pack)
                       onnxc::cpu::emitPackB(b, loc, cfg, v[3], v[1], begin, end);
                     onnxc::cpu::emitGemm(b, loc, gemm, v[0], v[1], v[2], begin, end, overwrite,
                                          epi ? epilogueFor(*epi, v.drop_front(epiFirst), v[0],
                                                            contiguousLoad)
                                              : onnxc::cpu::Epilogue());
                   });
        return;
      }
      unsigned d = dims->batch[level];
      onnxc::cpu::forLoop(b, loc, 0, ranges[d], 1, [&](OpBuilder &nb, Value iv) {
        ivs[d] = iv;
        nest(nb, level + 1);
      });
    };
    if (runtimePack && !bBatched)
      emitPanels(func, b, loc, panels, ValueRange{view2d(b, loc, bm, *bmap, ivs), bp},
                 double(ranges[k]) * ranges[n],
                 [&](OpBuilder &b, Value begin, Value end, ValueRange v) {
                   onnxc::cpu::emitPackB(b, loc, cfg, v[0], v[1], begin, end);
                 });
    nest(b, 0);
    op->erase();
    if (epi)
      epi->op->erase();
  }

  /// 2-D max and sum pooling: the depthwise loops without weights,
  /// parallel over channels.
  template <typename PoolOp>
  void lowerPooling(PoolOp pool, onnxc::cpu::WindowKind kind) {
    Value x = pool.getInputs()[0], window = pool.getInputs()[1], y = pool.getOutputs()[0];
    if (!isF32(x) || !isF32(y))
      return;
    auto xt = cast<MemRefType>(x.getType()), yt = cast<MemRefType>(y.getType());
    for (MemRefType t : {xt, yt}) {
      SmallVector<int64_t> strides;
      int64_t offset;
      if (failed(t.getStridesAndOffset(strides, offset)) || strides.back() != 1)
        return;
    }
    auto kernel = cast<ShapedType>(window.getType()).getShape();
    if (kernel.size() != 2 || ShapedType::isDynamicShape(kernel) || kernel[0] * kernel[1] > 49)
      return;
    auto s = llvm::to_vector(pool.getStrides().template getValues<int64_t>());
    auto d = llvm::to_vector(pool.getDilations().template getValues<int64_t>());
    // Max pooling starts from its -inf fill, sum pooling from its zeros.
    std::optional<double> fill = takeFill(pool, y, [&](double v) {
      return kind == onnxc::cpu::WindowKind::Max ? std::isinf(v) && v < 0 : v == 0;
    });
    int64_t channels = xt.getDimSize(1);
    double flops = double(channels) * yt.getDimSize(2) * yt.getDimSize(3) * kernel[0] * kernel[1];
    // Read a padded copy's source directly (padding with the same value).
    std::optional<PaddedCopy> padded = findPaddedCopy(x, pool);
    double padValue = kind == onnxc::cpu::WindowKind::Max ? -std::numeric_limits<double>::infinity()
                                                          : 0.0;
    if (padded && padded->value != padValue)
      padded.reset();
    Value in = padded ? padded->src : x;
    SmallVector<int64_t> padLow = padded ? padded->padLow : SmallVector<int64_t>{0, 0};
    OpBuilder b(pool);
    Location loc = pool.getLoc();
    auto func = pool->template getParentOfType<func::FuncOp>();
    onnxc::cpu::forLoop(b, loc, 0, xt.getDimSize(0), 1, [&](OpBuilder &nb, Value iv) {
      emitPanels(func, nb, loc, channels, ValueRange{in, y, iv}, flops,
                 [&](OpBuilder &b, Value begin, Value end, ValueRange v) {
                   onnxc::cpu::emitDepthwise(b, loc, cfg.vl, cfg.fma, kind, v[0], Value(), v[1],
                                             v[1], v[2], kernel, s, d, padLow, begin, end, fill);
                 });
    });
    pool->erase();
    if (padded)
      erasePaddedCopy(*padded, x);
  }

  /// Grouped convolutions with one channel in and out per group.
  void lowerDepthwise(linalg::Conv2DNgchwGfchwOp conv) {
    auto ops = convOperands(conv);
    if (!ops)
      return;
    Value x = ops->x, w = ops->w, y = ops->y;
    MemRefType xt = ops->xt, wt = ops->wt, yt = ops->yt;
    ArrayRef<int64_t> s = ops->strides, d = ops->dilations;
    if (xt.getDimSize(2) != 1 || wt.getDimSize(1) != 1 || wt.getDimSize(2) != 1 ||
        wt.getDimSize(3) * wt.getDimSize(4) > 49)
      return;
    for (MemRefType t : {xt, wt, yt}) {
      SmallVector<int64_t> strides;
      int64_t offset;
      if (failed(t.getStridesAndOffset(strides, offset)) || strides.back() != 1)
        return;
    }
    int64_t groups = xt.getDimSize(1);
    double flops = 2.0 * groups * yt.getDimSize(3) * yt.getDimSize(4) * wt.getDimSize(3) *
                   wt.getDimSize(4);
    bool zeroInit = takeZeroFill(conv, y);
    // The op after it reads the NCHW view of y (the unit group dim collapsed)
    // and may write another buffer: then y itself is never written.
    std::optional<ConvEpilogue> epi;
    memref::CollapseShapeOp view;
    for (Operation *u : y.getUsers())
      if (auto c = dyn_cast<memref::CollapseShapeOp>(u))
        if (c.getReassociationIndices() ==
            SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}})
          view = c;
    if (view)
      epi = findConvEpilogue(conv, y, view.getResult(), /*allowOutOfPlace=*/true);
    // Read a zero-padded copy's source directly, as N x G x 1 x H x W.
    std::optional<PaddedCopy> padded = findPaddedCopy(x, conv);
    if (padded && padded->value != 0.0)
      padded.reset();
    keepPaddedSource(padded, epi);
    OpBuilder b(conv);
    Location loc = conv.getLoc();
    Value in = x;
    SmallVector<int64_t> padLow{0, 0};
    if (padded && cast<MemRefType>(padded->src.getType()).getRank() == 5) {
      in = padded->src;
      padLow = padded->padLow;
    } else if (padded) {
      auto st = cast<MemRefType>(padded->src.getType());
      SmallVector<int64_t> shape{st.getDimSize(0), st.getDimSize(1), 1, st.getDimSize(2),
                                 st.getDimSize(3)};
      SmallVector<ReassociationIndices> re{{0}, {1, 2}, {3}, {4}};
      auto et = memref::ExpandShapeOp::computeExpandedType(st, shape, re);
      if (failed(et)) {
        padded.reset();
      } else {
        in = memref::ExpandShapeOp::create(b, loc, *et, padded->src, re);
        padLow = padded->padLow;
      }
    }
    Value out = y;
    if (epi && epi->out != view.getResult()) {
      SmallVector<ReassociationIndices> re{{0}, {1, 2}, {3}, {4}};
      auto ot = memref::ExpandShapeOp::computeExpandedType(
          cast<MemRefType>(epi->out.getType()), yt.getShape(), re);
      out = memref::ExpandShapeOp::create(b, loc, *ot, epi->out, re);
    }
    auto func = conv->getParentOfType<func::FuncOp>();
    onnxc::cpu::forLoop(b, loc, 0, xt.getDimSize(0), 1, [&](OpBuilder &nb, Value iv) {
      SmallVector<Value> captures{in, w, y, iv, out};
      if (epi)
        for (OpOperand &operand : epi->op->getOpOperands())
          captures.push_back(operand.get());
      emitPanels(func, nb, loc, groups, captures, flops,
                 [&](OpBuilder &b, Value begin, Value end, ValueRange v) {
                   onnxc::cpu::emitDepthwise(
                       b, loc, cfg.vl, cfg.fma, onnxc::cpu::WindowKind::Conv, v[0], v[1], v[2],
                       v[4], v[3], {wt.getDimSize(3), wt.getDimSize(4)}, s, d, padLow, begin,
                       end,
                       zeroInit ? std::optional<double>(0.0) : std::nullopt,
                       epi ? depthwiseEpilogueFor(*epi, v.drop_front(5), v[3])
                           : onnxc::cpu::DepthwiseEpilogue());
                 });
    });
    if (epi)
      epi->op->erase();
    conv->erase();
    if (padded)
      erasePaddedCopy(*padded, x);
  }

  void lowerConv(linalg::Conv2DNchwFchwOp conv) {
    auto ops = convOperands(conv);
    if (!ops)
      return;
    Value x = ops->x, w = ops->w, y = ops->y;
    MemRefType xt = ops->xt, wt = ops->wt, yt = ops->yt;
    ArrayRef<int64_t> s = ops->strides, d = ops->dilations;
    if (!xt.getLayout().isIdentity() || !wt.getLayout().isIdentity() ||
        !yt.getLayout().isIdentity())
      return;
    onnxc::cpu::ConvGeometry g{xt.getDimSize(1), xt.getDimSize(2), xt.getDimSize(3),
                               wt.getDimSize(2), wt.getDimSize(3), s[0], s[1], d[0], d[1],
                               yt.getDimSize(2), yt.getDimSize(3)};
    if (winograd && lowerWinograd(conv, *ops, g))
      return;
    int64_t kdim = g.c * g.kh * g.kw, ndim = g.oh * g.ow;
    bool overwrite = takeZeroFill(conv, y);
    // An epilogue that writes another buffer makes it the GEMM's C (y is
    // then never written) when y's old values are not needed.
    std::optional<ConvEpilogue> epi = findConvEpilogue(conv, y, y, /*allowOutOfPlace=*/overwrite);
    GemmConfig gemm = configForEpilogue(epi, y, kdim);
    Value c = epi ? epi->out : y;
    OpBuilder b(conv);
    Location loc = conv.getLoc();
    // Constant weights are A in row tiles (packConstantA); else a view.
    Value a = packedWeights(b, loc, w, wt.getDimSize(0), kdim);
    if (!a)
      a = memref::CollapseShapeOp::create(b, loc, w,
                                          SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
    Value bp = memref::AllocOp::create(
        b, loc, MemRefType::get(onnxc::cpu::packedShape(cfg, kdim, ndim), b.getF32Type()),
        b.getI64IntegerAttr(64));
    bool direct = g.kh == 1 && g.kw == 1 && g.sh == 1 && g.sw == 1 && g.hp == g.oh &&
                  g.wp == g.ow;
    Value xFlat = memref::CollapseShapeOp::create(
        b, loc, x, SmallVector<ReassociationIndices>{{0, 1, 2, 3}});
    auto image = [&](OpBuilder &b, Value v, Value iv) -> Value {
      auto t = cast<MemRefType>(v.getType());
      SmallVector<OpFoldResult> offsets{iv}, sizes{b.getIndexAttr(1)}, strides(4, b.getIndexAttr(1));
      for (int64_t i = 1; i < 4; ++i) {
        offsets.push_back(b.getIndexAttr(0));
        sizes.push_back(b.getIndexAttr(t.getDimSize(i)));
      }
      auto rt = memref::SubViewOp::inferRankReducedResultType(t.getShape().drop_front(), t,
                                                              offsets, sizes, strides);
      Value sub = memref::SubViewOp::create(b, loc, cast<MemRefType>(rt), v, offsets, sizes,
                                            strides);
      return memref::CollapseShapeOp::create(b, loc, sub,
                                             SmallVector<ReassociationIndices>{{0}, {1, 2}});
    };
    onnxc::cpu::forLoop(b, loc, 0, xt.getDimSize(0), 1, [&](OpBuilder &nb, Value iv) {
      Value offset = arith::MulIOp::create(
          nb, loc, iv, arith::ConstantIndexOp::create(nb, loc, g.c * g.hp * g.wp));
      // Each range packs its own panels (of the input itself for a direct
      // convolution, else of its im2col matrix), then multiplies them.
      SmallVector<Value> captures{a, bp, image(nb, c, iv), direct ? image(nb, x, iv) : xFlat,
                                  offset, iv};
      if (epi)
        for (auto [operand, kind] : llvm::zip(epi->op->getOpOperands(), epi->kinds))
          captures.push_back(kind == ConvEpilogue::Kind::Same ? image(nb, operand.get(), iv)
                                                              : operand.get());
      emitPanels(conv->getParentOfType<func::FuncOp>(), nb, loc,
                 onnxc::cpu::numPanels(cfg, ndim), captures,
                 2.0 * double(wt.getDimSize(0)) * kdim * ndim,
                 [&](OpBuilder &b, Value begin, Value end, ValueRange v) {
                   if (direct)
                     onnxc::cpu::emitPackB(b, loc, cfg, v[3], v[1], begin, end);
                   else
                     onnxc::cpu::emitPackIm2col(b, loc, cfg, g, v[3], v[4], v[1], begin, end);
                   onnxc::cpu::emitGemm(b, loc, gemm, v[0], v[1], v[2], begin, end, overwrite,
                                        epi ? epilogueFor(*epi, v.drop_front(6), v[5], contiguousLoad)
                                            : onnxc::cpu::Epilogue());
                 });
    });
    conv->erase();
    if (epi)
      epi->op->erase();
    if (Operation *get = w.getDefiningOp(); get && get->use_empty())
      get->erase();
  }

  /// The weights `w` (F x ... constant, read as F x K) packed in row tiles
  /// as a new global, or null when they are not a constant.
  Value packedWeights(OpBuilder &b, Location loc, Value w, int64_t f, int64_t k) {
    memref::GlobalOp weights = constantGlobal(w);
    if (!weights)
      return nullptr;
    auto data = onnxc::onnx::readF32Elements(cast<ElementsAttr>(*weights.getInitialValue()));
    if (failed(data))
      return nullptr;
    memref::GlobalOp packed =
        derivedGlobal(weights, "tiles", {(f + cfg.mr - 1) / cfg.mr, k, cfg.mr},
                      onnxc::cpu::packConstantA(cfg, data->data(), f, k));
    return memref::GetGlobalOp::create(b, loc, packed.getType(), packed.getSymName());
  }

  /// A 3x3, stride-1 convolution with constant weights as F(m x m, 3 x 3)
  /// Winograd (Winograd.h), when it pays: per image, the input transform
  /// (parallel over tile panels), alpha^2 GEMMs (parallel over (xi, panel)
  /// pairs) and the output transform with the fused epilogue (parallel over
  /// output channels).
  bool lowerWinograd(linalg::Conv2DNchwFchwOp conv, const ConvOperands &ops,
                     const onnxc::cpu::ConvGeometry &g) {
    int64_t f = ops.wt.getDimSize(0);
    if (g.kh != 3 || g.kw != 3 || g.sh != 1 || g.sw != 1 || g.dh != 1 || g.dw != 1)
      return false;
    auto tiles = onnxc::cpu::chooseWinograd(cfg, g.oh, g.ow, g.c, f);
    memref::GlobalOp weights = tiles ? constantGlobal(ops.w) : nullptr;
    if (!weights)
      return false;
    auto data = onnxc::onnx::readF32Elements(cast<ElementsAttr>(*weights.getInitialValue()));
    if (failed(data))
      return false;
    int64_t a2 = tiles->alpha() * tiles->alpha();
    int64_t panels = onnxc::cpu::numPanels(cfg, tiles->columns()), nr = cfg.nr();
    // U[xi] (F x C) for each xi, in the GEMM's row tiles.
    std::vector<float> filter = onnxc::cpu::winogradFilter(tiles->m, data->data(), f, g.c);
    int64_t rowTiles = (f + cfg.mr - 1) / cfg.mr;
    std::vector<float> tiled;
    for (int64_t xi = 0; xi < a2; ++xi) {
      std::vector<float> t = onnxc::cpu::packConstantA(cfg, filter.data() + xi * f * g.c, f, g.c);
      tiled.insert(tiled.end(), t.begin(), t.end());
    }
    memref::GlobalOp u = derivedGlobal(weights, "winograd" + std::to_string(tiles->m),
                                       {a2, rowTiles, g.c, cfg.mr}, tiled);

    bool overwrite = takeZeroFill(conv, ops.y);
    // The output transform reads an epilogue's operands at a position
    // before it stores there: any output buffer will do.
    std::optional<ConvEpilogue> epi =
        findConvEpilogue(conv, ops.y, ops.y, /*allowOutOfPlace=*/overwrite);
    OpBuilder b(conv);
    Location loc = conv.getLoc();
    auto func = conv->getParentOfType<func::FuncOp>();
    auto f32 = b.getF32Type();
    Value uv = memref::GetGlobalOp::create(b, loc, u.getType(), u.getSymName());
    Value vp = memref::AllocOp::create(b, loc, MemRefType::get({a2, panels, g.c, nr}, f32),
                                       b.getI64IntegerAttr(64));
    Value mb = memref::AllocOp::create(b, loc, MemRefType::get({a2, f, panels * nr}, f32),
                                       b.getI64IntegerAttr(64));
    // A zero-padded copy's source is read directly (the transform masks
    // what lies outside it).
    std::optional<PaddedCopy> padded = findPaddedCopy(ops.x, conv);
    if (padded && (padded->value != 0.0 ||
                   !cast<MemRefType>(padded->src.getType()).getLayout().isIdentity()))
      padded.reset();
    keepPaddedSource(padded, epi);
    Value in = padded ? padded->src : ops.x;
    auto inType = cast<MemRefType>(in.getType());
    onnxc::cpu::WinogradSource source{inType.getDimSize(2), inType.getDimSize(3),
                                      padded ? padded->padLow[0] : 0,
                                      padded ? padded->padLow[1] : 0};
    Value xFlat = memref::CollapseShapeOp::create(b, loc, in,
                                                  SmallVector<ReassociationIndices>{{0, 1, 2, 3}});
    double tileWork = double(panels * nr) * g.c * a2;
    onnxc::cpu::forLoop(b, loc, 0, ops.xt.getDimSize(0), 1, [&](OpBuilder &nb, Value iv) {
      Value offset = arith::MulIOp::create(
          nb, loc, iv, arith::ConstantIndexOp::create(nb, loc, g.c * source.h * source.w));
      emitPanels(func, nb, loc, panels, ValueRange{xFlat, offset, vp}, 8 * tileWork,
                 [&](OpBuilder &b, Value begin, Value end, ValueRange v) {
                   onnxc::cpu::emitWinogradInput(b, loc, cfg, *tiles, g, source, v[0], v[1],
                                                 v[2], begin, end);
                 });
      emitPanels(func, nb, loc, a2 * panels, ValueRange{uv, vp, mb}, 2 * tileWork * f,
                 [&](OpBuilder &b, Value begin, Value end, ValueRange v) {
                   onnxc::cpu::forLoop(b, loc, begin, end, 1, [&](OpBuilder &b, Value item) {
                     Value np = arith::ConstantIndexOp::create(b, loc, panels);
                     Value xi = arith::DivUIOp::create(b, loc, item, np);
                     Value p = arith::RemUIOp::create(b, loc, item, np);
                     Value pEnd = arith::AddIOp::create(b, loc, p,
                                                        arith::ConstantIndexOp::create(b, loc, 1));
                     onnxc::cpu::emitGemm(b, loc, cfg, sliceFirst(b, loc, v[0], xi),
                                          sliceFirst(b, loc, v[1], xi),
                                          sliceFirst(b, loc, v[2], xi), p, pEnd,
                                          /*overwrite=*/true);
                   });
                 });
      SmallVector<Value> captures{mb, flatImage(nb, loc, epi ? epi->out : ops.y, iv), iv};
      if (epi)
        for (auto [operand, kind] : llvm::zip(epi->op->getOpOperands(), epi->kinds))
          captures.push_back(kind == ConvEpilogue::Kind::Same
                                 ? flatImage(nb, loc, operand.get(), iv)
                                 : operand.get());
      emitPanels(func, nb, loc, f, captures, 4 * double(g.oh * g.ow) * f,
                 [&](OpBuilder &b, Value begin, Value end, ValueRange v) {
                   onnxc::cpu::emitWinogradOutput(
                       b, loc, cfg, *tiles, v[0], v[1], begin, end, overwrite,
                       epi ? epilogueFor(*epi, v.drop_front(3), v[2], flatLoad)
                           : onnxc::cpu::Epilogue());
                 });
    });
    conv->erase();
    if (epi)
      epi->op->erase();
    if (padded)
      erasePaddedCopy(*padded, ops.x);
    // The weights are read only in transformed form now.
    if (Operation *get = ops.w.getDefiningOp(); get && get->use_empty())
      get->erase();
    return true;
  }

  /// The depthwise epilogue applying `e`'s body; `operands` are its NCHW
  /// operands as seen where the kernel is emitted, `image` the batch index.
  onnxc::cpu::DepthwiseEpilogue depthwiseEpilogueFor(const ConvEpilogue &e, ValueRange operands,
                                                     Value image) {
    SmallVector<Value> ops(operands);
    return [this, e, ops, image](OpBuilder &b, Location loc, Value g, Value row, Value col,
                                 Value acc, Value mask) -> Value {
      linalg::GenericOp op = e.op;
      auto vt = VectorType::get({cfg.vl}, b.getF32Type());
      IRMapping map, outer;
      for (arith::ConstantOp cst : e.constants)
        outer.map(cst.getResult(), b.clone(*cst)->getResult(0));
      Value nchw[] = {image, g, row, col};
      for (auto [i, operand] : llvm::enumerate(op->getOpOperands())) {
        BlockArgument arg = op.getMatchingBlockArgument(&operand);
        if (arg.use_empty())
          continue;
        Value v = ops[i], lanes;
        if (e.kinds[i] == ConvEpilogue::Kind::Self) {
          lanes = acc;
        } else if (e.kinds[i] == ConvEpilogue::Kind::Same) {
          lanes = onnxc::cpu::loadLanes(b, loc, vt, v, nchw, mask);
        } else {
          SmallVector<Value> idx;
          for (AffineExpr r : op.getMatchingIndexingMap(&operand).getResults()) {
            auto d = dyn_cast<AffineDimExpr>(r);
            idx.push_back(d ? nchw[d.getPosition()]
                            : arith::ConstantIndexOp::create(b, loc, 0).getResult());
          }
          lanes = vector::BroadcastOp::create(b, loc, vt, memref::LoadOp::create(b, loc, v, idx));
        }
        map.map(arg, lanes);
      }
      return onnxc::cpu::cloneOnVectors(b, loc, op.getBlock(), cfg.vl, map, outer)[0];
    };
  }

  /// Epilogue operand reads: the GEMM's lanes are contiguous in a 2-D
  /// per-image view, Winograd's in a flat image from `col`.
  static Value contiguousLoad(OpBuilder &b, Location loc, VectorType vt, Value buf, Value row,
                              Value col, Value mask) {
    return onnxc::cpu::loadLanes(b, loc, vt, buf, ValueRange{row, col}, mask);
  }
  static Value flatLoad(OpBuilder &b, Location loc, VectorType vt, Value buf, Value, Value col,
                        Value mask) {
    return onnxc::cpu::loadLanes(b, loc, vt, buf, ValueRange{col}, mask);
  }

  /// The GEMM epilogue applying `e`'s body; `operands` are its operands as
  /// seen where the GEMM is emitted (Same ones as per-image views that
  /// `load` reads), `image` the batch index.
  onnxc::cpu::Epilogue epilogueFor(const ConvEpilogue &e, ValueRange operands, Value image,
                                   SameLoad load) {
    SmallVector<Value> ops(operands);
    return [e, ops, image, load](OpBuilder &b, Location loc, Value row, Value col,
                                       Value acc, Value mask) -> Value {
      linalg::GenericOp op = e.op;
      auto vt = cast<VectorType>(acc.getType());
      IRMapping map, outer;
      for (arith::ConstantOp cst : e.constants)
        outer.map(cst.getResult(), b.clone(*cst)->getResult(0));
      for (auto [i, operand] : llvm::enumerate(op->getOpOperands())) {
        BlockArgument arg = op.getMatchingBlockArgument(&operand);
        if (arg.use_empty())
          continue;
        Value v = ops[i];
        Value lanes;
        switch (e.kinds[i]) {
        case ConvEpilogue::Kind::Self:
          lanes = acc;
          break;
        case ConvEpilogue::Kind::Same:
          lanes = load(b, loc, vt, v, row, col, mask);
          break;
        case ConvEpilogue::Kind::Column: {
          // Zeros up to the last index, which is the GEMM's column.
          SmallVector<Value> idx(cast<MemRefType>(v.getType()).getRank() - 1,
                                 arith::ConstantIndexOp::create(b, loc, 0));
          idx.push_back(col);
          lanes = onnxc::cpu::loadLanes(b, loc, vt, v, idx, mask);
          break;
        }
        case ConvEpilogue::Kind::Channel:
        case ConvEpilogue::Kind::Scalar: {
          SmallVector<Value> idx;
          for (AffineExpr r : op.getMatchingIndexingMap(&operand).getResults()) {
            auto d = dyn_cast<AffineDimExpr>(r);
            idx.push_back(!d ? arith::ConstantIndexOp::create(b, loc, 0).getResult()
                             : d.getPosition() == 0 ? image : row);
          }
          lanes = vector::BroadcastOp::create(b, loc, vt, memref::LoadOp::create(b, loc, v, idx));
          break;
        }
        }
        map.map(arg, lanes);
      }
      return onnxc::cpu::cloneOnVectors(b, loc, op.getBlock(), vt.getNumElements(), map, outer)[0];
    };
  }
};

} // namespace
