# -DCMETRACK_FUZZ=ON: the libFuzzer harnesses of tests/fuzz (run them with
# tests/fuzz/run.sh). Needs Clang (Debian's clang-14 and libclang-rt-14-dev,
# which deploy/setup.sh installs): configure with CC=clang-14 CXX=clang++-14.
# Every target of the project is then compiled with coverage for the fuzzer
# and with AddressSanitizer and UndefinedBehaviorSanitizer (any report
# aborts, so the fuzzer keeps the input); the harnesses link libFuzzer.
# Build only the fuzz targets (`--target cmetrack_fuzzers`) in such a build:
# the kiosk and the tests are not what is fuzzed.
option(CMETRACK_FUZZ "Build the libFuzzer harnesses of tests/fuzz (Clang only)" OFF)

if(CMETRACK_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CMETRACK_FUZZ=ON needs Clang for libFuzzer, but the C++ compiler is "
                        "${CMAKE_CXX_COMPILER_ID} (${CMAKE_CXX_COMPILER}). Configure a separate build directory "
                        "with CC=clang-14 CXX=clang++-14 (deploy/setup.sh installs them), or use tests/fuzz/run.sh.")
  endif()
  set(_flags -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(cmetrack_sanitizers INTERFACE ${_flags})
  target_link_options(cmetrack_sanitizers INTERFACE ${_flags})
  # libstdc++'s own checks (an index past a vector's or string's end, front()
  # of an empty one) crash too; cmake/warnings.cmake's -Wno-restrict and the
  # like are GCC's.
  target_compile_options(cmetrack_sanitizers INTERFACE -D_GLIBCXX_ASSERTIONS -Wno-unknown-warning-option)
  # libstdc++ 12 defines std::expected only where the compiler claims C++20
  # concepts in full, which Debian 12's Clang 14 (and 16) do not (no P0848):
  # the fuzz build supplies the part the product uses (tests/fuzz/compat).
  target_include_directories(cmetrack_sanitizers SYSTEM BEFORE INTERFACE ${PROJECT_SOURCE_DIR}/tests/fuzz/compat)
endif()
