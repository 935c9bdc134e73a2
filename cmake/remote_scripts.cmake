# The remote scripts (src/collect/remote/*.sh, docs/collector.md) are compiled into the library:
# each becomes ${CMAKE_BINARY_DIR}/generated/remote/NAME.sh.inc, a raw string literal that
# src/collect/*.cpp #includes. Only CMake itself runs (cmake/embed_script.cmake).
set(DIGGER_REMOTE_SCRIPTS collector supervisor_runtime may inspect inspect_read)

function(digger_embed_remote_scripts target)
  set(outputs)
  foreach(name ${DIGGER_REMOTE_SCRIPTS})
    set(in ${PROJECT_SOURCE_DIR}/src/collect/remote/${name}.sh)
    set(out ${CMAKE_BINARY_DIR}/generated/remote/${name}.sh.inc)
    add_custom_command(OUTPUT ${out}
      COMMAND ${CMAKE_COMMAND} -DIN=${in} -DOUT=${out} -P ${PROJECT_SOURCE_DIR}/cmake/embed_script.cmake
      DEPENDS ${in} ${PROJECT_SOURCE_DIR}/cmake/embed_script.cmake
      COMMENT "Embedding src/collect/remote/${name}.sh" VERBATIM)
    list(APPEND outputs ${out})
  endforeach()
  target_sources(${target} PRIVATE ${outputs})
  target_include_directories(${target} PRIVATE ${CMAKE_BINARY_DIR}/generated)
endfunction()
