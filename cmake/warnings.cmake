# Warnings, as errors, for the project's own code only: linked into each of
# its targets through this INTERFACE target, never applied to dependencies.
# (-Wnull-dereference is left out: with optimisation, GCC 12 reports false
# positives from inside the standard library and CLI11 headers; -Wrestrict
# is off for its false positives on std::string at -O3, GCC bug 105651;
# -Wmismatched-new-delete for its false positives on coroutine frames with a
# class-specific operator new/delete, Boost.Asio's awaitables, under the
# sanitizers with optimisation.)
option(CMETRACK_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" ON)

add_library(cmetrack_warnings INTERFACE)
add_library(cmetrack::warnings ALIAS cmetrack_warnings)
target_compile_options(cmetrack_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  -Wno-restrict -Wno-mismatched-new-delete -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  $<$<BOOL:${CMETRACK_WARNINGS_AS_ERRORS}>:-Werror>)
