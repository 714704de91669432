#pragma once
// What went wrong, said for a person: the file, line or field at fault and
// what to do. Returned at I/O, parsing and database boundaries.
#include <expected>
#include <string>
#include <utility>

namespace cmetrack {

enum class error_kind {
  bad_input,  // the caller's file, field or argument is wrong: exit status 2
  failure,    // anything else (I/O, database): exit status 1
  disk_full,  // a store's disk is full (serve answers 507): exit status 1
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

inline std::unexpected<error> failure(std::string message) {
  return std::unexpected(error{error_kind::failure, std::move(message)});
}

}  // namespace cmetrack

// Returns the error of a result-returning expression from the enclosing
// function, which must itself return a result.
#define CMETRACK_TRY(expr) \
  if (auto&& cmetrack_try_ = (expr); !cmetrack_try_) return std::unexpected(cmetrack_try_.error())
