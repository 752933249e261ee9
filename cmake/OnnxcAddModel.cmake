# onnxc_add_model(<target> MODEL <file.onnx> [NAME <name>] [OPTIONS <onnxc flags>...])
#
# Compiles an ONNX model at build time into lib<name>.a, <name>.h and
# <name>.hpp, and defines <target>: link it to get the model's symbols, its
# headers on the include path and the onnxc runtime. Recompiles when the
# model or the onnxc executable changes.
function(onnxc_add_model target)
  cmake_parse_arguments(ARG "" "MODEL;NAME" "OPTIONS" ${ARGN})
  if(NOT ARG_MODEL)
    message(FATAL_ERROR "onnxc_add_model(${target}): MODEL is required")
  endif()
  if(NOT ARG_NAME)
    set(ARG_NAME ${target})
  endif()
  get_filename_component(model "${ARG_MODEL}" ABSOLUTE)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/onnxc/${ARG_NAME}")
  file(MAKE_DIRECTORY "${out}")
  set(files "${out}/lib${ARG_NAME}.a" "${out}/${ARG_NAME}.h" "${out}/${ARG_NAME}.hpp")
  add_custom_command(
    OUTPUT ${files}
    COMMAND "${ONNXC_EXECUTABLE}" "${model}" --name ${ARG_NAME} -o "${out}" ${ARG_OPTIONS}
    DEPENDS "${model}" "${ONNXC_EXECUTABLE}"
    COMMENT "onnxc: compiling ${ARG_MODEL} -> lib${ARG_NAME}.a"
    VERBATIM)
  add_custom_target(${target}_onnxc DEPENDS ${files})
  add_library(${target} INTERFACE)
  add_dependencies(${target} ${target}_onnxc)
  target_include_directories(${target} INTERFACE "${out}")
  target_link_libraries(${target} INTERFACE "${out}/lib${ARG_NAME}.a" onnxc::runtime m)
endfunction()
