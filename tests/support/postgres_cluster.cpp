#include "tests/support/postgres_cluster.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "tests/support/process.h"

namespace cmetrack::test {

namespace {

// deploy/postgres-cluster.sh in the source tree (tests/data is CMETRACK_TEST_DATA).
std::string cluster_script() {
  return (std::filesystem::path(CMETRACK_TEST_DATA) / ".." / ".." / "deploy" / "postgres-cluster.sh")
      .lexically_normal()
      .string();
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  return text;
}

// Percent-encodes all but RFC 3986's unreserved characters.
std::string url_encoded(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~')
      out += c;
    else
      out += fmt::format("%{:02X}", u);
  }
  return out;
}

}  // namespace

std::string psql_path() {
  const std::string debian = "/usr/lib/postgresql/15/bin/psql";
  if (::access(debian.c_str(), X_OK) == 0) return debian;
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest = path;
    while (true) {
      const auto colon = rest.find(':');
      const std::string dir(rest.substr(0, colon));
      const std::string candidate = (dir.empty() ? "." : dir) + "/psql";
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  throw std::runtime_error("psql not found (" + debian + " or on PATH): run deploy/setup.sh (it installs postgresql-15)");
}

std::string psql(const std::string& url, const std::string& sql) {
  const auto r = run({psql_path(), "-v", "ON_ERROR_STOP=1", "-X", "-q", "-A", "-t", "-d", url, "-c", sql}, "", 60);
  if (r.exit_code != 0)
    throw std::runtime_error(fmt::format("psql on {} failed (exit {}) running: {}\n{}", url, r.exit_code, sql, r.err));
  return r.out;
}

postgres_cluster& postgres_cluster::shared() {
  static postgres_cluster cluster;
  return cluster;
}

postgres_cluster::postgres_cluster() {
  if (const char* url = std::getenv("CMETRACK_TEST_POSTGRES"); url && *url) {
    admin_url_ = url;
    return;
  }
  std::string pattern = (std::filesystem::temp_directory_path() / "cmetrack-pg-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  const std::string script = cluster_script();
  const auto r = run({"/bin/bash", script, "start", pattern}, "", 90);
  if (r.exit_code != 0) {
    run({"/bin/bash", script, "stop", pattern}, "", 60);
    throw std::runtime_error(fmt::format("{} start {} failed (exit {}):\n{}", script, pattern, r.exit_code, r.err));
  }
  dir_ = pattern;
  owner_pid_ = ::getpid();
  admin_url_ = trimmed(r.out);
}

postgres_cluster::~postgres_cluster() {
  // A forked child's exit must not stop its parent's cluster.
  if (dir_.empty() || ::getpid() != owner_pid_) return;
  try {
    const auto r = run({"/bin/bash", cluster_script(), "stop", dir_}, "", 60);
    if (r.exit_code != 0) std::cerr << "postgres_cluster: stopping the cluster in " << dir_ << " failed:\n" << r.err;
  } catch (const std::exception& e) {
    std::cerr << "postgres_cluster: stopping the cluster in " << dir_ << " failed: " << e.what() << "\n";
  }
}

std::string postgres_cluster::url_of(const std::string& database) const {
  std::string_view url = admin_url_;
  for (const std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (!url.starts_with(scheme)) continue;
    // scheme, authority, then "/DATABASE" and "?PARAMETERS", each optional.
    const auto authority_end = url.find_first_of("/?", scheme.size());
    const auto query = url.find('?', scheme.size());
    std::string out(url.substr(0, authority_end == std::string_view::npos ? url.size() : authority_end));
    out += "/" + url_encoded(database);
    if (query != std::string_view::npos) out += url.substr(query);
    return out;
  }
  // A key=value connection string: a later dbname overrides an earlier one.
  return admin_url_ + " dbname=" + database;
}

postgres_database::postgres_database() {
  static std::atomic<unsigned> counter{0};
  std::random_device random;
  name_ = fmt::format("cmetrack_test_{}_{}_{:08x}", ::getpid(), counter++, random());
  auto& cluster = postgres_cluster::shared();
  psql(cluster.admin_url(), "CREATE DATABASE " + name_);
  url_ = cluster.url_of(name_);
}

postgres_database::~postgres_database() {
  try {
    psql(postgres_cluster::shared().admin_url(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const std::exception& e) {
    std::cerr << "postgres_database: dropping " << name_ << " failed: " << e.what() << "\n";
  }
}

}  // namespace cmetrack::test
