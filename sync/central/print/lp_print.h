#pragma once
// Printing through CUPS: a PDF handed to the `lp` command (found on PATH),
// as the registration desk prints transcripts and badges. No CUPS library:
// lp is what an operator would run by hand, and what a test can stand in for.
#include <optional>
#include <string>

#include "shared/error.h"

namespace cmetrack::central {

// Runs `lp [-d PRINTER] -t TITLE PDF` and waits for it (lp has the file
// spooled when it exits). Returns what lp printed ("request id is ...").
// No lp on PATH: bad input saying how to install it or print a PDF by hand;
// lp failing: a failure carrying its exit status and standard error.
result<std::string> print_with_lp(const std::string& pdf, const std::string& title,
                                  const std::optional<std::string>& printer);

// A new empty file for a PDF on its way to the printer, in $TMPDIR (or
// /tmp), removed when this object goes.
class temporary_pdf {
 public:
  static result<temporary_pdf> create(const std::string& stem);
  temporary_pdf(temporary_pdf&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  temporary_pdf& operator=(temporary_pdf&&) = delete;
  temporary_pdf(const temporary_pdf&) = delete;
  ~temporary_pdf();
  const std::string& path() const { return path_; }

 private:
  explicit temporary_pdf(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace cmetrack::central
