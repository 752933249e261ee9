// Unit tests of runtime-support (onnxc/runtime.h).
#include "onnxc/runtime.h"

#include <gtest/gtest.h>

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
