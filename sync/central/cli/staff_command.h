#pragma once
// cmetrack-central staff: creates a staff user or sets a new password, and
// prints the user's API token (for scripts; the pages log in instead).
#include <string>

#include "shared/error.h"

namespace cmetrack::central {

struct staff_options {
  std::string data;
  std::string user;
  bool password_stdin = false;  // else a password is made up and shown on standard error
};

result<std::string> run_staff(const staff_options& o);

}  // namespace cmetrack::central
