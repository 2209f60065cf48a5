# DESIST_SANITIZE instruments everything this build compiles (clang only). The
# sanitizer tests (tests/sanitizers) make such builds beside the ordinary one:
#   address  AddressSanitizer + UndefinedBehaviorSanitizer, any report fatal,
#            plus libFuzzer's coverage hooks so the fuzz targets (tests/fuzz)
#            see into the loaders;
#   thread   ThreadSanitizer, with the kernel's loops on std::threads rather
#            than TBB (DESIST_STD_THREADS, desist/parallel.hpp): TSan cannot see
#            the synchronisation inside Debian's uninstrumented libtbb.
set(DESIST_SANITIZE "" CACHE STRING "Instrument the build: address (ASan+UBSan, fuzz targets) or thread (TSan)")
set_property(CACHE DESIST_SANITIZE PROPERTY STRINGS "" address thread)
if(DESIST_SANITIZE STREQUAL "address")
  set(desist_sanitize -fsanitize=address,undefined -fno-sanitize-recover=all)
  add_compile_options(-fsanitize=fuzzer-no-link)
elseif(DESIST_SANITIZE STREQUAL "thread")
  set(desist_sanitize -fsanitize=thread)
  add_compile_definitions(DESIST_STD_THREADS)
elseif(NOT DESIST_SANITIZE STREQUAL "")
  message(FATAL_ERROR "DESIST_SANITIZE='${DESIST_SANITIZE}': allowed values are address, thread or empty")
endif()
if(DESIST_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "DESIST_SANITIZE=${DESIST_SANITIZE} needs clang (CMAKE_CXX_COMPILER=clang++-14), "
                        "not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  # Frame pointers and line tables: reports with whole stacks and source lines.
  add_compile_options(${desist_sanitize} -fno-omit-frame-pointer -g)
  add_link_options(${desist_sanitize})
endif()
