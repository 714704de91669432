#include "tests/e2e/system.h"

#include <catch2/catch.hpp>
#include <signal.h>
#include <sqlite3.h>

#include "tests/support/process.h"

namespace cmetrack::test {

std::string demo_meeting() { return std::string(CMETRACK_SOURCE_DIR) + "/assets/demo/meeting.json"; }

std::vector<std::string> logged(const std::vector<std::string>& argv, const std::string& log,
                                const std::vector<std::string>& prefix) {
  std::string cmd = "exec";
  for (const auto& a : prefix) cmd += " '" + a + "'";
  for (const auto& a : argv) cmd += " '" + a + "'";
  return {"/bin/sh", "-c", cmd + " 2>>'" + log + "'"};
}

int port_of(const std::string& line) {
  const auto colon = line.rfind(':');
  INFO(line);
  REQUIRE(colon != std::string::npos);
  return std::stoi(line.substr(colon + 1));
}

central_node::central_node(const temp_dir& dir, std::vector<std::string> prefix)
    : dir_(dir), prefix_(std::move(prefix)) {}

void central_node::start() {
  process_ = std::make_unique<live_process>(
      logged({bin("cmetrack-central"), "serve", "--data", dir_ / "central", "--listen",
              "127.0.0.1:" + std::to_string(port_), "--tls-cert", dir_ / "server.pem", "--tls-key",
              dir_ / "server.key"},
             dir_ / "central.log", prefix_));
  const auto& lines = process_->read_lines(1, 30'000);
  INFO(read_file(dir_ / "central.log"));
  REQUIRE(lines.size() == 1);
  port_ = port_of(lines[0]);
}

void central_node::kill() {
  process_->signal(SIGKILL);
  process_->wait();
  process_.reset();
}

void central_node::stop() {
  process_->signal(SIGTERM);
  CHECK(process_->wait() == 0);
  process_.reset();
}

std::string central_node::url() const { return "https://127.0.0.1:" + std::to_string(port_); }

namespace {

struct reader {
  explicit reader(const std::string& path, const std::string& sql) {
    INFO(path);
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_busy_timeout(db, 10'000);
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK);
  }
  ~reader() {
    sqlite3_finalize(statement);
    sqlite3_close(db);
  }
  sqlite3* db = nullptr;
  sqlite3_stmt* statement = nullptr;
};

}  // namespace

std::int64_t query_number(const std::string& db_path, const std::string& sql) {
  reader r(db_path, sql);
  REQUIRE(sqlite3_step(r.statement) == SQLITE_ROW);
  return sqlite3_column_int64(r.statement, 0);
}

std::set<std::string> query_texts(const std::string& db_path, const std::string& sql) {
  reader r(db_path, sql);
  std::set<std::string> out;
  while (sqlite3_step(r.statement) == SQLITE_ROW)
    out.emplace(reinterpret_cast<const char*>(sqlite3_column_text(r.statement, 0)));
  return out;
}

}  // namespace cmetrack::test
