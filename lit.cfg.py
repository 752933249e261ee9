# lit configuration for onnxc's FileCheck tests (test/**/*.mlir, *.test).
# Run through ctest (`ctest -R lit`) or: lit -sv build/test
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "onnxc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.join(os.path.dirname(__file__), "test")
config.test_exec_root = os.path.join(config.onnxc_obj_root, "test")
config.excludes = ["Inputs", "conformance", "e2e", "unit", "CMakeLists.txt"]

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.onnxc_tools_dir, append_path=True)
config.substitutions.append(("%python", config.python))
llvm_config.add_tool_substitutions(["onnxc", "onnxc-opt"], [config.onnxc_tools_dir])
