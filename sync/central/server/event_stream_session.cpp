#include "sync/central/server/event_stream_session.h"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>

namespace cmetrack::central {

void event_streams::send_all(const std::shared_ptr<const std::string>& text) {
  std::erase_if(streams_, [](const auto& w) { return w.expired(); });
  for (auto& w : streams_)
    if (auto s = w.lock()) s->send(text);
}

void event_streams::close_all() {
  for (auto& w : streams_)
    if (auto s = w.lock()) s->close();
}

void log_dropped(const std::string& peer, const std::string& what, boost::beast::error_code ec) {
  namespace asio = boost::asio;
  if (ec == asio::error::eof || ec == asio::error::connection_reset || ec == boost::beast::error::timeout ||
      ec == asio::error::operation_aborted) {
    if (ec == boost::beast::error::timeout)
      fmt::print(stderr, "- - - connection from {} dropped: no progress {} within the deadline\n", peer, what);
  } else if (ec != asio::ssl::error::stream_truncated) {
    fmt::print(stderr, "- - - connection from {} closed: {}: {}\n", peer, what, ec.message());
  }
}

}  // namespace cmetrack::central
