# cmake -P script of the <name>_build tests (tests/sanitizers/CMakeLists.txt):
# configures a clang build with DESIST_SANITIZE=${SANITIZE} in ${BINARY_DIR}
# (the C++ tests only: no Python module, no MPI) and builds ${TARGETS} in it.
if(NOT EXISTS ${BINARY_DIR}/CMakeCache.txt)
  set(launcher)
  if(LAUNCHER)
    set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${LAUNCHER} -DCMAKE_C_COMPILER_LAUNCHER=${LAUNCHER})
  endif()
  # -O1: sanitizers find the same faults as at -O2, and the build is quicker;
  # assertions stay on.
  execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G ${GENERATOR}
            -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g"
            "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g"
            -DCMAKE_CXX_COMPILER=${CXX} -DCMAKE_C_COMPILER=${CC} ${launcher}
            -DDESIST_SANITIZE=${SANITIZE}
            -DDESIST_BUILD_PYTHON=OFF -DDESIST_WITH_MPI=OFF
    COMMAND_ERROR_IS_FATAL ANY)
endif()
string(REPLACE "," ";" targets "${TARGETS}")
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} -j ${JOBS} --target ${targets}
                COMMAND_ERROR_IS_FATAL ANY)
