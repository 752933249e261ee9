/* parallel.c - the built-in thread pool behind onnxc_parallel_for.
 *
 * Workers wait for a new generation of work: they spin briefly (a model's
 * parallel loops come microseconds apart) and then sleep on a condition
 * variable, so an idle pool costs no CPU. Each loop is split into one
 * contiguous range per thread; the caller runs range 0 and then waits for
 * the others the same way. Builds without threads (ONNXC_NO_THREADS, or no
 * C11 threads/pthreads) run every loop on the caller. */
#define _POSIX_C_SOURCE 200809L
#include "onnxc/parallel.h"

#include <stdlib.h>

#if !defined(ONNXC_NO_THREADS) && (defined(__unix__) || defined(__APPLE__))
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#define ONNXC_THREADS 1
#endif

static onnxc_parallel_for_fn user_fn;
static void *user_data;

void onnxc_set_parallel_for(onnxc_parallel_for_fn fn, void *user) {
  user_data = user;
  user_fn = fn;
}

#ifdef ONNXC_THREADS

/* Spin iterations (each with a pause hint, ~50 cycles on x86) before a
 * thread sleeps: about a millisecond, longer than the serial stretches
 * between a model's parallel loops, so workers rarely need a futex wake. */
enum { kMaxThreads = 64, kSpins = 40000 };

/* One spin step. Every 64th yields the CPU: a thread woken onto this CPU
 * (a worker the caller is waiting for) would otherwise wait for the end of
 * the spinner's time slice, milliseconds on an oversubscribed machine. */
static inline void cpu_relax(int spins) {
  if ((spins & 63) == 63) {
    sched_yield();
    return;
  }
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

static struct {
  pthread_mutex_t mu;
  pthread_cond_t wake, done;
  pthread_t workers[kMaxThreads];
  int threads;              /* caller + workers */
  atomic_uint generation;   /* bumped once per loop (and to stop) */
  atomic_int pending;       /* workers still running the current loop */
  atomic_flag busy;         /* a loop is in flight */
  int stopping;
  onnxc_task_fn task;
  void *ctx;
  int64_t n;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
          {0}, 1, 0, 0, ATOMIC_FLAG_INIT, 0, 0, 0, 0};

static atomic_int env_checked;

static void run_range(int index) {
  int64_t n = pool.n, t = pool.threads;
  int64_t begin = n * index / t, end = n * (index + 1) / t;
  if (begin < end)
    pool.task(pool.ctx, begin, end);
}

/* The generation workers start from, read before they are created: a loop
 * that starts before a new worker first runs must still wake it. */
static unsigned start_generation;

static void *worker_main(void *arg) {
  int index = (int)(intptr_t)arg;
  unsigned seen = start_generation;
  for (;;) {
    unsigned now;
    int spins = 0;
    while ((now = atomic_load_explicit(&pool.generation, memory_order_acquire)) == seen &&
           spins < kSpins) {
      cpu_relax(spins);
      ++spins;
    }
    if (now == seen) {
      pthread_mutex_lock(&pool.mu);
      while ((now = atomic_load(&pool.generation)) == seen)
        pthread_cond_wait(&pool.wake, &pool.mu);
      pthread_mutex_unlock(&pool.mu);
    }
    seen = now;
    if (pool.stopping)
      return NULL;
    run_range(index);
    if (atomic_fetch_sub_explicit(&pool.pending, 1, memory_order_acq_rel) == 1) {
      pthread_mutex_lock(&pool.mu);
      pthread_cond_signal(&pool.done);
      pthread_mutex_unlock(&pool.mu);
    }
  }
}

static void stop_workers(void) {
  if (pool.threads <= 1)
    return;
  pthread_mutex_lock(&pool.mu);
  pool.stopping = 1;
  atomic_fetch_add(&pool.generation, 1);
  pthread_cond_broadcast(&pool.wake);
  pthread_mutex_unlock(&pool.mu);
  for (int i = 1; i < pool.threads; ++i)
    pthread_join(pool.workers[i], NULL);
  pool.stopping = 0;
  pool.threads = 1;
}

int onnxc_set_num_threads(int n) {
  atomic_store(&env_checked, 1);
  if (n < 1)
    n = 1;
  if (n > kMaxThreads)
    n = kMaxThreads;
  if (n == pool.threads)
    return n;
  stop_workers();
  start_generation = atomic_load(&pool.generation);
  for (int i = 1; i < n; ++i) {
    if (pthread_create(&pool.workers[i], NULL, worker_main, (void *)(intptr_t)i) != 0) {
      n = i; /* keep the workers that started */
      break;
    }
  }
  pool.threads = n;
  return n;
}

int onnxc_get_num_threads(void) { return pool.threads; }

void onnxc_parallel_for(int64_t n, onnxc_task_fn task, void *ctx) {
  if (user_fn) {
    user_fn(user_data, n, task, ctx);
    return;
  }
  if (!atomic_load_explicit(&env_checked, memory_order_relaxed)) {
    const char *env = getenv("ONNXC_NUM_THREADS");
    int want = env ? atoi(env) : 1;
    atomic_store(&env_checked, 1);
    if (want > 1)
      onnxc_set_num_threads(want);
  }
  if (n <= 1 || pool.threads <= 1 || atomic_flag_test_and_set(&pool.busy)) {
    if (n > 0)
      task(ctx, 0, n);
    return;
  }
  pool.task = task;
  pool.ctx = ctx;
  pool.n = n;
  atomic_store(&pool.pending, pool.threads - 1);
  pthread_mutex_lock(&pool.mu);
  atomic_fetch_add_explicit(&pool.generation, 1, memory_order_release);
  pthread_cond_broadcast(&pool.wake);
  pthread_mutex_unlock(&pool.mu);
  run_range(0);
  int spins = 0;
  while (atomic_load_explicit(&pool.pending, memory_order_acquire) > 0 && spins < kSpins) {
    cpu_relax(spins);
    ++spins;
  }
  if (atomic_load(&pool.pending) > 0) {
    pthread_mutex_lock(&pool.mu);
    while (atomic_load(&pool.pending) > 0)
      pthread_cond_wait(&pool.done, &pool.mu);
    pthread_mutex_unlock(&pool.mu);
  }
  atomic_flag_clear(&pool.busy);
}

#else /* no threads: every loop runs on the caller (or the user's scheduler) */

int onnxc_set_num_threads(int n) {
  (void)n;
  return 1;
}

int onnxc_get_num_threads(void) { return 1; }

void onnxc_parallel_for(int64_t n, onnxc_task_fn task, void *ctx) {
  if (user_fn)
    user_fn(user_data, n, task, ctx);
  else if (n > 0)
    task(ctx, 0, n);
}

#endif
