// atomic_file: a file appears whole or not at all; what it leaves behind
// when dropped or when it cannot be made; its messages name the file.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "shared/atomic_file.h"
#include "tests/support/temp_dir.h"

using cmetrack::atomic_file;
using cmetrack::error_kind;
using cmetrack::write_file_atomically;
using cmetrack::test::read_file;
using cmetrack::test::temp_dir;

TEST_CASE("atomic_file: the file appears only at commit, whole, and no partial file stays", "[atomic_file]") {
  temp_dir dir;
  const std::string path = dir / "export.csv";
  auto file = atomic_file::create(path);
  REQUIRE(file);
  std::fputs("id,kiosk\n", file->stream());
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK(std::filesystem::exists(path + ".partial"));
  REQUIRE(file->commit());
  CHECK(read_file(path) == "id,kiosk\n");
  CHECK_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST_CASE("atomic_file: dropped without commit, nothing is left and an older file stays as it was", "[atomic_file]") {
  temp_dir dir;
  const std::string path = dir / "kiosk.json";
  REQUIRE(write_file_atomically(path, "old\n"));
  {
    auto file = atomic_file::create(path);
    REQUIRE(file);
    std::fputs("new, cut short", file->stream());
  }
  CHECK(read_file(path) == "old\n");
  CHECK_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST_CASE("atomic_file: a file for its owner only whatever the umask, and a missing directory named", "[atomic_file]") {
  temp_dir dir;
  const std::string path = dir / "k1.json";
  REQUIRE(write_file_atomically(path, "{}\n", 0600));
  const auto perms = std::filesystem::status(path).permissions();
  CHECK((perms & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));

  const std::string nowhere = dir / "no-such-dir/out.csv";
  const auto failed = write_file_atomically(nowhere, "x");
  REQUIRE_FALSE(failed);
  CHECK(failed.error().kind == error_kind::bad_input);
  CHECK(failed.error().message.find(nowhere + ": cannot write") != std::string::npos);
}

TEST_CASE("atomic_file: a full disk is an error of its own kind, and nothing is left", "[atomic_file]") {
  // /dev/full fails every write with ENOSPC; a file cannot be renamed over
  // it, but the flush already fails, which is what a full disk does.
  REQUIRE(std::filesystem::exists("/dev/full"));
  temp_dir dir;
  const std::string path = dir / "big.pdf";
  auto f = atomic_file::create(path);
  REQUIRE(f);
  // Point the stream at /dev/full: what is written cannot be flushed.
  REQUIRE(std::freopen("/dev/full", "wb", f->stream()) != nullptr);
  std::fputs("bytes", f->stream());
  const auto committed = f->commit();
  REQUIRE_FALSE(committed);
  CHECK(committed.error().kind == error_kind::disk_full);
  CHECK(committed.error().message.find(path + ": cannot write") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(path + ".partial"));
}

TEST_CASE("atomic_file: a directory in the way is the caller's fault, and nothing is left", "[atomic_file]") {
  temp_dir dir;
  const std::string path = dir / "report.pdf";
  std::filesystem::create_directory(path);
  const auto failed = write_file_atomically(path, "%PDF");
  REQUIRE_FALSE(failed);
  CHECK(failed.error().kind == error_kind::bad_input);
  CHECK(failed.error().message.find(path + ": cannot put the file in place") != std::string::npos);
  CHECK(std::filesystem::is_directory(path));
  CHECK_FALSE(std::filesystem::exists(path + ".partial"));
}
