#include "tests/sync/agent/agent_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "kiosk/store/kiosk_config.h"
#include "kiosk/core/scan_intake.h"
#include "shared/meeting_import.h"
#include "shared/sqlite/transaction.h"
#include "tests/support/process.h"

extern char** environ;

namespace cmetrack::test {

namespace {
void require(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}
std::string worked_example_file() { return std::string(CMETRACK_TEST_DATA) + "/worked_example.json"; }
}  // namespace

kiosk_site::kiosk_site() : next_at_(*parse_iso8601("2026-04-24T08:00:00-04:00")) {
  auto s = kiosk::kiosk_store::open(db());
  require(s.has_value(), "cannot open kiosk.db");
  store_ = std::make_unique<kiosk::kiosk_store>(std::move(*s));
  auto m = read_meeting_file(worked_example_file());
  require(m.has_value(), "cannot read the worked example");
  require(store_->cache_meeting(m->meeting, "A").has_value(), "cannot cache the worked example");
}

void kiosk_site::write_config(const std::string& central_url, const std::string& token, const std::string& ca_pem) {
  nlohmann::json doc = {{"kiosk", "K-A1"}, {"room", "A"},          {"door", "A1"},
                        {"mode", "auto"},  {"central_url", central_url}, {"token", token}};
  if (!ca_pem.empty()) doc["ca_cert"] = ca_pem;
  write_file(config(), doc.dump(2));
}

void kiosk_site::write_config(const std::optional<std::string>& central_url,
                              const std::vector<std::string>& central_urls, const std::string& token,
                              const std::string& ca_pem) {
  nlohmann::json doc = {{"kiosk", "K-A1"}, {"room", "A"}, {"door", "A1"}, {"mode", "auto"}, {"token", token}};
  if (central_url) doc["central_url"] = *central_url;
  doc["central_urls"] = central_urls;
  if (!ca_pem.empty()) doc["ca_cert"] = ca_pem;
  write_file(config(), doc.dump(2));
}

std::vector<std::string> kiosk_site::add_scans(int n) {
  std::vector<std::string> ids;
  auto tx = store_->begin_transaction();
  require(tx.has_value(), "cannot begin");
  auto seq = store_->next_seq();
  require(seq.has_value(), "next_seq");
  for (int i = 0; i < n; ++i) {
    kiosk::scan_row r;
    r.id = kiosk::new_scan_id();
    r.seq = *seq + i;
    r.payload = i % 2 ? "TAM26-000001" : "000002";
    r.badge = i % 2 ? "000001" : "000002";
    r.room = "A";
    r.door = "A1";
    r.direction = direction::automatic;
    r.at = next_at_ += 1500;
    r.source = "test";
    r.result = "checked_in";
    require(store_->insert_scan(r).has_value(), "insert_scan");
    ids.push_back(r.id);
  }
  require(tx->commit().has_value(), "commit");
  return ids;
}

std::string kiosk_site::record_scan(const std::string& payload) {
  kiosk::kiosk_config c;
  c.kiosk = "K-A1";
  c.room = "A";
  c.door = "A1";
  auto intake = kiosk::scan_intake::create(*store_, c);
  require(intake.has_value(), "scan_intake::create");
  const auto outcome = intake->record(payload, next_at_ += 60'000, "test");
  require(outcome.result != kiosk::scan_result::error, "record: " + outcome.reason);
  return outcome.id;
}

std::vector<std::string> kiosk_site::agent_args(const std::vector<std::string>& extra) const {
  std::vector<std::string> a = {"cmetrack-sync", "--config", config(), "--db", db(), "--seed", "7"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

std::string kiosk_config_body(bool extra_attendee) {
  auto doc = nlohmann::json::parse(read_file(worked_example_file()));
  if (extra_attendee) doc["attendees"].push_back({{"badge", "000777"}, {"first_name", "Noor"}, {"last_name", "Haddad"}});
  doc["kiosk"] = {{"id", "K-A1"}, {"room", "A"}, {"door", "A1"}, {"mode", "auto"}};
  return doc.dump();
}

agent_process::agent_process(const std::vector<std::string>& argv, std::string log_path)
    : log_path_(std::move(log_path)) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> args = argv;
  if (args.at(0).find('/') == std::string::npos) args[0] = bin(args[0]);
  std::vector<char*> c_args;
  for (auto& a : args) c_args.push_back(a.data());
  c_args.push_back(nullptr);
  const int rc = posix_spawn(&pid_, c_args[0], &actions, nullptr, c_args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  require(rc == 0, "cannot start " + args[0]);
}

agent_process::~agent_process() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void agent_process::signal(int sig) {
  if (pid_ > 0) kill(pid_, sig);
}

std::optional<int> agent_process::wait_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return std::nullopt;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::string agent_process::log() const { return read_file(log_path_); }

bool agent_process::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (log().find(text) != std::string::npos) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

int count_of(const std::string& haystack, const std::string& text) {
  int n = 0;
  for (std::size_t at = haystack.find(text); at != std::string::npos; at = haystack.find(text, at + text.size())) ++n;
  return n;
}

}  // namespace cmetrack::test
