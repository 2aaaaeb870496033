# Sanitizer builds of uisan itself (the `asan` and `tsan` presets in
# CMakePresets.json put -fsanitize=... into the global flags).
#
#   UISAN_SANITIZERS        the -fsanitize= list of CMAKE_CXX_FLAGS, e.g.
#                           "address;undefined" or "thread" ("" normally)
#   UISAN_SANITIZER_RUNTIME the shared ASan or TSan runtime that an
#                           uninstrumented host program must preload to load
#                           one of our instrumented plugins ("" normally)
#   uisan_sanitized_copy(<new> <old> [SWAP <dep> <copy>...])
#                           a library built from <old>'s sources and settings
#                           minus its -fno-sanitize=all, to test code that
#                           ships uninstrumented (libuisan's core); SWAP
#                           pairs replace dependencies by their copies
#
# Included by the test directories only: the global flags are the presets'.
# The variables are per directory, so each includer gets them.
include_guard(DIRECTORY)

set(UISAN_SANITIZERS "")
string(REGEX MATCHALL "-fsanitize=[^ ]+" _uisan_san_flags "${CMAKE_CXX_FLAGS}")
foreach(_flag IN LISTS _uisan_san_flags)
  string(REPLACE "-fsanitize=" "" _flag "${_flag}")
  string(REPLACE "," ";" _flag "${_flag}")
  list(APPEND UISAN_SANITIZERS ${_flag})
endforeach()
list(REMOVE_DUPLICATES UISAN_SANITIZERS)

set(UISAN_SANITIZER_RUNTIME "")
set(_uisan_rt "")
if("address" IN_LIST UISAN_SANITIZERS)
  set(_uisan_rt asan)
elseif("thread" IN_LIST UISAN_SANITIZERS)
  set(_uisan_rt tsan)
endif()
if(_uisan_rt)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=lib${_uisan_rt}.so
      OUTPUT_VARIABLE _uisan_rt_path OUTPUT_STRIP_TRAILING_WHITESPACE)
  else()
    # Clang: the shared runtime in its resource directory (either layout).
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-runtime-dir
      OUTPUT_VARIABLE _uisan_rt_dir OUTPUT_STRIP_TRAILING_WHITESPACE)
    set(_uisan_rt_path "${_uisan_rt_dir}/libclang_rt.${_uisan_rt}.so")
    if(NOT EXISTS "${_uisan_rt_path}")
      set(_uisan_rt_path "${_uisan_rt_dir}/libclang_rt.${_uisan_rt}-${CMAKE_SYSTEM_PROCESSOR}.so")
    endif()
  endif()
  if(IS_ABSOLUTE "${_uisan_rt_path}" AND EXISTS "${_uisan_rt_path}")
    get_filename_component(UISAN_SANITIZER_RUNTIME "${_uisan_rt_path}" REALPATH)
  else()
    message(WARNING "uisan: no shared ${_uisan_rt} runtime found; the clang-tidy plugin test will fail")
  endif()
  get_property(_uisan_said GLOBAL PROPERTY UISAN_SANITIZERS_REPORTED)
  if(NOT _uisan_said)
    set_property(GLOBAL PROPERTY UISAN_SANITIZERS_REPORTED TRUE)
    message(STATUS "uisan: sanitizer build (${UISAN_SANITIZERS}), runtime ${UISAN_SANITIZER_RUNTIME}")
  endif()
endif()

# uisan_sanitized_copy(<new> <old> [SWAP <dep> <copy>...])
function(uisan_sanitized_copy new old)
  cmake_parse_arguments(PARSE_ARGV 2 arg "" "" "SWAP")
  get_target_property(type ${old} TYPE)
  string(REPLACE "_LIBRARY" "" type "${type}")
  get_target_property(dir ${old} SOURCE_DIR)
  get_target_property(sources ${old} SOURCES)
  set(abs_sources "")
  foreach(s IN LISTS sources)
    if(NOT IS_ABSOLUTE "${s}")
      set(s "${dir}/${s}")
    endif()
    list(APPEND abs_sources "${s}")
  endforeach()
  add_library(${new} ${type} ${abs_sources})
  foreach(prop COMPILE_OPTIONS COMPILE_DEFINITIONS INCLUDE_DIRECTORIES LINK_LIBRARIES LINK_OPTIONS
          INTERFACE_COMPILE_DEFINITIONS INTERFACE_INCLUDE_DIRECTORIES INTERFACE_LINK_LIBRARIES
          POSITION_INDEPENDENT_CODE CXX_VISIBILITY_PRESET VISIBILITY_INLINES_HIDDEN)
    get_target_property(value ${old} ${prop})
    if(NOT value)
      continue()
    endif()
    list(REMOVE_ITEM value -fno-sanitize=all)
    set(swaps ${arg_SWAP})
    list(LENGTH swaps n)
    set(i 0)
    while(i LESS n)
      math(EXPR j "${i} + 1")
      list(GET swaps ${i} from)
      list(GET swaps ${j} to)
      list(TRANSFORM value REPLACE "^${from}$" "${to}")
      list(TRANSFORM value REPLACE "^\\$<LINK_ONLY:${from}>$" "$<LINK_ONLY:${to}>")
      math(EXPR i "${i} + 2")
    endwhile()
    set_property(TARGET ${new} PROPERTY ${prop} "${value}")
  endforeach()
endfunction()
