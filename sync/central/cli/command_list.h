#pragma once
// The commands of cmetrack-central, each registered on the application by a
// function of its own: its options, its checks, and what it runs (a CLI11
// callback that sets the exit status). main.cpp holds the list, in the order
// --help shows them.
#include <CLI/CLI.hpp>

#include <string>

#include "shared/error.h"

namespace cmetrack::central {

// Prints what a command returned (standard output) or what went wrong
// (standard error); the exit status: 0, or 2 for bad input, 1 for the rest.
int finish(const result<std::string>& r);
// Says a usage fault the parser cannot see ("transcript needs --json ...");
// the exit status 2.
int usage_fault(const std::string& message);

using add_command = void (*)(CLI::App& app, int& status);

// store_commands.cpp
void add_init(CLI::App& app, int& status);
void add_ingest(CLI::App& app, int& status);
void add_backup(CLI::App& app, int& status);
void add_restore(CLI::App& app, int& status);
// report_commands.cpp
void add_transcript(CLI::App& app, int& status);
void add_learner(CLI::App& app, int& status);
void add_archive(CLI::App& app, int& status);
void add_rooms(CLI::App& app, int& status);
void add_sharing(CLI::App& app, int& status);
void add_export(CLI::App& app, int& status);
// badge_commands.cpp
void add_badges(CLI::App& app, int& status);
// kiosk_commands.cpp
void add_enroll(CLI::App& app, int& status);
void add_revoke(CLI::App& app, int& status);
void add_kiosks(CLI::App& app, int& status);
// staff_command.cpp
void add_staff(CLI::App& app, int& status);
// serve_command.cpp (the executable's: the library has no network side)
void add_serve(CLI::App& app, int& status);

}  // namespace cmetrack::central
