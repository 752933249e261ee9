/* gemm.c - GEMM from an onnxc-compiled MatMul model against OpenBLAS.
 *
 * Built per problem size with -DMODEL_INFO=NAME_info against libNAME.a (a
 * MatMul of two graph inputs A[M,K] x B[K,N]) and -lopenblas:
 *   gemm THREADS
 * Alternates 5 onnxc runs and 5 cblas_sgemm runs until each has 50 samples,
 * (each batch after a pause and an untimed call),
 * checks that the results agree, and prints one Markdown table row with the
 * median GFLOP/s of both and their share of the measured FMA peak of the
 * cores used. The arena, inputs and outputs are allocated and touched before
 * timing. */
#define _POSIX_C_SOURCE 200809L
#include <onnxc/parallel.h>
#include <onnxc/runtime.h>

#include <cblas.h>
#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const onnxc_model_info *MODEL_INFO(void);

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* One core's single-precision FMA throughput: 12 independent chains of
 * FMAs (enough to cover latency x ports on current x86 cores), with the
 * widest vectors the CPU has. */
#define FMA_PEAK(NAME, TARGET, VEC, SET1, FMA, LANES)                               \
  __attribute__((target(TARGET))) static double NAME(void) {                      \
    VEC acc[12];                                                                  \
    for (int i = 0; i < 12; ++i)                                                  \
      acc[i] = SET1((float)i);                                                    \
    const VEC x = SET1(0.999999f), y = SET1(1e-7f);                              \
    const long iters = 20000000;                                                  \
    double t0 = now_s();                                                          \
    for (long n = 0; n < iters; ++n)                                              \
      for (int i = 0; i < 12; ++i)                                                \
        acc[i] = FMA(acc[i], x, y);                                               \
    double t = now_s() - t0;                                                      \
    float sink[LANES];                                                            \
    for (int i = 1; i < 12; ++i)                                                  \
      acc[0] = FMA(acc[0], x, acc[i]);                                            \
    memcpy(sink, &acc[0], sizeof sink);                                           \
    if (sink[0] == 12345.0f)                                                      \
      puts("");                                                                   \
    return (double)iters * 12 * LANES * 2 / t / 1e9;                              \
  }
FMA_PEAK(fma_peak_avx512, "avx512f", __m512, _mm512_set1_ps, _mm512_fmadd_ps, 16)
FMA_PEAK(fma_peak_avx2, "avx2,fma", __m256, _mm256_set1_ps, _mm256_fmadd_ps, 8)

static double fma_peak_gflops(void) {
  return __builtin_cpu_supports("avx512f") ? fma_peak_avx512() : fma_peak_avx2();
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  const onnxc_model_info *m = MODEL_INFO();
  const int64_t M = m->inputs[0].dims[0], K = m->inputs[0].dims[1], N = m->inputs[1].dims[1];
  float *a = aligned_alloc(64, (size_t)(M * K * 4 + 63) / 64 * 64);
  float *b = aligned_alloc(64, (size_t)(K * N * 4 + 63) / 64 * 64);
  float *c = aligned_alloc(64, (size_t)(M * N * 4 + 63) / 64 * 64);
  float *ref = aligned_alloc(64, (size_t)(M * N * 4 + 63) / 64 * 64);
  void *arena = aligned_alloc(m->arena_align, (m->arena_size + m->arena_align) / m->arena_align *
                                                  m->arena_align);
  srand(1);
  for (int64_t i = 0; i < M * K; ++i)
    a[i] = (float)rand() / (float)RAND_MAX - 0.5f;
  for (int64_t i = 0; i < K * N; ++i)
    b[i] = (float)rand() / (float)RAND_MAX - 0.5f;
  memset(c, 0, (size_t)(M * N) * 4);
  memset(ref, 0, (size_t)(M * N) * 4);
  memset(arena, 0, m->arena_size);
  const void *in[2] = {a, b};
  void *out[1] = {c};
  openblas_set_num_threads(threads);
  onnxc_set_num_threads(threads);

  enum { kRuns = 50, kBatch = 5 };
  double tc[kRuns], tb[kRuns];
  for (int w = 0; w < 3; ++w) { /* warm-up */
    m->run(in, out, arena);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)M, (int)N, (int)K, 1.0f, a,
                (int)K, b, (int)N, 0.0f, ref, (int)N);
  }
  /* Idle OpenBLAS threads busy-wait for ~0.1 s, and onnxc's for ~1 ms: each
   * batch starts after a pause and one untimed call, so that neither
   * library is timed against the other's spinning threads. */
  const struct timespec pause = {0, 150 * 1000 * 1000};
  for (int r = 0; r < kRuns; r += kBatch) {
    nanosleep(&pause, NULL);
    m->run(in, out, arena);
    for (int i = r; i < r + kBatch; ++i) {
      double t0 = now_s();
      if (m->run(in, out, arena) != ONNXC_OK)
        return 1;
      tc[i] = now_s() - t0;
    }
    nanosleep(&pause, NULL);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)M, (int)N, (int)K, 1.0f, a,
                (int)K, b, (int)N, 0.0f, ref, (int)N);
    for (int i = r; i < r + kBatch; ++i) {
      double t0 = now_s();
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (int)M, (int)N, (int)K, 1.0f, a,
                  (int)K, b, (int)N, 0.0f, ref, (int)N);
      tb[i] = now_s() - t0;
    }
  }
  double err = 0;
  for (int64_t i = 0; i < M * N; ++i)
    err = fmax(err, fabs((double)c[i] - ref[i]));
  qsort(tc, kRuns, sizeof *tc, cmp);
  qsort(tb, kRuns, sizeof *tb, cmp);
  double flop = 2.0 * (double)M * (double)N * (double)K;
  double peak = fma_peak_gflops() * threads;
  double gc = flop / tc[kRuns / 2] / 1e9, gb = flop / tb[kRuns / 2] / 1e9;
  printf("| %lldx%lldx%lld | %d | %.1f (%.0f%%) | %.1f (%.0f%%) | %.2f | %.0f | %.1e%s |\n",
         (long long)M, (long long)K, (long long)N, threads, gc, 100 * gc / peak, gb,
         100 * gb / peak, gc / gb, peak, err, err > 1e-3 * sqrt((double)K) ? " MISMATCH" : "");
  return err > 1e-3 * sqrt((double)K);
}
