//===- Npy.h - NumPy .npy files (v1/v2, little-endian, C order) -*- C++ -*-===//
#ifndef ONNXC_TOOLS_ONNXC_NPY_H
#define ONNXC_TOOLS_ONNXC_NPY_H

#include "llvm/Support/Error.h"
#include <cstdint>
#include <string>
#include <vector>

namespace onnxc {

struct NpyArray {
  int32_t dtype = 0; // ONNX data type
  /// Strings (dtype 8) are numpy's fixed-width bytes ('|S<n>'): `n` bytes
  /// per element, NUL-padded.
  int64_t stringBytes = 0;
  std::vector<int64_t> shape;
  std::string data;  // raw little-endian bytes
};

llvm::Expected<NpyArray> readNpy(const std::string &path);
/// The ONNX data type whose numpy dtype carries `dtype`'s values where numpy
/// has no such type: bfloat16 as uint16 bits, float8/float4 as uint8 bits,
/// 4-bit integers one per byte (uint8 / int8); `dtype` itself otherwise.
int32_t npyCarrier(int32_t dtype);
/// The .npy encoding of `a`.
std::string encodeNpy(const NpyArray &a);

} // namespace onnxc

#endif
