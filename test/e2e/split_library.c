/* Two large models, each compiled into a library of several object files
 * (the code split for parallel compilation, the weights in a data object),
 * linked into one program: their hidden symbols must not clash, and each
 * must compute the same as the unsplit JIT build.
 *   split_library IN.f32 OUT_FIRST.f32 OUT_SECOND.f32  (raw float32 files) */
#include <onnxc/runtime.h>

#include <stdio.h>
#include <stdlib.h>

const onnxc_model_info *first_info(void);
const onnxc_model_info *second_info(void);

static void *read_all(const char *path, size_t bytes) {
  void *p = malloc(bytes);
  FILE *f = fopen(path, "rb");
  if (!p || !f || fread(p, 1, bytes, f) != bytes) {
    fprintf(stderr, "split_library: cannot read %zu bytes from %s\n", bytes, path);
    exit(1);
  }
  fclose(f);
  return p;
}

static int run(const onnxc_model_info *m, const void *input, const char *out_path) {
  if (m->num_inputs != 1 || m->num_outputs != 1)
    return fprintf(stderr, "split_library: %s: expected one input and one output\n", m->name), 1;
  void *out = malloc((size_t)onnxc_tensor_num_bytes(&m->outputs[0]));
  void *arena = aligned_alloc(m->arena_align, (m->arena_size + m->arena_align - 1) /
                                                  m->arena_align * m->arena_align);
  const void *ins[] = {input};
  void *outs[] = {out};
  int rc = m->run(ins, outs, arena);
  if (rc != ONNXC_OK)
    return fprintf(stderr, "split_library: %s: %s\n", m->name, onnxc_status_string(rc)), 1;
  FILE *f = fopen(out_path, "wb");
  if (!f || fwrite(out, 1, (size_t)onnxc_tensor_num_bytes(&m->outputs[0]), f) == 0)
    return fprintf(stderr, "split_library: cannot write %s\n", out_path), 1;
  fclose(f);
  free(out);
  free(arena);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4)
    return fprintf(stderr, "usage: split_library IN.f32 OUT_FIRST.f32 OUT_SECOND.f32\n"), 2;
  const void *input = read_all(argv[1], (size_t)onnxc_tensor_num_bytes(&first_info()->inputs[0]));
  return run(first_info(), input, argv[2]) || run(second_info(), input, argv[3]);
}
