# onnxc_library(name src... [DEPENDS tgt...] [LINK lib...])
# A static library of the compiler, linked against the shared libMLIR.so and
# libLLVM.so (one fast link per tool instead of hundreds of archives).
function(onnxc_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK" ${ARGN})
  add_library(${name} STATIC ${ARG_UNPARSED_ARGUMENTS})
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
  target_link_libraries(${name} PUBLIC ${ARG_LINK} MLIR LLVM)
endfunction()
