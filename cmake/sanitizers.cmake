# -DCMETRACK_SANITIZE=ON builds everything with AddressSanitizer and
# UndefinedBehaviorSanitizer; any report aborts the process, so a test that
# trips one fails.
option(CMETRACK_SANITIZE "Build with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)

add_library(cmetrack_sanitizers INTERFACE)
add_library(cmetrack::sanitizers ALIAS cmetrack_sanitizers)
if(CMETRACK_SANITIZE)
  set(_flags -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(cmetrack_sanitizers INTERFACE ${_flags})
  target_link_options(cmetrack_sanitizers INTERFACE ${_flags})
endif()

# Every target of the project links both.
add_library(cmetrack_options INTERFACE)
add_library(cmetrack::options ALIAS cmetrack_options)
target_link_libraries(cmetrack_options INTERFACE cmetrack::warnings cmetrack::sanitizers)
