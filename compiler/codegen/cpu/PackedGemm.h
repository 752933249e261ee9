//===- PackedGemm.h - register-tiled SIMD GEMM emitter ---------*- C++ -*-===//
//
// Emits C[m, n] += sum_k A[m, k] * B[k, n] as scf loops over vector ops in
// the BLIS order (k blocks, row blocks, column panels, row tiles) around a
// register-tiled microkernel: an MR x NR tile of C stays in MR * NR/VL
// vector registers while k advances, each step loading NR packed B values
// and broadcasting MR values of A. B is read from a packed panel layout
// Bp[n / NR][k][n % NR] (zero-padded to a multiple of NR), which makes the
// kernel's B loads contiguous; it is filled at compile time for constant B
// and by the emitters below at run time otherwise.
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_COMPILER_CODEGEN_CPU_PACKEDGEMM_H
#define ONNXC_COMPILER_CODEGEN_CPU_PACKEDGEMM_H

#include "mlir/IR/Builders.h"

#include <functional>
#include <vector>

namespace onnxc::cpu {

/// Register and cache tiling for one target.
struct GemmConfig {
  int64_t vl;   // f32 lanes per vector register
  int64_t mr;   // rows of the register tile
  int64_t nv;   // vectors per row of the register tile (NR = nv * vl)
  int64_t kc;   // k block (keeps the B micro-panel in L1)
  int64_t mc;   // rows per block (keeps the A block in L2), a multiple of mr
  bool fma;     // the target has fused multiply-add
  int64_t nr() const { return nv * vl; }
};

/// The tiling for a target with `vectorBits`-wide registers.
GemmConfig gemmConfigFor(int64_t vectorBits, bool fma);

/// Shape of the packed B buffer for a K x N operand: [ceil(N/NR), K, NR].
llvm::SmallVector<int64_t, 3> packedShape(const GemmConfig &cfg, int64_t k, int64_t n);

/// Packs a row-major M x K constant A at compile time into row tiles
/// [ceil(M/MR)][K][MR] (rows past M zero), the layout emitGemm reads when
/// its `a` has rank 3: a k step's MR values are adjacent.
std::vector<float> packConstantA(const GemmConfig &cfg, const float *a, int64_t m, int64_t k);

/// Emits the run-time packing of row tiles [tBegin, tEnd) of the 2-D view
/// `a` (M x K, any strides) into `ap`, a [ceil(M/MR)][K][MR] buffer (rows
/// past M zero): the layout of packConstantA, for a run-time A that many
/// column panels read. Disjoint ranges write disjoint tiles.
void emitPackA(mlir::OpBuilder &builder, mlir::Location loc, const GemmConfig &cfg,
               mlir::Value a, mlir::Value ap, mlir::Value tBegin, mlir::Value tEnd);

/// Packs B (element (k, n) at b[k * strideK + n * strideN]) at compile time.
std::vector<float> packConstantB(const GemmConfig &cfg, const float *b, int64_t k, int64_t n,
                                 int64_t strideK, int64_t strideN);

/// Emits the run-time packing of panels [pBegin, pEnd) (all when null) of
/// the 2-D view `b` (K x N, any strides) into `bp`, a buffer of
/// packedShape(). Disjoint ranges write disjoint panels: threads split it.
void emitPackB(mlir::OpBuilder &builder, mlir::Location loc, const GemmConfig &cfg,
               mlir::Value b, mlir::Value bp, mlir::Value pBegin = nullptr,
               mlir::Value pEnd = nullptr);

/// Geometry of a 2-D convolution over a padded NCHW input, for im2col.
struct ConvGeometry {
  int64_t c, hp, wp;        // input channels and padded spatial size
  int64_t kh, kw;           // kernel
  int64_t sh, sw, dh, dw;   // strides and dilations
  int64_t oh, ow;           // output spatial size
};

/// Emits the packing of panels [pBegin, pEnd) of the im2col matrix of one
/// image (rows k = (c, kh, kw), columns n = (oh, ow)) straight into `bp`
/// with masked vector gathers from `xFlat` (the padded input as a 1-D
/// memref) starting at element `offset`.
void emitPackIm2col(mlir::OpBuilder &builder, mlir::Location loc, const GemmConfig &cfg,
                    const ConvGeometry &g, mlir::Value xFlat, mlir::Value offset,
                    mlir::Value bp, mlir::Value pBegin, mlir::Value pEnd);

/// Number of NR-wide column panels of an N-column B (the last one partial).
int64_t numPanels(const GemmConfig &cfg, int64_t n);

/// An elementwise op fused into the GEMM's stores: maps the finished vector
/// `acc` of C at (row, col) (lanes past `mask` dead, mask null when all are
/// live) to the vector to store. Runs only after the last k block.
using Epilogue = std::function<mlir::Value(mlir::OpBuilder &, mlir::Location, mlir::Value row,
                                           mlir::Value col, mlir::Value acc, mlir::Value mask)>;

/// Emits C += A * B for the columns of panels [pBegin, pEnd), for `a` (a 2-D
/// M x K view, any strides, or row tiles from packConstantA), the 2-D view
/// `c` (M x N, unit inner stride) and the packed `bp`. Disjoint panel ranges write disjoint columns of C, which is
/// how threads split a GEMM. With `overwrite`, C = A * B: C's old values
/// are never read.
void emitGemm(mlir::OpBuilder &builder, mlir::Location loc, const GemmConfig &cfg,
              mlir::Value a, mlir::Value bp, mlir::Value c, mlir::Value pBegin,
              mlir::Value pEnd, bool overwrite, const Epilogue &epilogue = nullptr);

} // namespace onnxc::cpu

#endif
