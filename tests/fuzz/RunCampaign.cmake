# cmake -DFUZZER=<exe> -DWORK=<dir> -DINPUTS=<file>|<file>...
#       -DSECONDS=<n> -DTIMEOUT=<n> [-DDICT=-dict=<file>] -P RunCampaign.cmake
#
# One bounded libFuzzer campaign over WORK/corpus, a fresh copy of the
# seeds and regressions (INPUTS): the source tree is never written, and a
# run costs the same every time (libFuzzer replays its whole corpus before
# the time limit applies, and the checker target does about one input a
# second). A crash, leak, timeout or sanitizer report makes libFuzzer exit
# non-zero, which fails this script; the input is left in WORK/artifacts/
# to be copied into tests/fuzz/regressions/ with the fix.
foreach(var FUZZER WORK INPUTS SECONDS TIMEOUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "RunCampaign.cmake: -D${var}= is required")
  endif()
endforeach()

file(REMOVE_RECURSE "${WORK}/corpus" "${WORK}/artifacts")
file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/artifacts")
string(REPLACE "|" ";" inputs "${INPUTS}")
file(COPY ${inputs} DESTINATION "${WORK}/corpus")

set(args -max_total_time=${SECONDS} -timeout=${TIMEOUT} -print_final_stats=1
  "-artifact_prefix=${WORK}/artifacts/")
if(DICT)
  list(APPEND args "${DICT}")
endif()
message(STATUS "${FUZZER} ${args} ${WORK}/corpus")
execute_process(COMMAND "${FUZZER}" ${args} "${WORK}/corpus"
  WORKING_DIRECTORY "${WORK}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(GLOB found "${WORK}/artifacts/*")
  message(FATAL_ERROR "libFuzzer exited with ${rc}; inputs: ${found}\n"
    "Replay one with: ${FUZZER} <input>; add it to tests/fuzz/regressions/ "
    "once fixed.")
endif()
