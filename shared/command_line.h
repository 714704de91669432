#pragma once
// Every cmetrack executable parses its command line the same way (CLI11):
// --help and --version print and exit 0; a usage error is printed, naming
// the option at fault, and exits 2. Header-only: the executables link CLI11.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <optional>

namespace cmetrack {

// Nothing when the program should go on; otherwise the status to exit with.
inline std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "{}: {}\nRun with --help for usage.\n", app.get_name(), e.what());
    return 2;
  }
  return std::nullopt;
}

}  // namespace cmetrack
