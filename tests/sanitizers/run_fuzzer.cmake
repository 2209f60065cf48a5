# cmake -P script of the fuzz_<loader> tests (tests/sanitizers/CMakeLists.txt).
# 1. Runs ${FUZZER} once over every file of ${REGRESSIONS} (inputs that once
#    crashed it). 2. Fuzzes for ${SECONDS} seconds from a copy of ${CORPUS}, so
#    the corpus in the repository is not changed. A crash, a sanitizer report,
#    an exception other than InputError, or an input taking over 10 s fails the
#    test and leaves the input in ${WORK_DIR}.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/corpus)
file(GLOB regressions ${REGRESSIONS}/*)
list(FILTER regressions EXCLUDE REGEX "/README[^/]*$")
if(regressions)
  execute_process(COMMAND ${FUZZER} ${regressions} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${FUZZER} fails on a regression input of ${REGRESSIONS} (exit ${rc})")
  endif()
endif()
file(GLOB seeds ${CORPUS}/*)
file(COPY ${seeds} DESTINATION ${WORK_DIR}/corpus)
# -seed: the same mutations each run, as far as the time allows.
execute_process(COMMAND ${FUZZER} -seed=1 -max_total_time=${SECONDS} -timeout=10 -rss_limit_mb=2048
                        -print_final_stats=1 -artifact_prefix=${WORK_DIR}/ ${WORK_DIR}/corpus
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(GLOB found ${WORK_DIR}/crash-* ${WORK_DIR}/leak-* ${WORK_DIR}/timeout-* ${WORK_DIR}/oom-*)
  message(FATAL_ERROR "${FUZZER} found a failing input (exit ${rc}): ${found}\n"
                      "Fix it and add the input to ${REGRESSIONS}/ (docs/testing.md).")
endif()
