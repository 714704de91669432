#pragma once
// What went wrong, said for a person: the file, line or field at fault and
// what to do. Returned at I/O, parsing and database boundaries. Its kind
// says what sort of fault it is, so that callers choose an exit status or an
// HTTP answer by the kind, never by the message's text.
#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace cmetrack {

enum class error_kind {
  bad_input,  // the caller's file, field or argument is wrong: exit status 2
  not_found,  // what the caller named is not there (a badge not on the roster, a kiosk never
              // enrolled): exit status 2, as for bad input; serve answers 404
  conflict,   // the change contradicts what is stored (a constraint or trigger of the store
              // refused it): exit status 1
  io,         // a file or store could not be read or written (a disk fault, a corrupt or
              // unopenable database): exit status 1
  disk_full,  // a store's disk is full (serve answers 507): exit status 1
  failure,    // anything else: exit status 1
};

struct error {
  error_kind kind = error_kind::bad_input;
  std::string message;
};

template <class T>
using result = std::expected<T, error>;

inline std::unexpected<error> bad_input(std::string message) {
  return std::unexpected(error{error_kind::bad_input, std::move(message)});
}

inline std::unexpected<error> not_found(std::string message) {
  return std::unexpected(error{error_kind::not_found, std::move(message)});
}

inline std::unexpected<error> failure(std::string message) {
  return std::unexpected(error{error_kind::failure, std::move(message)});
}

// The same error, of the same kind, its message led by what was being done:
// with_context("cannot read the claims", e) says "cannot read the claims:
// central.db: disk I/O error (code 266)".
inline std::unexpected<error> with_context(std::string_view what, const error& e) {
  return std::unexpected(error{e.kind, std::string(what) + ": " + e.message});
}

// The exit status of a command that ends with `e` (docs/formats.md, "Exit
// status"): 2 where the caller's input is at fault, 1 for the rest.
inline int exit_status(const error& e) {
  return e.kind == error_kind::bad_input || e.kind == error_kind::not_found ? 2 : 1;
}

}  // namespace cmetrack

// Returns the error of a result-returning expression from the enclosing
// function, which must itself return a result.
#define CMETRACK_TRY(expr) \
  if (auto&& cmetrack_try_ = (expr); !cmetrack_try_) return std::unexpected(cmetrack_try_.error())
