//===- Npy.cpp - NumPy .npy files -----------------------------------------===//
//
// Format: "\x93NUMPY", major, minor, header length (u16 for v1, u32 for
// v2/v3), then a Python dict literal {'descr': '<f4', 'fortran_order':
// False, 'shape': (2, 3), } padded to 64 bytes, then the data.
//
//===----------------------------------------------------------------------===//
#include "tools/onnxc/Npy.h"

#include "llvm/Support/MemoryBuffer.h"

#include <fmt/format.h>
#include <regex>

namespace onnxc {

namespace {
struct Descr {
  const char *descr;
  int32_t dtype;
  int size;
};
const Descr kDescrs[] = {
    {"<f4", 1, 4}, {"|u1", 2, 1}, {"|i1", 3, 1}, {"<u2", 4, 2}, {"<i2", 5, 2},
    {"<i4", 6, 4}, {"<i8", 7, 8}, {"|b1", 9, 1}, {"<f2", 10, 2}, {"<f8", 11, 8},
    {"<u4", 12, 4}, {"<u8", 13, 8},
};
} // namespace

llvm::Expected<NpyArray> readNpy(const std::string &path) {
  auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false);
  if (!buf)
    return llvm::createStringError(buf.getError(), "%s: %s", path.c_str(),
                                   buf.getError().message().c_str());
  llvm::StringRef d = (*buf)->getBuffer();
  auto bad = [&](const char *why) {
    return llvm::createStringError(std::errc::invalid_argument,
                                   "%s: not a valid .npy file (%s)", path.c_str(), why);
  };
  if (d.size() < 10 || !d.starts_with("\x93NUMPY"))
    return bad("missing magic");
  uint8_t major = d[6];
  size_t hlen, off;
  if (major == 1) {
    hlen = uint8_t(d[8]) | (uint8_t(d[9]) << 8);
    off = 10;
  } else {
    if (d.size() < 12)
      return bad("truncated header");
    hlen = uint8_t(d[8]) | (uint8_t(d[9]) << 8) | (uint8_t(d[10]) << 16) |
           (size_t(uint8_t(d[11])) << 24);
    off = 12;
  }
  if (d.size() < off + hlen)
    return bad("truncated header");
  std::string header = d.substr(off, hlen).str();
  std::smatch m;
  if (!std::regex_search(header, m, std::regex("'descr':\\s*'([^']+)'")))
    return bad("no descr");
  std::string descr = m[1];
  if (descr == "<b1")
    descr = "|b1";
  NpyArray a;
  int size = 0;
  for (const Descr &k : kDescrs)
    if (descr == k.descr) {
      a.dtype = k.dtype;
      size = k.size;
    }
  if (std::regex_match(descr, m, std::regex("\\|S(\\d+)"))) {
    a.dtype = 8;
    a.stringBytes = std::stoll(m[1]);
    size = int(a.stringBytes);
  }
  if (!a.dtype)
    return bad(("unsupported dtype " + descr).c_str());
  if (std::regex_search(header, m, std::regex("'fortran_order':\\s*True")))
    return bad("Fortran order is not supported");
  if (!std::regex_search(header, m, std::regex("'shape':\\s*\\(([^)]*)\\)")))
    return bad("no shape");
  std::string shape = m[1];
  int64_t count = 1;
  static const std::regex digits("\\d+");
  for (std::sregex_iterator it(shape.begin(), shape.end(), digits), end; it != end; ++it) {
    a.shape.push_back(std::stoll(it->str()));
    count *= a.shape.back();
  }
  size_t bytes = size_t(count) * size;
  if (d.size() - off - hlen < bytes)
    return bad("data shorter than its shape");
  a.data = d.substr(off + hlen, bytes).str();
  return a;
}

int32_t npyCarrier(int32_t dtype) {
  switch (dtype) {
  case 16: return 4;                                   // bfloat16 -> uint16
  case 17: case 18: case 19: case 20: case 21: case 23: return 2; // -> uint8
  case 22: return 3;                                   // int4 -> int8
  default: return dtype;
  }
}

std::string encodeNpy(const NpyArray &a) {
  std::string descr = "<f4";
  for (const Descr &k : kDescrs)
    if (k.dtype == npyCarrier(a.dtype))
      descr = k.descr;
  if (a.dtype == 8)
    descr = fmt::format("|S{}", a.stringBytes);
  std::string shape;
  for (size_t i = 0; i < a.shape.size(); ++i)
    shape += fmt::format("{}{}", i ? ", " : "", a.shape[i]);
  if (a.shape.size() == 1)
    shape += ",";
  std::string header = fmt::format(
      "{{'descr': '{}', 'fortran_order': False, 'shape': ({}), }}", descr, shape);
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  out += char(header.size() & 0xff);
  out += char(header.size() >> 8);
  out += header;
  out += a.data;
  return out;
}

} // namespace onnxc
