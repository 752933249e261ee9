/* strings.c - string <-> number casts for generated code (ONNX Cast).
 *
 * A string tensor is an array of `width`-byte records, NUL-padded (a record
 * of exactly `width` bytes has no NUL). Floating-point numbers print with
 * the fewest digits that read back as the same value (as numpy, and so
 * ONNX's reference data, print them: 0.3f is "0.3"), laid out as ONNX
 * Runtime's "%.8g" lays them out (positional for 1e-4 <= |x| < 1e8:
 * "1000000", "1e-05", "1.2345679e+08"); "NaN", "INF" and "-INF" spell the
 * special values, and parsing accepts them in any case (ONNX Cast).
 * Integers print in decimal. */
#include "onnxc/runtime.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The record as a C string, in `buf` (width + 1 bytes). */
static const char *record_text(const char *rec, int64_t width, char *buf) {
  memcpy(buf, rec, (size_t)width);
  buf[width] = '\0';
  return buf;
}

/* Whether the rest of a parsed string is only whitespace. */
static int at_end(const char *p) {
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
    ++p;
  return *p == '\0';
}

int32_t onnxc_strings_to_numbers(const char *in, int64_t width, int64_t n,
                                 int32_t kind, void *out) {
  char buf[4097];
  if (width <= 0 || width >= (int64_t)sizeof buf)
    return ONNXC_ERR_INVALID_ARGUMENT;
  int32_t status = ONNXC_OK;
  for (int64_t i = 0; i < n; ++i) {
    const char *s = record_text(in + i * width, width, buf);
    char *end = NULL;
    if (kind == ONNXC_DTYPE_INT64 || kind == ONNXC_DTYPE_UINT64) {
      errno = 0;
      long long v = 0;
      unsigned long long u = 0;
      if (kind == ONNXC_DTYPE_INT64)
        v = strtoll(s, &end, 10);
      else
        u = strtoull(s, &end, 10);
      if (end == s || !at_end(end) || errno) {
        /* "100.5", "1e3": read as a number, then truncate toward zero. */
        double d = strtod(s, &end);
        if (end == s || !at_end(end))
          status = ONNXC_ERR_DATA;
        v = (long long)d;
        u = (unsigned long long)d;
      }
      if (kind == ONNXC_DTYPE_INT64)
        ((int64_t *)out)[i] = v;
      else
        ((uint64_t *)out)[i] = u;
      continue;
    }
    /* strtod reads "inf", "+INF", "nan" in any case. */
    double d = strtod(s, &end);
    if (end == s || !at_end(end)) {
      status = ONNXC_ERR_DATA;
      d = NAN;
    }
    if (kind == ONNXC_DTYPE_FLOAT)
      ((float *)out)[i] = (float)d;
    else if (kind == ONNXC_DTYPE_DOUBLE)
      ((double *)out)[i] = d;
    else
      return ONNXC_ERR_INVALID_ARGUMENT;
  }
  return status;
}

static int format_real(char *buf, size_t size, double v, int is_float) {
  if (isnan(v))
    return snprintf(buf, size, "NaN");
  if (isinf(v))
    return snprintf(buf, size, v > 0 ? "INF" : "-INF");
  /* The fewest significant digits p that read back as v. */
  int p = 1, max = is_float ? 9 : 17;
  for (; p < max; ++p) {
    snprintf(buf, size, "%.*e", p - 1, v);
    double back = strtod(buf, NULL);
    if (is_float ? (float)back == (float)v : back == v)
      break;
  }
  int len = snprintf(buf, size, "%.*e", p - 1, v);
  int exp10 = atoi(strchr(buf, 'e') + 1);
  if (exp10 < -4 || exp10 >= 8)
    return len;
  return snprintf(buf, size, "%.*f", p - 1 - exp10 > 0 ? p - 1 - exp10 : 0, v);
}

int32_t onnxc_numbers_to_strings(const void *in, int32_t kind, int64_t n,
                                 char *out, int64_t width) {
  if (width <= 0)
    return ONNXC_ERR_INVALID_ARGUMENT;
  int32_t status = ONNXC_OK;
  for (int64_t i = 0; i < n; ++i) {
    char buf[64];
    int len;
    switch (kind) {
    case ONNXC_DTYPE_FLOAT:
      len = format_real(buf, sizeof buf, ((const float *)in)[i], 1);
      break;
    case ONNXC_DTYPE_DOUBLE:
      len = format_real(buf, sizeof buf, ((const double *)in)[i], 0);
      break;
    case ONNXC_DTYPE_INT64:
      len = snprintf(buf, sizeof buf, "%lld", (long long)((const int64_t *)in)[i]);
      break;
    case ONNXC_DTYPE_UINT64:
      len = snprintf(buf, sizeof buf, "%llu", (unsigned long long)((const uint64_t *)in)[i]);
      break;
    default:
      return ONNXC_ERR_INVALID_ARGUMENT;
    }
    char *rec = out + i * width;
    memset(rec, 0, (size_t)width);
    if (len > width) {
      status = ONNXC_ERR_DATA; /* keep the record's prefix */
      len = (int)width;
    }
    memcpy(rec, buf, (size_t)len);
  }
  return status;
}
