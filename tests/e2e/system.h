#pragma once
// Pieces of a whole cmetrack system for the end-to-end tests: certificates,
// a central node that can be killed and restarted on its port, and reading
// the stores the processes leave behind.
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/support/live_process.h"
#include "tests/support/temp_dir.h"

namespace cmetrack::test {

// The demo meeting of assets/demo (4 rooms R01-R04, badges DEMO26-nnnnnn).
std::string demo_meeting();

// A command line whose standard error goes to `log` (appended), so a chatty
// process never blocks on a full pipe. `prefix` goes before the program,
// e.g. {"faketime", "-f", "-10m"}.
std::vector<std::string> logged(const std::vector<std::string>& argv, const std::string& log,
                                 const std::vector<std::string>& prefix = {});

// The port of a first line such as `listening on https://127.0.0.1:4711`.
int port_of(const std::string& line);

// `cmetrack-central serve` over TLS on 127.0.0.1 with the data directory
// dir/central and the certificates of make_test_pki(dir) (ca.pem, server.pem,
// server.key; tests/support/test_pki.h). The first start picks
// a free port; restarts keep it. Its log goes to dir/central.log.
class central_node {
 public:
  explicit central_node(const temp_dir& dir, std::vector<std::string> prefix = {});
  void start();
  void kill();  // SIGKILL
  void stop();  // SIGTERM; the exit status must be 0
  int port() const { return port_; }
  std::string url() const;

 private:
  const temp_dir& dir_;
  std::vector<std::string> prefix_;
  int port_ = 0;
  std::unique_ptr<live_process> process_;
};

// One number (the first column of the first row) or the first column of
// every row, read from an SQLite file while its writers may still run.
std::int64_t query_number(const std::string& db_path, const std::string& sql);
std::set<std::string> query_texts(const std::string& db_path, const std::string& sql);

}  // namespace cmetrack::test
