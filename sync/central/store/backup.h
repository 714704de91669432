#pragma once
// cmetrack-central backup and restore: an online copy of central.db, made
// while serve keeps storing batches, and putting one back.
//
//   backup:  central.db ──SQLite backup API, one read transaction──> FILE.partial
//            ──integrity check, fsync──> FILE (whole or not at all)
//   restore: FILE ──checked──> central.db (through SQLite: atomic for any
//            reader, a serve still running included)
#include <string>

#include "shared/error.h"

namespace cmetrack::central {

struct backup_options {
  std::string data;
  std::string out;
};
struct restore_options {
  std::string data;
  std::string from;
};

// The copy is one snapshot: every batch acknowledged before the command
// started is in it, and no batch is in it in part.
result<std::string> run_backup(const backup_options& o);
result<std::string> run_restore(const restore_options& o);

}  // namespace cmetrack::central
