// Unit tests of runtime-support (onnxc/runtime.h).
#include "onnxc/runtime.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

TEST(Runtime, StatusStringsAreDistinctAndNeverNull) {
  for (int s = 0; s <= ONNXC_ERR_IO; ++s)
    for (int t = s + 1; t <= ONNXC_ERR_IO; ++t)
      EXPECT_STRNE(onnxc_status_string(s), onnxc_status_string(t));
  EXPECT_STREQ(onnxc_status_string(12345), "unknown status");
}

TEST(Runtime, DtypeSizes) {
  EXPECT_EQ(onnxc_dtype_size(ONNXC_DTYPE_FLOAT), 4u);
  EXPECT_EQ(onnxc_dtype_size(ONNXC_DTYPE_INT64), 8u);
  EXPECT_EQ(onnxc_dtype_size(ONNXC_DTYPE_BOOL), 1u);
  EXPECT_EQ(onnxc_dtype_size(ONNXC_DTYPE_FLOAT16), 2u);
  EXPECT_EQ(onnxc_dtype_size(ONNXC_DTYPE_STRING), 0u);
  EXPECT_STREQ(onnxc_dtype_name(ONNXC_DTYPE_DOUBLE), "double");
  EXPECT_STREQ(onnxc_dtype_name(-1), "unknown");
}

TEST(Runtime, TensorSizes) {
  const int64_t dims[] = {2, 3, 4};
  onnxc_tensor_info t{"x", ONNXC_DTYPE_FLOAT, 3, dims};
  EXPECT_EQ(onnxc_tensor_num_elements(&t), 24);
  EXPECT_EQ(onnxc_tensor_num_bytes(&t), 96);
  onnxc_tensor_info scalar{"s", ONNXC_DTYPE_INT64, 0, nullptr};
  EXPECT_EQ(onnxc_tensor_num_elements(&scalar), 1);
  const int64_t sym[] = {-1, 3};
  onnxc_tensor_info dyn{"d", ONNXC_DTYPE_FLOAT, 2, sym};
  EXPECT_EQ(onnxc_tensor_num_elements(&dyn), -1);
  EXPECT_EQ(onnxc_tensor_num_bytes(&dyn), -1);
  // Strings: records of elem_bytes each.
  const int64_t two[] = {2};
  onnxc_tensor_info str{"s", ONNXC_DTYPE_STRING, 1, two, 32};
  EXPECT_EQ(onnxc_tensor_num_bytes(&str), 64);
}

TEST(Runtime, StringsToNumbers) {
  char in[6][16] = {"1.5", "-INF", "nan", "1e3", " 7 ", "x"};
  float f[6];
  EXPECT_EQ(onnxc_strings_to_numbers(&in[0][0], 16, 5, ONNXC_DTYPE_FLOAT, f), ONNXC_OK);
  EXPECT_EQ(f[0], 1.5f);
  EXPECT_TRUE(std::isinf(f[1]) && f[1] < 0);
  EXPECT_TRUE(std::isnan(f[2]));
  EXPECT_EQ(f[3], 1000.0f);
  EXPECT_EQ(f[4], 7.0f);
  // Not a number: a data error.
  EXPECT_EQ(onnxc_strings_to_numbers(&in[0][0], 16, 6, ONNXC_DTYPE_FLOAT, f), ONNXC_ERR_DATA);
  // Integers: exact beyond 2^53; "1e3" reads as a number and truncates.
  char ints[3][32] = {"9007199254740993", "1e3", "-2.7"};
  int64_t i[3];
  EXPECT_EQ(onnxc_strings_to_numbers(&ints[0][0], 32, 3, ONNXC_DTYPE_INT64, i), ONNXC_OK);
  EXPECT_EQ(i[0], 9007199254740993LL);
  EXPECT_EQ(i[1], 1000);
  EXPECT_EQ(i[2], -2);
  // A record filled to its width has no NUL.
  char full[16];
  std::memset(full, '1', sizeof full);
  double d;
  EXPECT_EQ(onnxc_strings_to_numbers(full, 16, 1, ONNXC_DTYPE_DOUBLE, &d), ONNXC_OK);
  EXPECT_EQ(d, 1111111111111111.0);
}

TEST(Runtime, NumbersToStrings) {
  const float f[7] = {0.3f, 4.0f, -INFINITY, 1e-5f, 0.039187793f, 1e6f, 123456789.0f};
  char out[7][16];
  EXPECT_EQ(onnxc_numbers_to_strings(f, ONNXC_DTYPE_FLOAT, 7, &out[0][0], 16), ONNXC_OK);
  // The fewest digits that read back exactly, NUL-padded.
  EXPECT_STREQ(out[0], "0.3");
  EXPECT_STREQ(out[1], "4");
  EXPECT_STREQ(out[2], "-INF");
  EXPECT_STREQ(out[3], "1e-05");
  EXPECT_STREQ(out[4], "0.039187793");
  EXPECT_STREQ(out[5], "1000000");
  EXPECT_STREQ(out[6], "1.2345679e+08");
  EXPECT_EQ(out[1][15], '\0');
  const double d[2] = {0.1, 1.0 / 3};
  char dout[2][32];
  EXPECT_EQ(onnxc_numbers_to_strings(d, ONNXC_DTYPE_DOUBLE, 2, &dout[0][0], 32), ONNXC_OK);
  EXPECT_STREQ(dout[0], "0.1");
  EXPECT_STREQ(dout[1], "0.3333333333333333");
  const uint64_t u = 18446744073709551615ull;
  char wide[32];
  EXPECT_EQ(onnxc_numbers_to_strings(&u, ONNXC_DTYPE_UINT64, 1, wide, 32), ONNXC_OK);
  EXPECT_STREQ(wide, "18446744073709551615");
  // Text longer than the record: a data error.
  char narrow[16];
  EXPECT_EQ(onnxc_numbers_to_strings(&u, ONNXC_DTYPE_UINT64, 1, narrow, 16), ONNXC_ERR_DATA);
}

TEST(Runtime, ArenaAlign) {
  alignas(64) unsigned char buf[256];
  EXPECT_EQ(onnxc_arena_align(buf, sizeof buf, 100, 64), buf);
  void *p = onnxc_arena_align(buf + 1, sizeof buf - 1, 100, 64);
  EXPECT_EQ(p, buf + 64);
  EXPECT_EQ(onnxc_arena_align(buf + 1, 100, 100, 64), nullptr); // too small
  EXPECT_EQ(onnxc_arena_align(buf, sizeof buf, 16, 48), nullptr); // not a power of 2
  EXPECT_EQ(onnxc_arena_align(nullptr, 10, 1, 8), nullptr);
}
