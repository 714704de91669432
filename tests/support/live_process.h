#pragma once
// A running process with live pipes: write to its standard input while
// reading its standard output line by line, then signal it or close its
// input and wait. For the headless kiosk's crash and SIGTERM tests.
#include <sys/types.h>

#include <string>
#include <vector>

namespace cmetrack::test {

class live_process {
 public:
  explicit live_process(const std::vector<std::string>& argv);  // argv[0] as in run(): looked up in build/bin/
  ~live_process();  // kills a process still running
  live_process(const live_process&) = delete;
  live_process& operator=(const live_process&) = delete;

  void write(const std::string& text);  // blocks until written
  void close_input();
  // Reads until `count` whole lines have come in all, the output ends, or
  // the timeout passes. Returns the whole lines read so far.
  const std::vector<std::string>& read_lines(std::size_t count, int timeout_ms);
  // Reads to the end of the output (the process exited or was killed).
  const std::vector<std::string>& read_to_end(int timeout_ms);
  void signal(int sig);
  // Waits for exit: the exit status, or -1 when a signal ended it.
  int wait();
  std::string error_output();  // what it wrote to stderr (after wait)

 private:
  bool read_some(int timeout_ms);  // false at the end of the output
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::string partial_;
  std::vector<std::string> lines_;
};

}  // namespace cmetrack::test
