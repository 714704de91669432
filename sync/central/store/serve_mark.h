#pragma once
// Whether `serve` runs on a data directory: serve holds a shared lock
// (flock) on DATA/serve.lock while it runs, and the kernel lets it go when
// the process ends, however it ends. `ingest` asks, to give way to a
// running serve's batches (docs/design.md, "Checkpoints").
#include <filesystem>

#include "shared/error.h"

namespace cmetrack::central {

class serve_mark {
 public:
  // serve: takes the lock for as long as the mark lives.
  static result<serve_mark> hold(const std::filesystem::path& data_dir);
  serve_mark(serve_mark&& other) noexcept;
  serve_mark& operator=(serve_mark&&) = delete;
  serve_mark(const serve_mark&) = delete;
  ~serve_mark();

 private:
  explicit serve_mark(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// Whether a serve holds the mark of `data_dir` now.
bool serve_running(const std::filesystem::path& data_dir);

}  // namespace cmetrack::central
