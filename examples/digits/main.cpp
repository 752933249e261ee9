// Demo: classify held-back handwritten digits with the onnxc-compiled CNN.
//
//   digits_demo [test-set.bin] [probabilities-out.bin]
//
// Prints a few predictions as 8x8 ASCII art and the accuracy on the whole
// test set; optionally writes every probability vector (float32) so that
// tools/ort/compare-digits.js can check them against ONNX Runtime.
#include "digits.hpp"

#include <cstdio>
#include <cstdint>
#include <fstream>
#include <vector>

int main(int argc, char **argv) {
  const char *path = argc > 1 && argv[1][0] ? argv[1] : DIGITS_TEST_SET;
  std::ifstream in(path, std::ios::binary);
  int32_t count = 0;
  if (!in.read(reinterpret_cast<char *>(&count), 4) || count <= 0) {
    std::fprintf(stderr, "digits_demo: cannot read test set '%s'\n", path);
    return 1;
  }
  using Model = onnxc_models::Digits;
  static_assert(Model::input0_size == 64, "the demo model takes one 8x8 image");
  Model model = Model::WithArena(); // the arena is allocated once, here
  std::vector<float> all;
  int correct = 0;
  for (int32_t i = 0; i < count; ++i) {
    float image[Model::input0_size];
    int32_t label;
    in.read(reinterpret_cast<char *>(image), sizeof image);
    in.read(reinterpret_cast<char *>(&label), 4);
    float probs[Model::output0_size];
    if (int rc = model.run(image, probs)) {
      std::fprintf(stderr, "digits_demo: run failed: %s\n", onnxc_status_string(rc));
      return 1;
    }
    int best = 0;
    for (int k = 1; k < 10; ++k)
      if (probs[k] > probs[best])
        best = k;
    correct += best == label;
    all.insert(all.end(), probs, probs + 10);
    if (i < 3) {
      for (int r = 0; r < 8; ++r) {
        std::printf("  ");
        for (int c = 0; c < 8; ++c)
          std::printf("%c", " .:-=+*#%@"[int(image[r * 8 + c] * 9.0f + 0.5f)]);
        std::printf(r == 3 ? "   -> predicted %d (p=%.3f), label %d\n" : "\n", best,
                    probs[best], label);
      }
      std::printf("\n");
    }
  }
  std::printf("digits_demo: %d/%d correct, accuracy %.2f%% (arena %zu bytes, model %s)\n",
              correct, count, 100.0 * correct / count, Model::arena_size,
              Model::info().name);
  if (argc > 2) {
    std::ofstream out(argv[2], std::ios::binary);
    out.write(reinterpret_cast<const char *>(all.data()), all.size() * sizeof(float));
  }
  return 0;
}
