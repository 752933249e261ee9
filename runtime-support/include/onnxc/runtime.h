/* onnxc/runtime.h - support runtime for onnxc-compiled models (C11).
 *
 * Everything a generated model library refers to: status codes, the
 * reflection structs returned by NAME_info(), and arena helpers. Nothing
 * here allocates on the run path.
 */
#ifndef ONNXC_RUNTIME_H
#define ONNXC_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes returned by NAME_run() and the helpers below. */
typedef enum onnxc_status {
  ONNXC_OK = 0,                 /* success */
  ONNXC_ERR_NULL_ARGUMENT = 1,  /* an input, output or arena pointer is NULL */
  ONNXC_ERR_ARENA_ALIGNMENT = 2,/* the arena is not NAME_ARENA_ALIGN-aligned */
  ONNXC_ERR_SHAPE = 3,          /* an input's dims do not match the model */
  ONNXC_ERR_ARENA_TOO_SMALL = 4,/* the arena is smaller than required */
  ONNXC_ERR_INVALID_ARGUMENT = 5,/* any other invalid argument */
  ONNXC_ERR_IO = 6,             /* a file could not be read or written (tools) */
  ONNXC_ERR_DATA = 7,           /* input values the model cannot take: they imply
                                   a shape other than the one it was compiled
                                   for (data-dependent shapes), more loop
                                   iterations than --loop-bound, a sequence
                                   position out of range, or an absent optional
                                   read */
} onnxc_status;

/* A short, static, English description of `status`; never NULL. */
const char *onnxc_status_string(int status);

/* ONNX TensorProto.DataType values used in onnxc_tensor_info.dtype. */
typedef enum onnxc_dtype {
  ONNXC_DTYPE_FLOAT = 1, ONNXC_DTYPE_UINT8 = 2, ONNXC_DTYPE_INT8 = 3,
  ONNXC_DTYPE_UINT16 = 4, ONNXC_DTYPE_INT16 = 5, ONNXC_DTYPE_INT32 = 6,
  ONNXC_DTYPE_INT64 = 7, ONNXC_DTYPE_STRING = 8, ONNXC_DTYPE_BOOL = 9,
  ONNXC_DTYPE_FLOAT16 = 10, ONNXC_DTYPE_DOUBLE = 11, ONNXC_DTYPE_UINT32 = 12,
  ONNXC_DTYPE_UINT64 = 13, ONNXC_DTYPE_BFLOAT16 = 16,
  /* float8 values travel as their bytes; 4-bit integers one per byte
   * (int4 sign-extended), not packed in pairs as in ONNX files. */
  ONNXC_DTYPE_FLOAT8E4M3FN = 17, ONNXC_DTYPE_FLOAT8E4M3FNUZ = 18,
  ONNXC_DTYPE_FLOAT8E5M2 = 19, ONNXC_DTYPE_FLOAT8E5M2FNUZ = 20,
  ONNXC_DTYPE_UINT4 = 21, ONNXC_DTYPE_INT4 = 22,
} onnxc_dtype;

/* Bytes per element of `dtype`, 0 if unknown or not fixed-size. */
size_t onnxc_dtype_size(int32_t dtype);

/* ONNX's name of `dtype` ("float", "int64", ...); never NULL. */
const char *onnxc_dtype_name(int32_t dtype);

/* Random ops (RandomUniform, Bernoulli, training-mode Dropout, ...) without
 * a `seed` attribute take one key per execution from a process-wide stream,
 * seeded from the clock at first use. A fixed seed makes every later draw
 * reproducible; ops with a `seed` attribute repeat their values anyway. */
void onnxc_set_random_seed(uint64_t seed);
/* The next key of that stream (called by generated code). */
uint64_t onnxc_random_next(void);

/* String <-> number casts (called by generated code). Strings are records of
 * `width` bytes, NUL-padded; numbers are `kind` ONNXC_DTYPE_FLOAT, _DOUBLE,
 * _INT64 or _UINT64. Floats print with the fewest digits that read back
 * exactly, positional for 1e-4 <= |x| < 1e8 ("0.3", "1000000", "1e-05",
 * "NaN", "INF", "-INF"). Return ONNXC_OK, or ONNXC_ERR_DATA when a
 * string is not a number or a number's text is longer than `width`. */
int32_t onnxc_strings_to_numbers(const char *in, int64_t width, int64_t n,
                                 int32_t kind, void *out);
int32_t onnxc_numbers_to_strings(const void *in, int32_t kind, int64_t n,
                                 char *out, int64_t width);

/* One input or output of a compiled model. dims[i] < 0 marks a dim that
 * was symbolic in the ONNX file (its name is in dim_params[i]). */
typedef struct onnxc_tensor_info {
  const char *name;
  int32_t dtype;
  int32_t rank;
  const int64_t *dims;
  /* Bytes per element. Strings are fixed-width records of this many bytes
   * (UTF-8, NUL-padded; a string of exactly elem_bytes bytes has no NUL). */
  int64_t elem_bytes;
} onnxc_tensor_info;

/* Generic entry: inputs[i]/outputs[i] point at the tensors' data in the
 * order of onnxc_model_info.inputs/outputs. Returns an onnxc_status. */
typedef int (*onnxc_run_fn)(const void *const *inputs, void *const *outputs,
                            void *arena);

/* Reflection for generic runners, returned by NAME_info(). */
typedef struct onnxc_model_info {
  const char *name;
  int32_t num_inputs;
  int32_t num_outputs;
  const onnxc_tensor_info *inputs;
  const onnxc_tensor_info *outputs;
  uint64_t arena_size;  /* bytes of scratch NAME_run needs */
  uint64_t arena_align; /* required alignment of the arena */
  onnxc_run_fn run;
} onnxc_model_info;

/* Number of elements of a tensor (product of dims; 1 for a scalar).
 * Returns -1 if a dim is symbolic. */
int64_t onnxc_tensor_num_elements(const onnxc_tensor_info *info);

/* Bytes of a tensor's data (elements x elem_bytes), or -1 if a dim is
 * symbolic. */
int64_t onnxc_tensor_num_bytes(const onnxc_tensor_info *info);

/* Rounds `arena` up to `align` (a power of two) inside a caller buffer of
 * `capacity` bytes; returns NULL if fewer than `size` bytes remain. For
 * callers that cannot allocate aligned memory themselves. */
void *onnxc_arena_align(void *buffer, size_t capacity, size_t size,
                        size_t align);

#ifdef __cplusplus
}
#endif

#endif /* ONNXC_RUNTIME_H */
