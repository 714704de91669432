#pragma once
// Tells the agent, within milliseconds, that the kiosk committed something
// to kiosk.db, without polling every few seconds:
//
//   inotify on kiosk.db's directory (kiosk.db, kiosk.db-wal: modify,
//   create, close-write, moved-to)  --+
//   a fallback tick (1 s)           --+--> PRAGMA data_version changed? --> on_change()
//
// data_version changes only on commits by other connections, so the
// agent's own writes (marks, sync_status) never wake it. The directory is
// watched rather than the -wal file, which SQLite deletes and re-creates.
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "kiosk/store/kiosk_store.h"

namespace cmetrack::agent {

class wakeup {
 public:
  // Without inotify (none on this system, or too many watches) only the
  // tick is left, and a line says so.
  wakeup(boost::asio::io_context& io, kiosk::kiosk_store& store, const std::string& db_path,
         std::chrono::milliseconds tick, std::function<void()> on_change);
  ~wakeup();
  wakeup(const wakeup&) = delete;
  wakeup& operator=(const wakeup&) = delete;

  void stop();

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace cmetrack::agent
