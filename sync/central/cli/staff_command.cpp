#include "sync/central/cli/staff_command.h"

#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>

#include "shared/time.h"
#include "sync/central/cli/command_list.h"
#include "sync/central/store/staff_users.h"
#include "sync/central/store/store.h"

namespace cmetrack::central {
namespace {

result<void> check_user_name(const std::string& user) {
  if (user.empty() || user.size() > 64)
    return bad_input("--user: a staff user name is 1 to 64 characters, such as desk1 or jane.doe");
  for (const char c : user)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
      return bad_input(fmt::format("--user: \"{}\" holds a space or control character; use letters, digits, . - _ @",
                                   user));
  return {};
}

}  // namespace

result<std::string> run_staff(const staff_options& o) {
  if (auto r = check_user_name(o.user); !r) return std::unexpected(r.error());
  std::string password;
  if (o.password_stdin) {
    std::getline(std::cin, password);
    while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) password.pop_back();
    if (password.size() < 8)
      return bad_input("--password-stdin: the password (the first line of standard input) must be at least 8 "
                       "characters");
  } else {
    auto made = new_password();
    if (!made) return std::unexpected(made.error());
    password = std::move(*made);
  }
  auto db = open_store(o.data, open_mode::existing);
  if (!db) return std::unexpected(db.error());
  auto change = set_staff_user(*db, o.user, password, now_ms());
  if (!change) return std::unexpected(change.error());
  if (change->created)
    fmt::print(stderr, "cmetrack-central: staff user \"{}\" created\n", o.user);
  else
    fmt::print(stderr, "cmetrack-central: staff user \"{}\" has a new password; its earlier API token and sessions are "
                       "revoked\n", o.user);
  if (!o.password_stdin)
    fmt::print(stderr, "cmetrack-central: password of \"{}\": {}  (made up; use --password-stdin to set your own)\n",
               o.user, password);
  return change->token + "\n";
}

void add_staff(CLI::App& app, int& status) {
  auto o = std::make_shared<staff_options>();
  auto* cmd =
      app.add_subcommand("staff", "Create a staff user (dashboard, desk) or set a new password; prints an API token");
  cmd->add_option("--data", o->data, "Data directory")->required();
  cmd->add_option("--user", o->user, "Staff user name")->required();
  cmd->add_flag("--password-stdin", o->password_stdin,
                "Read the password from the first line of standard input; without it, one is made up and shown on "
                "standard error");
  cmd->callback([o, &status] { status = finish(run_staff(*o)); });
}

}  // namespace cmetrack::central
