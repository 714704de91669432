# Every dependency comes from Debian's packages (deploy/setup.sh installs
# them); nothing is downloaded at build time.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)
find_package(fmt 9 REQUIRED)
find_package(CLI11 REQUIRED)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)

# The meeting's wall clock (shared/meeting_zone): H. Hinnant's date/tz, as
# Debian builds it, reads the system's zones (/usr/share/zoneinfo, tzdata;
# USE_OS_TZDB=1, which date::date-tz passes on) and never downloads one.
find_package(date CONFIG REQUIRED)

# The kiosk's window: Dear ImGui (Debian's libimgui.a holds the GLFW and
# OpenGL3 backends; no pkg-config file), GLFW 3.3, OpenGL; image files (stb)
# for camera frames, --frames and --screenshot; ZXing-cpp for barcodes.
find_package(glfw3 3.3 REQUIRED)
find_package(OpenGL REQUIRED)
find_path(IMGUI_INCLUDE_DIR imgui.h PATH_SUFFIXES imgui REQUIRED)
find_library(IMGUI_LIBRARY NAMES libimgui.a imgui REQUIRED)
add_library(cmetrack_imgui INTERFACE)
add_library(cmetrack::imgui ALIAS cmetrack_imgui)
target_include_directories(cmetrack_imgui SYSTEM INTERFACE ${IMGUI_INCLUDE_DIR})
target_link_libraries(cmetrack_imgui INTERFACE ${IMGUI_LIBRARY} glfw OpenGL::GL ${CMAKE_DL_LIBS})
pkg_check_modules(STB REQUIRED IMPORTED_TARGET stb)
find_package(ZXing 1.4 REQUIRED)

# The sync path: Boost.Asio and Beast, OpenSSL for TLS and token hashes.
# Both are header-only libraries that can be compiled once instead
# (BOOST_*_SEPARATE_COMPILATION): cmetrack::asio holds their compiled part
# (asio_beast.cpp), and every target that uses them links it, which cuts
# the compile time of each file that includes them.
find_package(Boost 1.74 REQUIRED)
find_package(OpenSSL 3 REQUIRED)
add_library(cmetrack_asio STATIC ${CMAKE_CURRENT_LIST_DIR}/asio_beast.cpp)
add_library(cmetrack::asio ALIAS cmetrack_asio)
target_compile_definitions(cmetrack_asio PUBLIC BOOST_ASIO_SEPARATE_COMPILATION BOOST_BEAST_SEPARATE_COMPILATION)
target_link_libraries(cmetrack_asio PUBLIC Boost::headers OpenSSL::SSL OpenSSL::Crypto Threads::Threads
                                     PRIVATE cmetrack_sanitizers)

# Transcripts as PDF (cmetrack-central): cairo 1.16, and fontconfig (to free
# its font cache at exit).
pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo)
pkg_check_modules(FONTCONFIG REQUIRED IMPORTED_TARGET fontconfig)

# The provider's archive on PostgreSQL (cmetrack-central archive, learner).
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
