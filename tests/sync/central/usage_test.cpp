// --help and --version of cmetrack-central and of each subcommand, and usage
// errors: exit 2 with a message on stderr naming the option at fault.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/sync/central/central_cli.h"

using Catch::Matchers::Contains;
using Catch::Matchers::Matches;
using cmetrack::test::temp_dir;
namespace t = cmetrack::test;

namespace {

struct subcommand {
  const char* name;
  std::vector<std::string> options;  // what its --help must list
};

const std::vector<subcommand> subcommands = {
    {"init", {"--data", "--meeting"}},
    {"ingest", {"--data", "file"}},
    {"transcript", {"--data", "--badge", "--all", "--json", "--now"}},
    {"learner", {"--data", "--id", "--json", "--pdf", "--requirement", "--now"}},
    {"archive", {"--data", "--to", "--now"}},
    {"rooms", {"--data", "--json", "--now"}},
    {"export", {"--data", "--scans", "--out"}},
};

const char* version_pattern = "[0-9]+\\.[0-9]+\\.[0-9]+\n";

}  // namespace

TEST_CASE("cmetrack-central --help lists every subcommand and exits 0", "[central][cli][usage]") {
  const auto r = t::central({"--help"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Contains("Usage: cmetrack-central"));
  for (const auto& s : subcommands) CHECK_THAT(r.out, Contains(std::string("\n  ") + s.name + " "));
  CHECK(r.err.empty());
}

TEST_CASE("cmetrack-central --version prints the version and exits 0", "[central][cli][usage]") {
  const auto r = t::central({"--version"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Matches(version_pattern));
  CHECK(r.err.empty());
}

TEST_CASE("each subcommand's --help shows its usage and options and exits 0", "[central][cli][usage]") {
  for (const auto& s : subcommands) {
    DYNAMIC_SECTION(s.name) {
      const auto r = t::central({s.name, "--help"});
      CHECK(r.exit_code == 0);
      CHECK_THAT(r.out, Contains(std::string("Usage: cmetrack-central ") + s.name));
      for (const auto& o : s.options) CHECK_THAT(r.out, Contains(o));
      CHECK(r.err.empty());
    }
  }
}

TEST_CASE("each subcommand's --version prints the version and exits 0", "[central][cli][usage]") {
  for (const auto& s : subcommands) {
    DYNAMIC_SECTION(s.name) {
      const auto r = t::central({s.name, "--version"});
      INFO("stderr: " << r.err);
      CHECK(r.exit_code == 0);
      CHECK_THAT(r.out, Matches(version_pattern));
    }
  }
}

TEST_CASE("an unknown option is refused with exit 2 and named on stderr", "[central][cli][usage]") {
  temp_dir dir;
  const auto data = dir / "data";
  const auto meeting = t::test_data("worked_example.json");
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"before the subcommand", {"--bogus", "init", "--data", data, "--meeting", meeting}},
      {"init", {"init", "--data", data, "--meeting", meeting, "--bogus"}},
      {"ingest", {"ingest", "--data", data, "--bogus", t::test_data("worked_example.csv")}},
      {"transcript", {"transcript", "--data", data, "--badge", "000001", "--json", "--bogus"}},
      {"rooms", {"rooms", "--data", data, "--json", "--bogus"}},
      {"export", {"export", "--data", data, "--scans", "--out", dir / "out.csv", "--bogus"}},
  };
  for (const auto& [name, args] : cases) {
    DYNAMIC_SECTION(name) {
      const auto r = t::central(args);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Contains("--bogus"));
      CHECK(r.out.empty());
      CHECK_FALSE(std::filesystem::exists(data));  // nothing written
    }
  }
}

TEST_CASE("a mistyped subcommand or a lone unknown option is named on stderr", "[central][cli][usage]") {
  SECTION("a mistyped subcommand") {
    const auto r = t::central({"transcipt", "--data", "x"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("transcipt"));
  }
  SECTION("an unknown option alone") {
    const auto r = t::central({"--bogus"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--bogus"));
  }
}

TEST_CASE("a missing required option is refused with exit 2 and named on stderr", "[central][cli][usage]") {
  temp_dir dir;
  const auto data = dir / "data";
  const auto meeting = t::test_data("worked_example.json");
  struct usage_case {
    std::string name;
    std::vector<std::string> args;
    std::string named;  // what stderr must name
  };
  const std::vector<usage_case> cases = {
      {"no subcommand", {}, "subcommand"},
      {"init without --data", {"init", "--meeting", meeting}, "--data"},
      {"init without --meeting", {"init", "--data", data}, "--meeting"},
      {"ingest without the file", {"ingest", "--data", data}, "file"},
      {"ingest without --data", {"ingest", t::test_data("worked_example.csv")}, "--data"},
      {"transcript without --badge or --all", {"transcript", "--data", data, "--json"}, "--badge"},
      {"transcript without --json", {"transcript", "--data", data, "--badge", "000001"}, "--json"},
      {"learner without --id", {"learner", "--data", data, "--json"}, "--id"},
      {"learner without --data", {"learner", "--id", "NPI-1", "--json"}, "--data"},
      {"archive without --to", {"archive", "--data", data}, "--to"},
      {"rooms without --json", {"rooms", "--data", data}, "--json"},
      {"rooms without --data", {"rooms", "--json"}, "--data"},
      {"export without --scans", {"export", "--data", data, "--out", dir / "out.csv"}, "--scans"},
      {"export without --out", {"export", "--data", data, "--scans"}, "--out"},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) {
      const auto r = t::central(c.args);
      CHECK(r.exit_code == 2);
      CHECK_THAT(r.err, Contains(c.named));
      CHECK(r.out.empty());
      CHECK_FALSE(std::filesystem::exists(data));
      CHECK_FALSE(std::filesystem::exists(dir / "out.csv"));
    }
  }
}

TEST_CASE("a command on a data directory that init never made says to run init, exit 2", "[central][cli][usage]") {
  temp_dir dir;
  const auto data = dir / "never-initialised";
  const auto r = t::central({"rooms", "--data", data, "--json"});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains(data) && Contains("init"));
  CHECK_FALSE(std::filesystem::exists(data));
}
