// The support runtime's parallel loops: every iteration runs exactly once,
// whatever the thread count; an application scheduler replaces the pool.
#include "onnxc/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace {

struct Counts {
  std::vector<std::atomic<int>> hits;
  std::atomic<int> ranges{0};
  explicit Counts(size_t n) : hits(n) {}
};

void countRange(void *ctx, int64_t begin, int64_t end) {
  auto *c = static_cast<Counts *>(ctx);
  c->ranges++;
  for (int64_t i = begin; i < end; ++i)
    c->hits[size_t(i)]++;
}

class Parallel : public ::testing::TestWithParam<int> {
protected:
  void TearDown() override { onnxc_set_num_threads(1); }
};

TEST_P(Parallel, EveryIterationOnce) {
  ASSERT_EQ(onnxc_set_num_threads(GetParam()), GetParam());
  for (int64_t n : {0, 1, 2, 3, 17, 1000}) {
    for (int repeat = 0; repeat < 50; ++repeat) {
      Counts c{static_cast<size_t>(n)};
      onnxc_parallel_for(n, countRange, &c);
      for (int64_t i = 0; i < n; ++i)
        ASSERT_EQ(c.hits[size_t(i)].load(), 1) << "n=" << n << " i=" << i;
      EXPECT_LE(c.ranges.load(), std::max<int64_t>(n, 0));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Threads, Parallel, ::testing::Values(1, 2, 4));

TEST(ParallelPool, SplitsAcrossThreads) {
  onnxc_set_num_threads(2);
  Counts c(64);
  onnxc_parallel_for(64, countRange, &c);
  EXPECT_EQ(c.ranges.load(), 2);
  onnxc_set_num_threads(1);
  EXPECT_EQ(onnxc_get_num_threads(), 1);
}

TEST(ParallelPool, ConcurrentCallersEachFinish) {
  onnxc_set_num_threads(2);
  auto work = [] {
    for (int r = 0; r < 200; ++r) {
      Counts c(100);
      onnxc_parallel_for(100, countRange, &c);
      for (auto &h : c.hits)
        ASSERT_EQ(h.load(), 1);
    }
  };
  std::thread a(work), b(work);
  a.join();
  b.join();
  onnxc_set_num_threads(1);
}

TEST(ParallelPool, ApplicationScheduler) {
  struct Seen {
    int calls = 0;
  } seen;
  onnxc_set_parallel_for(
      [](void *user, int64_t n, onnxc_task_fn task, void *ctx) {
        static_cast<Seen *>(user)->calls++;
        for (int64_t i = 0; i < n; ++i)
          task(ctx, i, i + 1); // one range per iteration
      },
      &seen);
  Counts c(10);
  onnxc_parallel_for(10, countRange, &c);
  onnxc_set_parallel_for(nullptr, nullptr);
  EXPECT_EQ(seen.calls, 1);
  EXPECT_EQ(c.ranges.load(), 10);
}

} // namespace
