/* runner.c - times one onnxc-compiled model for bench/bench.js.
 *
 * Built per model with -DMODEL_INFO=NAME_info and linked with libNAME.a and
 * the support runtime:  runner IN0.npy [IN1.npy ...]
 * Then reads commands from stdin, one per line:
 *   run K      runs the model K times; prints K durations in ns on one line
 *   save DIR   writes the outputs as DIR/output_I.npy; prints "ok"
 *   quit
 * Inputs, outputs and the arena are allocated and touched once up front, so
 * the timed calls measure the model alone (no page faults, no allocation).
 * ONNXC_NUM_THREADS sets the size of the runtime's thread pool. */
#define _POSIX_C_SOURCE 200809L
#include <onnxc/parallel.h>
#include <onnxc/runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const onnxc_model_info *MODEL_INFO(void);

static void die(const char *what, const char *detail) {
  fprintf(stderr, "runner: %s: %s\n", what, detail);
  exit(1);
}

static void *alloc_touched(size_t bytes, size_t align) {
  size_t rounded = (bytes + align - 1) / align * align;
  void *p = aligned_alloc(align, rounded ? rounded : align);
  if (!p)
    die("out of memory", "aligned_alloc");
  memset(p, 0, rounded);
  return p;
}

/* Reads the data of a little-endian, C-order .npy file of exactly `bytes`. */
static void read_npy(const char *path, void *dst, size_t bytes) {
  FILE *f = fopen(path, "rb");
  unsigned char head[12];
  if (!f || fread(head, 1, 10, f) != 10 || memcmp(head + 1, "NUMPY", 5) != 0)
    die(path, "not a .npy file");
  size_t hlen = head[8] | (size_t)head[9] << 8;
  if (head[6] >= 2) {
    if (fread(head + 10, 1, 2, f) != 2)
      die(path, "truncated header");
    hlen |= (size_t)head[10] << 16 | (size_t)head[11] << 24;
  }
  if (fseek(f, (long)hlen, SEEK_CUR) != 0 || fread(dst, 1, bytes, f) != bytes)
    die(path, "data size does not match the model's input");
  fclose(f);
}

static const char *npy_descr(int32_t dtype) {
  switch (dtype) {
  case ONNXC_DTYPE_FLOAT: return "<f4";
  case ONNXC_DTYPE_DOUBLE: return "<f8";
  case ONNXC_DTYPE_INT64: return "<i8";
  case ONNXC_DTYPE_INT32: return "<i4";
  case ONNXC_DTYPE_INT8: return "|i1";
  case ONNXC_DTYPE_UINT8: return "|u1";
  case ONNXC_DTYPE_BOOL: return "|b1";
  default: return "|V1";
  }
}

static void write_npy(const char *path, const onnxc_tensor_info *t, const void *data) {
  char header[256], shape[160] = "";
  size_t n = 0;
  for (int32_t i = 0; i < t->rank; ++i)
    n += (size_t)snprintf(shape + n, sizeof shape - n, "%lld%s", (long long)t->dims[i],
                          t->rank == 1 ? "," : (i + 1 < t->rank ? ", " : ""));
  int len = snprintf(header, sizeof header,
                     "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                     npy_descr(t->dtype), shape);
  int total = 10 + len + 1, pad = (64 - total % 64) % 64;
  FILE *f = fopen(path, "wb");
  if (!f)
    die(path, "cannot write");
  unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  pre[8] = (unsigned char)((len + pad + 1) & 0xff);
  pre[9] = (unsigned char)((len + pad + 1) >> 8);
  fwrite(pre, 1, 10, f);
  fwrite(header, 1, (size_t)len, f);
  for (int i = 0; i < pad; ++i)
    fputc(' ', f);
  fputc('\n', f);
  fwrite(data, 1, (size_t)onnxc_tensor_num_bytes(t), f);
  fclose(f);
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
  const onnxc_model_info *m = MODEL_INFO();
  const char *threads = getenv("ONNXC_NUM_THREADS");
  onnxc_set_num_threads(threads ? atoi(threads) : 1);
  if (argc - 1 != m->num_inputs)
    die("usage", "one .npy per model input");
  const void **in = calloc((size_t)m->num_inputs, sizeof *in);
  void **out = calloc((size_t)m->num_outputs, sizeof *out);
  for (int32_t i = 0; i < m->num_inputs; ++i) {
    int64_t bytes = onnxc_tensor_num_bytes(&m->inputs[i]);
    if (bytes < 0)
      die(m->inputs[i].name, "symbolic dims: compile with --dim");
    void *p = alloc_touched((size_t)bytes, 64);
    read_npy(argv[i + 1], p, (size_t)bytes);
    in[i] = p;
  }
  for (int32_t i = 0; i < m->num_outputs; ++i)
    out[i] = alloc_touched((size_t)onnxc_tensor_num_bytes(&m->outputs[i]), 64);
  void *arena = alloc_touched(m->arena_size, m->arena_align);

  char line[4096];
  while (fgets(line, sizeof line, stdin)) {
    long k;
    char dir[4000];
    if (sscanf(line, "run %ld", &k) == 1) {
      for (long r = 0; r < k; ++r) {
        long long t0 = now_ns();
        int rc = m->run(in, out, arena);
        long long t1 = now_ns();
        if (rc != ONNXC_OK)
          die("run failed", onnxc_status_string(rc));
        printf("%lld%c", t1 - t0, r + 1 < k ? ' ' : '\n');
      }
    } else if (sscanf(line, "save %3999s", dir) == 1) {
      for (int32_t i = 0; i < m->num_outputs; ++i) {
        char path[4096 + 32];
        snprintf(path, sizeof path, "%s/output_%d.npy", dir, (int)i);
        write_npy(path, &m->outputs[i], out[i]);
      }
      printf("ok\n");
    } else if (strncmp(line, "quit", 4) == 0) {
      break;
    } else {
      die("unknown command", line);
    }
    fflush(stdout);
  }
  return 0;
}
