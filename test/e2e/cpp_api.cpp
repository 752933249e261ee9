// The generated C++ header: typed class, shape constants, owned arena.
//   cpp_api TINY_REF.txt
#include "tiny_mlp.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>

int main(int argc, char **argv) {
  using Model = onnxc_models::TinyMlp;
  static_assert(Model::input0_shape[0] == 2 && Model::input0_shape[1] == 4, "shape");
  static_assert(Model::output0_size == 6, "size");
  std::ifstream f(argc > 1 ? argv[1] : "");
  Model::input0_type x[Model::input0_size];
  Model::output0_type want[Model::output0_size], y[Model::output0_size];
  for (auto &v : x)
    f >> v;
  for (auto &v : want)
    f >> v;
  if (!f) {
    std::fprintf(stderr, "cpp_api: cannot read the reference file\n");
    return 1;
  }
  Model model = Model::WithArena();
  int rc = model.run(x, y);
  if (rc != ONNXC_OK) {
    std::fprintf(stderr, "cpp_api: run failed: %s\n", onnxc_status_string(rc));
    return 1;
  }
  for (std::size_t i = 0; i < Model::output0_size; ++i)
    if (std::fabs(y[i] - want[i]) > 1e-5f + 1e-4f * std::fabs(want[i])) {
      std::fprintf(stderr, "cpp_api: y[%zu] = %g, expected %g\n", i, y[i], want[i]);
      return 1;
    }
  std::printf("cpp_api: ok (%s, arena %zu bytes)\n", Model::info().name, Model::arena_size);
  return 0;
}
