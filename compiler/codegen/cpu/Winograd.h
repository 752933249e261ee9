//===- Winograd.h - F(m x m, 3 x 3) Winograd convolution --------*- C++ -*-===//
//
// A 3x3, stride-1 convolution computes each m x m output tile from an
// alpha x alpha input tile (alpha = m + 2) with alpha^2 multiplications per
// (input channel, output channel) pair instead of 9 m^2:
//   Y = A^T [ (G g G^T) (.) (B^T d B) ] A.
// Summed over input channels, the elementwise products become alpha^2
// independent GEMMs  M[xi] = U[xi] (F x C) * V[xi] (C x tiles), so the
// packed GEMM of PackedGemm.h does the work:
//   - U = G g G^T is computed at compile time from constant weights;
//   - the input transform writes V straight into the GEMM's packed panel
//     layout, lanes over consecutive tiles of a tile row (per input row one
//     masked contiguous load and shuffles; zeros outside the input);
//   - the output transform reads M, interleaves the lanes' outputs into
//     runs of output rows and stores them as vectors, with the
//     convolution's fused epilogue applied on the way.
// F(4x4) does 4x fewer multiplications than direct convolution, F(2x2)
// 2.25x; the tile size is chosen per layer (fewer padded tiles wins).
//
//===----------------------------------------------------------------------===//
#ifndef ONNXC_COMPILER_CODEGEN_CPU_WINOGRAD_H
#define ONNXC_COMPILER_CODEGEN_CPU_WINOGRAD_H

#include "compiler/codegen/cpu/PackedGemm.h"

#include "mlir/IR/Builders.h"

#include <vector>

namespace onnxc::cpu {

/// The tiling of one image's output. Tiles go to SIMD lanes in groups of
/// `vl` consecutive tiles of one tile row (the last group of a row partly
/// empty), so that a group's outputs are whole runs of output rows: GEMM
/// column g * vl + l is lane l of group g.
struct WinogradTiles {
  int64_t m = 0;      // output tile size (2 or 4)
  int64_t oh = 0, ow = 0;
  int64_t th = 0, tw = 0;
  int64_t vl = 0;     // lanes per group: the target's vector width or half
  int64_t alpha() const { return m + 2; }
  int64_t groupsPerRow() const { return (tw + vl - 1) / vl; }
  int64_t groups() const { return th * groupsPerRow(); }
  int64_t columns() const { return groups() * vl; }
};

/// The tiling for an oh x ow output with `c` input and `f` output channels,
/// or nullopt when Winograd does not beat the direct GEMM by enough to pay
/// for its transforms.
std::optional<WinogradTiles> chooseWinograd(const GemmConfig &cfg, int64_t oh, int64_t ow,
                                            int64_t c, int64_t f);

/// U[xi][f][c] = (G w[f][c] G^T)[xi] for f x c x 3 x 3 weights: alpha^2 * f * c values.
std::vector<float> winogradFilter(int64_t m, const float *w, int64_t f, int64_t c);

/// The input a transform reads: H x W per channel, standing at (padTop,
/// padLeft) of the padded input the convolution is defined on (zeros
/// around it are not stored).
struct WinogradSource {
  int64_t h, w, padTop, padLeft;
};

/// Input transform of the tiles of panels [pBegin, pEnd) of one image:
/// `vp` is alpha^2 x panels x C x NR (the GEMM's packed B for each xi),
/// `xFlat` the input (`src`) as a 1-D memref, the image at `offset`.
void emitWinogradInput(mlir::OpBuilder &b, mlir::Location loc, const GemmConfig &cfg,
                       const WinogradTiles &t, const ConvGeometry &g, const WinogradSource &src,
                       mlir::Value xFlat, mlir::Value offset, mlir::Value vp, mlir::Value pBegin,
                       mlir::Value pEnd);

/// Output transform for output channels [fBegin, fEnd) of one image: reads
/// `mbuf` (alpha^2 x F x panels*NR) and stores into `yFlat` (the image's
/// F*OH*OW outputs as a 1-D memref), adding to the old values unless
/// `overwrite`. `epilogue`'s `col` is the flat index of the vector's first
/// output; its mask is null when all lanes are live.
void emitWinogradOutput(mlir::OpBuilder &b, mlir::Location loc, const GemmConfig &cfg,
                        const WinogradTiles &t, mlir::Value mbuf, mlir::Value yFlat,
                        mlir::Value fBegin, mlir::Value fEnd, bool overwrite,
                        const Epilogue &epilogue);

} // namespace onnxc::cpu

#endif
