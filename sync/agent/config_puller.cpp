#include "sync/agent/config_puller.h"

#include <fmt/format.h>

#include <array>
#include <charconv>

#include "shared/meeting_import.h"
#include "sync/agent/central_list.h"
#include "sync/agent/outbox_sender.h"

namespace cmetrack::agent {
namespace {

namespace http = boost::beast::http;
using kind = pull_outcome::kind;

pull_outcome failed(kind what, std::string message) {
  pull_outcome o;
  o.what = what;
  o.message = std::move(message);
  return o;
}

bool number(std::string_view text, unsigned& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::optional<time_ms> parse_http_date(std::string_view text) {
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110), 29 characters.
  static constexpr std::array<std::string_view, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(25) != " GMT") return std::nullopt;
  unsigned day = 0, year = 0, h = 0, m = 0, s = 0, month = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (text.substr(8, 3) == months[i]) month = i + 1;
  if (month == 0 || !number(text.substr(5, 2), day) || !number(text.substr(12, 4), year) ||
      !number(text.substr(17, 2), h) || !number(text.substr(20, 2), m) || !number(text.substr(23, 2), s) ||
      day < 1 || day > 31 || h > 23 || m > 59 || s > 60)
    return std::nullopt;
  const auto days = days_from_civil(year, month, day);
  return ((days * 24 + h) * 60 + m) * 60'000 + static_cast<time_ms>(s) * 1000;
}

boost::asio::awaitable<pull_outcome> config_puller::pull(kiosk::sync_status& status) {
  std::vector<http_header> headers = {{"Authorization", "Bearer " + config_.token.value_or("")}};
  if (!status.config_etag.empty()) headers.push_back({"If-None-Match", status.config_etag});
  std::string target = client_.url().target("/api/v1/kiosk/config");
  auto answer = co_await client_.exchange(http::verb::get, std::move(target), std::string(), std::move(headers));
  pull_outcome out;
  if (!answer) {
    out = failed(kind::unreachable, "config: " + answer.error().message);
  } else if (answer->status == 401 || answer->status == 403) {
    out = failed(kind::token_refused,
                 fmt::format("central refused the token ({}): re-enroll kiosk {} (cmetrack-central enroll) "
                             "and put the new kiosk.json in place",
                             answer->status, config_.kiosk));
  } else if (answer->status == 304) {
    out.what = kind::unchanged;
  } else if (answer->status != 200) {
    out = failed(node_unavailable(answer->status) ? kind::unreachable : kind::failed,
                 fmt::format("config: central answered {}: {}", answer->status, body_excerpt(answer->body)));
  } else {
    auto imported = parse_meeting(answer->body, "the kiosk config from central");
    if (!imported) {
      out = failed(kind::failed, "config: " + imported.error().message);
    } else if (auto cached = store_.cache_meeting(imported->meeting, config_.room); !cached) {
      out = failed(kind::failed, fmt::format("config: {}; re-enroll kiosk {} for its room", cached.error().message,
                                             config_.kiosk));
    } else {
      const auto& m = imported->meeting;
      const int room = m.room_index(config_.room);
      std::size_t sessions = 0;
      for (const auto& s : m.sessions) sessions += s.room == room ? 1 : 0;
      out.what = kind::changed;
      out.message = fmt::format("config: cached meeting {}, room {}: {} sessions, {} attendees on the roster (ETag {})",
                                m.id, config_.room, sessions, m.attendees.size(),
                                answer->etag.empty() ? "none" : answer->etag);
      status.config_etag = answer->etag;
    }
  }

  if (answer && (out.what == kind::changed || out.what == kind::unchanged)) {
    status.last_contact = answer->received_at;
    status.last_error.clear();
    if (const auto date = parse_http_date(answer->date))
      out.clock = measure_clock_offset_from_date(answer->sent_at, *date, answer->received_at);
  } else {
    status.last_error = out.message;
  }
  if (auto written = store_.write_sync_status(status);
      !written && (out.what == kind::changed || out.what == kind::unchanged || out.what == kind::token_refused))
    out = failed(kind::failed, "config: cannot write sync_status to kiosk.db: " + written.error().message);
  co_return out;
}

}  // namespace cmetrack::agent
