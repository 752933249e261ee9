/* runtime.c - onnxc support runtime: status strings, dtype and arena helpers. */
#include "onnxc/runtime.h"

#include <stdatomic.h>
#if defined(__unix__) || defined(__APPLE__)
#include <time.h>
#endif

const char *onnxc_status_string(int status) {
  switch (status) {
  case ONNXC_OK: return "ok";
  case ONNXC_ERR_NULL_ARGUMENT: return "an input, output or arena pointer is NULL";
  case ONNXC_ERR_ARENA_ALIGNMENT: return "the arena is not aligned as the model requires";
  case ONNXC_ERR_SHAPE: return "an input's shape does not match the model";
  case ONNXC_ERR_ARENA_TOO_SMALL: return "the arena is too small";
  case ONNXC_ERR_INVALID_ARGUMENT: return "invalid argument";
  case ONNXC_ERR_IO: return "file input/output failed";
  case ONNXC_ERR_DATA:
    return "input values imply shapes (or loop iterations, sequence positions, optional presence) "
           "other than the compiled model's";
  default: return "unknown status";
  }
}

size_t onnxc_dtype_size(int32_t dtype) {
  switch (dtype) {
  case ONNXC_DTYPE_BOOL: case ONNXC_DTYPE_UINT8: case ONNXC_DTYPE_INT8:
  case ONNXC_DTYPE_FLOAT8E4M3FN: case ONNXC_DTYPE_FLOAT8E4M3FNUZ:
  case ONNXC_DTYPE_FLOAT8E5M2: case ONNXC_DTYPE_FLOAT8E5M2FNUZ:
  case ONNXC_DTYPE_UINT4: case ONNXC_DTYPE_INT4: return 1;
  case ONNXC_DTYPE_UINT16: case ONNXC_DTYPE_INT16: case ONNXC_DTYPE_FLOAT16:
  case ONNXC_DTYPE_BFLOAT16: return 2;
  case ONNXC_DTYPE_FLOAT: case ONNXC_DTYPE_INT32: case ONNXC_DTYPE_UINT32: return 4;
  case ONNXC_DTYPE_INT64: case ONNXC_DTYPE_UINT64: case ONNXC_DTYPE_DOUBLE: return 8;
  default: return 0;
  }
}

const char *onnxc_dtype_name(int32_t dtype) {
  switch (dtype) {
  case ONNXC_DTYPE_FLOAT: return "float";
  case ONNXC_DTYPE_UINT8: return "uint8";
  case ONNXC_DTYPE_INT8: return "int8";
  case ONNXC_DTYPE_UINT16: return "uint16";
  case ONNXC_DTYPE_INT16: return "int16";
  case ONNXC_DTYPE_INT32: return "int32";
  case ONNXC_DTYPE_INT64: return "int64";
  case ONNXC_DTYPE_STRING: return "string";
  case ONNXC_DTYPE_BOOL: return "bool";
  case ONNXC_DTYPE_FLOAT16: return "float16";
  case ONNXC_DTYPE_DOUBLE: return "double";
  case ONNXC_DTYPE_UINT32: return "uint32";
  case ONNXC_DTYPE_UINT64: return "uint64";
  case ONNXC_DTYPE_BFLOAT16: return "bfloat16";
  case ONNXC_DTYPE_FLOAT8E4M3FN: return "float8e4m3fn";
  case ONNXC_DTYPE_FLOAT8E4M3FNUZ: return "float8e4m3fnuz";
  case ONNXC_DTYPE_FLOAT8E5M2: return "float8e5m2";
  case ONNXC_DTYPE_FLOAT8E5M2FNUZ: return "float8e5m2fnuz";
  case ONNXC_DTYPE_UINT4: return "uint4";
  case ONNXC_DTYPE_INT4: return "int4";
  default: return "unknown";
  }
}

int64_t onnxc_tensor_num_elements(const onnxc_tensor_info *info) {
  int64_t n = 1;
  for (int32_t i = 0; i < info->rank; ++i) {
    if (info->dims[i] < 0)
      return -1;
    n *= info->dims[i];
  }
  return n;
}

int64_t onnxc_tensor_num_bytes(const onnxc_tensor_info *info) {
  int64_t n = onnxc_tensor_num_elements(info);
  size_t s = info->elem_bytes > 0 ? (size_t)info->elem_bytes
                                  : onnxc_dtype_size(info->dtype);
  if (n < 0 || s == 0)
    return -1;
  return n * (int64_t)s;
}

void *onnxc_arena_align(void *buffer, size_t capacity, size_t size,
                        size_t align) {
  if (!buffer || align == 0 || (align & (align - 1)) != 0)
    return 0;
  uintptr_t p = (uintptr_t)buffer;
  uintptr_t a = (p + align - 1) & ~(uintptr_t)(align - 1);
  if (a - p > capacity || capacity - (a - p) < size)
    return 0;
  return (void *)a;
}

static _Atomic uint64_t random_state;
static atomic_int random_seeded;

static uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xBF58476D1CE4E5B9ull;
  x ^= x >> 27;
  x *= 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

void onnxc_set_random_seed(uint64_t seed) {
  atomic_store(&random_state, mix64(seed));
  atomic_store(&random_seeded, 1);
}

uint64_t onnxc_random_next(void) {
  if (!atomic_load(&random_seeded)) {
    /* The clock and this object's address (ASLR) differ between processes. */
    uint64_t seed = (uint64_t)(uintptr_t)&random_state;
#if defined(__unix__) || defined(__APPLE__)
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    seed ^= (uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec;
#endif
    int expected = 0;
    uint64_t zero = 0;
    if (atomic_compare_exchange_strong(&random_seeded, &expected, 2))
      atomic_compare_exchange_strong(&random_state, &zero, mix64(seed));
  }
  return mix64(atomic_fetch_add(&random_state, 0x9E3779B97F4A7C15ull));
}
