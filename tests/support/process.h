#pragma once
// Runs one of the project's executables (or any program) to completion, as
// a user would from a shell, and returns what it printed and its exit status.
#include <string>
#include <vector>

namespace cmetrack::test {

struct process_result {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;
  std::string err;
};

// A started process and our ends of its standard input, output and error.
struct spawned {
  int pid = -1;
  int in = -1, out = -1, err = -1;
};

// Starts argv (argv[0] looked up in build/bin/ when it has no slash) with
// three pipes; throws where it cannot. SIGPIPE is ignored from then on, so
// writing to a process that died is an error, not a signal.
spawned spawn(const std::vector<std::string>& argv);

// argv[0] is looked up in build/bin/ when it has no slash. `input` is fed to
// standard input. Gives up (and kills the process) after timeout_seconds.
process_result run(const std::vector<std::string>& argv, const std::string& input = "", int timeout_seconds = 120);

// The full path of one of the project's executables in build/bin/.
std::string bin(const std::string& name);

}  // namespace cmetrack::test
