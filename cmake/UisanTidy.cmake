# uisan-tidy as build steps: facts extracted per translation unit by the
# build (in parallel, incrementally, re-run only when the file or a header it
# reads changes), and one cheap link step that checks the whole program.
#
#   include(UisanTidy)            # this file: list(APPEND CMAKE_MODULE_PATH
#                                 # <uisan>/cmake) first
#   uisan_facts(<target> [UISAN_TIDY <exe>] [ARGS <arg>...])
#       adds a build rule per C/C++ source of <target> that writes its facts
#       (uisan-tidy --write-facts, with a depfile of the headers it read)
#       under ${CMAKE_CURRENT_BINARY_DIR}/uisan-facts/<target>/
#   uisan_check(<name> TARGETS <target>... [UISAN_TIDY <exe>] [ARGS <arg>...])
#       adds a custom target <name> that links the facts of the targets
#       (uisan-tidy --from-facts) and fails when there are findings
#
# UISAN_TIDY defaults to the cache variable UISAN_TIDY, else the uisan-tidy
# on PATH. The project must export its compile commands
# (CMAKE_EXPORT_COMPILE_COMMANDS=ON): each step reads its file's command from
# ${CMAKE_BINARY_DIR}/compile_commands.json. Headers are tracked with
# DEPFILE, which needs the Ninja or Makefile generators (CMake 3.20+).
include_guard(GLOBAL)

function(_uisan_tidy_exe out given)
  if(given)
    set(${out} "${given}" PARENT_SCOPE)
    return()
  endif()
  if(NOT UISAN_TIDY)
    find_program(UISAN_TIDY uisan-tidy)
  endif()
  if(NOT UISAN_TIDY)
    message(FATAL_ERROR "uisan_facts/uisan_check: uisan-tidy not found; pass "
                        "UISAN_TIDY <path> or set -DUISAN_TIDY=<path>")
  endif()
  set(${out} "${UISAN_TIDY}" PARENT_SCOPE)
endfunction()

function(uisan_facts target)
  cmake_parse_arguments(U "" "UISAN_TIDY" "ARGS" ${ARGN})
  if(NOT TARGET ${target})
    message(FATAL_ERROR "uisan_facts: '${target}' is not a target")
  endif()
  if(NOT CMAKE_EXPORT_COMPILE_COMMANDS)
    message(WARNING "uisan_facts(${target}): set CMAKE_EXPORT_COMPILE_COMMANDS=ON; "
                    "uisan-tidy reads each file's command from compile_commands.json")
  endif()
  _uisan_tidy_exe(exe "${U_UISAN_TIDY}")
  get_target_property(sources ${target} SOURCES)
  get_target_property(source_dir ${target} SOURCE_DIR)
  set(facts "")
  foreach(src IN LISTS sources)
    if(src MATCHES "^\\$<" OR NOT src MATCHES "\\.(c|cc|cpp|cxx|c\\+\\+|C)$")
      continue()
    endif()
    get_filename_component(abs "${src}" ABSOLUTE BASE_DIR "${source_dir}")
    file(RELATIVE_PATH rel "${CMAKE_SOURCE_DIR}" "${abs}")
    string(REPLACE ".." "__" rel "${rel}")
    set(out "${CMAKE_CURRENT_BINARY_DIR}/uisan-facts/${target}/${rel}.facts")
    get_filename_component(out_dir "${out}" DIRECTORY)
    file(MAKE_DIRECTORY "${out_dir}")
    add_custom_command(OUTPUT "${out}"
      COMMAND "${exe}" -p "${CMAKE_BINARY_DIR}" --quiet
              "--write-facts=${out}" "--depfile=${out}.d" ${U_ARGS} "${abs}"
      DEPENDS "${abs}" "${exe}"
      DEPFILE "${out}.d"
      COMMENT "uisan-tidy: facts of ${rel}"
      VERBATIM)
    list(APPEND facts "${out}")
  endforeach()
  set_property(TARGET ${target} PROPERTY UISAN_FACTS "${facts}")
endfunction()

function(uisan_check name)
  cmake_parse_arguments(U "" "UISAN_TIDY" "TARGETS;ARGS" ${ARGN})
  if(NOT U_TARGETS)
    message(FATAL_ERROR "uisan_check(${name}): give TARGETS <target>...")
  endif()
  _uisan_tidy_exe(exe "${U_UISAN_TIDY}")
  set(all "")
  foreach(t IN LISTS U_TARGETS)
    get_property(has TARGET ${t} PROPERTY UISAN_FACTS SET)
    if(NOT has)
      uisan_facts(${t} UISAN_TIDY "${exe}")
    endif()
    get_target_property(f ${t} UISAN_FACTS)
    list(APPEND all ${f})
  endforeach()
  add_custom_target(${name}
    COMMAND "${exe}" --from-facts ${U_ARGS} ${all}
    DEPENDS ${all}
    WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}"
    COMMENT "uisan-tidy: checking ${U_TARGETS} as one program"
    VERBATIM)
endfunction()
