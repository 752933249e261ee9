/* Two onnxc models linked into one C program: no symbol clashes, correct
 * numbers, and argument errors reported as status codes.
 *   two_models TINY_REF.txt */
#include "digits.h"
#include "tiny_mlp.h"

#include <math.h>
#include <stdalign.h>
#include <stdio.h>
#include <string.h>

static int failures = 0;
#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "two_models.c:%d: CHECK failed: %s\n", __LINE__, #cond); \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

static alignas(64) unsigned char digits_arena[DIGITS_ARENA_SIZE + 64];
static alignas(64) unsigned char tiny_arena[TINY_MLP_ARENA_SIZE + 64];

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: two_models tiny_mlp_ref.txt\n");
    return 2;
  }
  float x[TINY_MLP_INPUT_0_NUM_ELEMENTS], want[TINY_MLP_OUTPUT_0_NUM_ELEMENTS];
  FILE *f = fopen(argv[1], "r");
  CHECK(f != NULL);
  if (!f)
    return 1;
  for (int i = 0; i < TINY_MLP_INPUT_0_NUM_ELEMENTS; ++i)
    CHECK(fscanf(f, "%f", &x[i]) == 1);
  for (int i = 0; i < TINY_MLP_OUTPUT_0_NUM_ELEMENTS; ++i)
    CHECK(fscanf(f, "%f", &want[i]) == 1);
  fclose(f);

  /* The tiny MLP against numpy. */
  float y[TINY_MLP_OUTPUT_0_NUM_ELEMENTS];
  CHECK(tiny_mlp_run(x, y, tiny_arena) == ONNXC_OK);
  for (int i = 0; i < TINY_MLP_OUTPUT_0_NUM_ELEMENTS; ++i)
    CHECK(fabsf(y[i] - want[i]) <= 1e-5f + 1e-4f * fabsf(want[i]));

  /* The digits CNN: a blank image still yields a probability vector. */
  float image[DIGITS_INPUT_0_NUM_ELEMENTS], probs[DIGITS_OUTPUT_0_NUM_ELEMENTS];
  memset(image, 0, sizeof image);
  CHECK(digits_run(image, probs, digits_arena) == ONNXC_OK);
  float sum = 0;
  for (int i = 0; i < 10; ++i)
    sum += probs[i];
  CHECK(fabsf(sum - 1.0f) < 1e-5f);

  /* Reflection matches the header. */
  const onnxc_model_info *info = digits_info();
  CHECK(strcmp(info->name, "digits") == 0);
  CHECK(info->num_inputs == 1 && info->num_outputs == 1);
  CHECK(strcmp(info->inputs[0].name, DIGITS_INPUT_0_NAME) == 0);
  CHECK(info->inputs[0].rank == 4 && info->inputs[0].dims[1] == 1);
  CHECK(info->arena_size == DIGITS_ARENA_SIZE);
  CHECK(onnxc_tensor_num_elements(&info->outputs[0]) == 10);
  CHECK(tiny_mlp_info()->outputs[0].dtype == ONNXC_DTYPE_FLOAT);

  /* Errors are codes, not crashes. */
  CHECK(digits_run(NULL, probs, digits_arena) == ONNXC_ERR_NULL_ARGUMENT);
  CHECK(digits_run(image, NULL, digits_arena) == ONNXC_ERR_NULL_ARGUMENT);
  CHECK(digits_run(image, probs, NULL) == ONNXC_ERR_NULL_ARGUMENT);
  CHECK(digits_run(image, probs, digits_arena + 1) == ONNXC_ERR_ARENA_ALIGNMENT);

  /* The generic entry gives the same answer as the typed one. */
  const void *ins[] = {x};
  float y2[TINY_MLP_OUTPUT_0_NUM_ELEMENTS];
  void *outs[] = {y2};
  CHECK(tiny_mlp_info()->run(ins, outs, tiny_arena) == ONNXC_OK);
  CHECK(memcmp(y, y2, sizeof y) == 0);

  printf("two_models: %s (%d failed checks)\n", failures ? "FAILED" : "ok", failures);
  return failures ? 1 : 0;
}
