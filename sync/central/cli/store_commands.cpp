// init, ingest, backup, restore: the commands that make or fill central.db.
#include <cstdint>
#include <memory>

#include "sync/central/cli/command_list.h"
#include "sync/central/cli/commands.h"
#include "sync/central/store/backup.h"

namespace cmetrack::central {

void add_init(CLI::App& app, int& status) {
  auto o = std::make_shared<init_options>();
  auto* cmd = app.add_subcommand("init", "Create the data directory's central.db, or update its meeting");
  cmd->add_option("--data", o->data, "Data directory")->required();
  cmd->add_option("--meeting", o->meeting_file, "Meeting file (JSON)")->required();
  cmd->callback([o, &status] { status = finish(run_init(*o)); });
}

void add_ingest(CLI::App& app, int& status) {
  auto o = std::make_shared<ingest_options>();
  auto* cmd = app.add_subcommand("ingest", "Store the scans of a scans file (CSV); idempotent by scan id");
  cmd->add_option("--data", o->data, "Data directory")->required();
  cmd->add_option("file", o->scans_file, "Scans file (CSV)")->required();
  cmd->add_option("--commit-every", o->commit_every,
                  "Commit every N scans (and 100 ms), giving way between parts, rather than the whole file at "
                  "once; 0: the whole file at once. Default: 1000 while serve runs on the data directory (its "
                  "kiosks wait for one part, not the file), else 0. A fault leaves the parts before it stored")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000}));
  cmd->callback([o, &status] { status = finish(run_ingest(*o)); });
}

void add_backup(CLI::App& app, int& status) {
  auto o = std::make_shared<backup_options>();
  auto* cmd = app.add_subcommand("backup", "Copy central.db while serve runs (one consistent snapshot)");
  cmd->add_option("--data", o->data, "Data directory")->required();
  cmd->add_option("--out", o->out, "The copy to write (a new file)")->required();
  cmd->callback([o, &status] { status = finish(run_backup(*o)); });
}

void add_restore(CLI::App& app, int& status) {
  auto o = std::make_shared<restore_options>();
  auto* cmd = app.add_subcommand("restore", "Put a backup back as the data directory's central.db");
  cmd->add_option("--data", o->data, "Data directory (made where missing)")->required();
  cmd->add_option("--from", o->from, "A file backup wrote")->required();
  cmd->callback([o, &status] { status = finish(run_restore(*o)); });
}

}  // namespace cmetrack::central
