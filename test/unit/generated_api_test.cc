// The generated C API of a real model (the digits CNN): macros, reflection,
// determinism, arena reuse across runs and argument errors.
#include "digits.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace {
struct Arena {
  alignas(64) unsigned char bytes[DIGITS_ARENA_SIZE + 64];
};

std::vector<float> image(float v) { return std::vector<float>(DIGITS_INPUT_0_NUM_ELEMENTS, v); }
} // namespace

TEST(GeneratedApi, MacrosMatchReflection) {
  const onnxc_model_info *info = digits_info();
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(info->num_inputs, DIGITS_NUM_INPUTS);
  EXPECT_EQ(info->num_outputs, DIGITS_NUM_OUTPUTS);
  EXPECT_STREQ(info->inputs[0].name, DIGITS_INPUT_0_NAME);
  EXPECT_STREQ(info->outputs[0].name, DIGITS_OUTPUT_0_NAME);
  EXPECT_EQ(info->inputs[0].dtype, DIGITS_INPUT_0_DTYPE);
  const int64_t dims[] = DIGITS_INPUT_0_DIMS;
  ASSERT_EQ(info->inputs[0].rank, DIGITS_INPUT_0_RANK);
  for (int i = 0; i < DIGITS_INPUT_0_RANK; ++i)
    EXPECT_EQ(info->inputs[0].dims[i], dims[i]);
  EXPECT_EQ(info->arena_size, uint64_t(DIGITS_ARENA_SIZE));
  EXPECT_EQ(info->arena_align, uint64_t(DIGITS_ARENA_ALIGN));
}

TEST(GeneratedApi, DeterministicAndArenaReusable) {
  Arena arena;
  auto x = image(0.5f);
  float a[10], b[10];
  ASSERT_EQ(digits_run(x.data(), a, arena.bytes), ONNXC_OK);
  // A different input in between must not leak state through the arena.
  auto other = image(0.0f);
  float c[10];
  ASSERT_EQ(digits_run(other.data(), c, arena.bytes), ONNXC_OK);
  std::memset(arena.bytes, 0xff, sizeof arena.bytes);
  ASSERT_EQ(digits_run(x.data(), b, arena.bytes), ONNXC_OK);
  EXPECT_EQ(std::memcmp(a, b, sizeof a), 0);
  EXPECT_NE(std::memcmp(a, c, sizeof a), 0);
}

TEST(GeneratedApi, ArgumentErrors) {
  Arena arena;
  auto x = image(0.1f);
  float y[10];
  EXPECT_EQ(digits_run(nullptr, y, arena.bytes), ONNXC_ERR_NULL_ARGUMENT);
  EXPECT_EQ(digits_run(x.data(), nullptr, arena.bytes), ONNXC_ERR_NULL_ARGUMENT);
  EXPECT_EQ(digits_run(x.data(), y, nullptr), ONNXC_ERR_NULL_ARGUMENT);
  EXPECT_EQ(digits_run(x.data(), y, arena.bytes + 8), ONNXC_ERR_ARENA_ALIGNMENT);
  EXPECT_EQ(digits_run_v(nullptr, nullptr, arena.bytes), ONNXC_ERR_NULL_ARGUMENT);
}
