# One static library per stage (docs/architecture.md, "Stages"). A stage sees only the public
# headers of the stages it declares (and theirs), and with DIGGER_LAYER_CHECK its objects must
# link on their own against those stages alone: a wrong-way include fails to compile, a
# wrong-way call fails to link.
#
#   digger_stage(<name> SOURCES <file>... [STAGES <stage>...]
#                [PUBLIC_LIBS <target>...] [PRIVATE_LIBS <target>...])
#
# PUBLIC_LIBS are third-party libraries that the stage's public headers include; PRIVATE_LIBS
# those only its sources use.

# The stages in declaration order (lower stages first); docs and the umbrella target read it.
set_property(GLOBAL PROPERTY DIGGER_STAGES "")

function(digger_stage name)
  cmake_parse_arguments(ARG "" "" "SOURCES;STAGES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  if(ARG_UNPARSED_ARGUMENTS OR NOT ARG_SOURCES)
    message(FATAL_ERROR "digger_stage(${name}): SOURCES missing or unknown words ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  get_property(known GLOBAL PROPERTY DIGGER_STAGES)
  set(deps "")
  foreach(stage IN LISTS ARG_STAGES)
    if(NOT stage IN_LIST known)
      message(FATAL_ERROR "digger_stage(${name}): stage '${stage}' is not declared before it "
                          "(stages depend only on stages below them)")
    endif()
    list(APPEND deps digger_${stage})
  endforeach()

  set(target digger_${name})
  add_library(${target} STATIC ${ARG_SOURCES})
  # A stage's include root holds only its own public headers (a link into include/digger), so
  # `#include "digger/<stage>/..."` resolves only for the stage itself and the stages it links.
  set(root ${PROJECT_BINARY_DIR}/layers/${name})
  file(MAKE_DIRECTORY ${root}/digger)
  if(EXISTS ${PROJECT_SOURCE_DIR}/include/digger/${name} AND NOT EXISTS ${root}/digger/${name})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/include/digger/${name} ${root}/digger/${name} SYMBOLIC)
  endif()
  target_include_directories(${target} PUBLIC ${root} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(${target} PUBLIC ${deps} ${ARG_PUBLIC_LIBS}
                        PRIVATE digger_warnings ${ARG_PRIVATE_LIBS})
  # Position-independent so the layer check below can link the same objects into a shared
  # object; no semantic interposition keeps GCC inlining as it does without -fPIC.
  set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -fno-semantic-interposition)
  endif()
  if(DIGGER_FUZZ AND name IN_LIST DIGGER_FUZZ_STAGES)
    # libFuzzer's coverage feedback for the fuzzers that link this stage (fuzz/CMakeLists.txt).
    # Elsewhere (the tests' executables, the layer check's shared objects) the ASan runtime
    # defines the instrumentation's hooks as empty functions, so they link and run as before.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
  set_property(TARGET ${target} PROPERTY DIGGER_STAGE_DEPS "${ARG_STAGES}")
  set_property(GLOBAL APPEND PROPERTY DIGGER_STAGES ${name})

  if(DIGGER_LAYER_CHECK)
    # Every object of the stage, linked with nothing but its declared stages and libraries,
    # must leave no symbol undefined.
    add_library(${target}_layer_check SHARED ${PROJECT_SOURCE_DIR}/cmake/layer_check.cpp)
    target_link_libraries(${target}_layer_check PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,${target}>"
                          ${ARG_PRIVATE_LIBS})
    target_link_options(${target}_layer_check PRIVATE -Wl,--no-undefined)
    if(DIGGER_SANITIZE AND CMAKE_CXX_COMPILER_ID MATCHES "Clang")
      # Clang puts the sanitizer runtime only into executables; a shared object must take the
      # shared runtime to leave no sanitizer symbol undefined.
      target_link_options(${target}_layer_check PRIVATE -shared-libsan)
    endif()
    add_dependencies(digger_layer_check ${target}_layer_check)
  endif()
endfunction()
