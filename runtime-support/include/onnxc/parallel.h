/* onnxc/parallel.h - how compiled models run work on several threads (C11).
 *
 * A compiled model splits its large loops (GEMM column panels, im2col) into
 * ranges and hands them to onnxc_parallel_for(). By default that runs them
 * on the calling thread: a model creates no threads unless asked. Either
 *   - onnxc_set_num_threads(n) starts a built-in pool of n - 1 workers once
 *     (the calling thread is the n-th); calls reuse it, with no allocation
 *     and no thread creation per run. The environment variable
 *     ONNXC_NUM_THREADS sets the same at the first parallel loop; or
 *   - onnxc_set_parallel_for(fn, user) routes every parallel loop to the
 *     application's own scheduler (OpenMP, TBB, a game engine's jobs...).
 * Models running at the same time on different threads share the pool; a
 * parallel loop entered while the pool is busy runs on its caller. */
#ifndef ONNXC_PARALLEL_H
#define ONNXC_PARALLEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One range of a parallel loop: runs iterations [begin, end). */
typedef void (*onnxc_task_fn)(void *ctx, int64_t begin, int64_t end);

/* An application scheduler: must run task over all of [0, n), split into
 * ranges as it likes (possibly concurrently), and return when all are done. */
typedef void (*onnxc_parallel_for_fn)(void *user, int64_t n, onnxc_task_fn task,
                                      void *ctx);

/* Uses n threads (the caller included) for parallel loops; n <= 1 runs them
 * on the caller. Starts or resizes the built-in pool; not to be called
 * while a model runs. Returns the number of threads in use. */
int onnxc_set_num_threads(int n);

/* Threads parallel loops use now (1 if none were asked for). */
int onnxc_get_num_threads(void);

/* Routes parallel loops to `fn` (NULL restores the built-in pool). */
void onnxc_set_parallel_for(onnxc_parallel_for_fn fn, void *user);

/* Called by compiled models: runs task over [0, n). */
void onnxc_parallel_for(int64_t n, onnxc_task_fn task, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* ONNXC_PARALLEL_H */
