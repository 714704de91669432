#pragma once
// A kiosk's side for the agent's tests: its files in a temporary directory
// (kiosk.json pointing at a fake or real central node, kiosk.db provisioned
// with the worked example's room A), scans put in its outbox the way the
// kiosk does, and cmetrack-sync running as a process whose log (standard
// error) goes to a file the test reads while it runs.
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/store/kiosk_store.h"
#include "tests/support/temp_dir.h"

namespace cmetrack::test {

class kiosk_site {
 public:
  kiosk_site();
  std::string config() const { return dir / "kiosk.json"; }
  std::string db() const { return dir / "kiosk.db"; }

  // kiosk.json for K-A1 at room A, door A1.
  void write_config(const std::string& central_url, const std::string& token, const std::string& ca_pem);
  // The same with several central nodes: `central_url` where given, and
  // `central_urls`.
  void write_config(const std::optional<std::string>& central_url, const std::vector<std::string>& central_urls,
                    const std::string& token, const std::string& ca_pem);
  kiosk::kiosk_store& store() { return *store_; }

  // `n` scans committed to the outbox in one transaction, as a batch of a
  // busy door; returns their ids by seq.
  std::vector<std::string> add_scans(int n);
  // One scan recorded as the kiosk records it (scan_intake, its own
  // transaction); returns its id.
  std::string record_scan(const std::string& payload = "TAM26-000001");

  std::vector<kiosk::scan_row> scans() { return *store_->all_scans(); }
  std::int64_t backlog() { return *store_->backlog(); }

  // cmetrack-sync --config ... --db ... --seed 7, then `extra`.
  std::vector<std::string> agent_args(const std::vector<std::string>& extra = {}) const;

  temp_dir dir;

 private:
  std::unique_ptr<kiosk::kiosk_store> store_;
  time_ms next_at_;
};

// The worked example meeting with the "kiosk" object the config endpoint
// adds: the body of GET /api/v1/kiosk/config. `extra_attendee` adds badge
// 000777, Noor, to the roster.
std::string kiosk_config_body(bool extra_attendee = false);

// cmetrack-sync (or any of the project's executables) running, its
// standard output and error appended to `log_path`.
class agent_process {
 public:
  agent_process(const std::vector<std::string>& argv, std::string log_path);
  ~agent_process();  // SIGKILL where still running
  agent_process(const agent_process&) = delete;
  agent_process& operator=(const agent_process&) = delete;

  void signal(int sig);
  // The exit status (-1 when a signal ended it); nothing where it is still
  // running at the timeout.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  std::string log() const;
  // Polls the log until it holds `text` or the timeout passes.
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

// Times `text` occurs in `haystack`.
int count_of(const std::string& haystack, const std::string& text);

}  // namespace cmetrack::test
