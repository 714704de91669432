// cmetrack-central: the central node's command line (docs/formats.md,
// "cmetrack-central"). The commands, in the order --help shows them; each
// registers its options and what it runs (command_list.h).
// Exit status: 0 success, 2 bad input or usage, 1 any other failure.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <string>
#include <string_view>

#include "shared/command_line.h"
#include "shared/version.h"
#include "sync/central/cli/command_list.h"

int main(int argc, char** argv) {
  using namespace cmetrack::central;
  CLI::App app{"cmetrack-central: the central node of cmetrack. It stores every scan once and turns\n"
               "scans into stays, minutes and AMA PRA Category 1 credit.",
               "cmetrack-central"};
  app.set_version_flag("--version", std::string(cmetrack::version));
  app.require_subcommand(1);

  int status = 0;
  for (const add_command add : {add_init, add_ingest, add_transcript, add_learner, add_archive, add_badges, add_rooms, add_sharing, add_export,
                                add_enroll, add_revoke, add_kiosks, add_staff, add_backup, add_restore, add_serve})
    add(app, status);

  // CLI11 would only say "A subcommand is required": name the word instead.
  const auto commands = app.get_subcommands({});
  std::string names;
  bool known = false;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    names += (i == 0 ? "" : i + 1 == commands.size() ? " or " : ", ") + commands[i]->get_name();
    if (argc > 1 && commands[i]->get_name() == argv[1]) known = true;
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    fmt::print(stderr, "cmetrack-central: unknown command \"{}\"; use {}\nRun with --help for usage.\n", argv[1],
               names);
    return 2;
  }
  if (argc > 1 && argv[1][0] == '-' && argc == 2 && std::string_view(argv[1]) != "--help" &&
      std::string_view(argv[1]) != "-h" && std::string_view(argv[1]) != "--version") {
    fmt::print(stderr, "cmetrack-central: unknown option \"{}\"\nRun with --help for usage.\n", argv[1]);
    return 2;
  }
  for (auto* sub : commands) sub->set_version_flag("--version", std::string(cmetrack::version));

  if (const auto parsed = cmetrack::parse_command_line(app, argc, argv)) return *parsed;
  return status;  // what the command's callback set
}
