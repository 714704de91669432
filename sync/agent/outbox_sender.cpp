#include "sync/agent/outbox_sender.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>

#include "shared/sync_wire.h"
#include "shared/time.h"
#include "sync/agent/central_list.h"

namespace cmetrack::agent {
namespace {

namespace http = boost::beast::http;
using kind = send_outcome::kind;

send_outcome failed(kind what, std::int64_t batch, std::string message, unsigned status = 0) {
  send_outcome o;
  o.what = what;
  o.batch = batch;
  o.status = status;
  o.message = std::move(message);
  return o;
}

}  // namespace

std::string body_excerpt(const std::string& body) {
  std::string text = body.substr(0, 300);
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (body.size() > 300) text += "...";
  return text.empty() ? "(no message)" : text;
}

result<std::int64_t> outbox_sender::count_queued() {
  // The count and the highest seq come from one snapshot. The kiosk gives
  // every new scan a higher seq, so the scans added since the last count
  // are those above it.
  const bool whole = queued_ < 0;
  auto state = store_.read_outbox_state(whole ? 0 : counted_through_);
  if (!state) {
    queued_ = -1;
    return std::unexpected(state.error());
  }
  queued_ = (whole ? 0 : queued_) + state->unsent;
  counted_through_ = state->max_seq;
  return queued_;
}

boost::asio::awaitable<send_outcome> outbox_sender::send_batch(int batch_size, std::optional<std::int64_t> offset,
                                                                kiosk::sync_status& status) {
  const bool clock_probe = batch_size == 0;
  auto rows = clock_probe ? result<std::vector<kiosk::scan_row>>() : store_.unsent_scans(batch_size);
  if (!rows) co_return failed(kind::local, 0, fmt::format("cannot read the outbox: {}", rows.error().message));
  if (rows->empty() && !clock_probe) co_return send_outcome{};
  // Counted after the read, so every scan read has a seq the count covers.
  const auto queued = count_queued();

  scan_batch batch;
  batch.kiosk = config_.kiosk;
  batch.clock_offset_ms = offset;
  if (queued) batch.backlog = std::max<std::int64_t>(0, *queued - static_cast<std::int64_t>(rows->size()));
  batch.scans.reserve(rows->size());
  for (auto& r : *rows)  // the payload as scanned: the central node applies the badge pattern
    batch.scans.push_back({std::move(r.id), r.seq, std::move(r.payload), std::move(r.room), std::move(r.door),
                           r.direction, r.at, std::move(r.source)});
  const auto n = static_cast<std::int64_t>(batch.scans.size());
  batch.sent_at = now_ms();

  // (Arguments built first: GCC 12 miscompiles braced temporaries in a co_await expression.)
  std::vector<http_header> headers = {{"Authorization", "Bearer " + config_.token.value_or("")}};
  std::string body = encode_batch(batch);
  std::string target = client_.url().target("/api/v1/scans");
  auto answer = co_await client_.exchange(http::verb::post, std::move(target), std::move(body), std::move(headers));
  if (!answer) co_return failed(kind::unreachable, n, std::move(answer.error().message));

  const unsigned code = answer->status;
  if (code == 401)
    co_return failed(kind::token_refused, n,
                     fmt::format("central refused the token (401): re-enroll kiosk {} "
                                 "(cmetrack-central enroll) and put the new kiosk.json in place",
                                 config_.kiosk),
                     code);
  if (code == 403)
    co_return failed(kind::token_refused, n,
                     fmt::format("central refused the token (403): it is not kiosk {}'s; re-enroll kiosk {} "
                                 "(cmetrack-central enroll) and put the new kiosk.json in place",
                                 config_.kiosk, config_.kiosk),
                     code);
  if (code == 413)
    co_return failed(kind::too_large, n, fmt::format("central refused a batch of {} scans as too large (413)", n), code);
  if (code != 200)
    co_return failed(node_unavailable(code) ? kind::unavailable : kind::refused, n,
                     fmt::format("central answered {}: {}", code, body_excerpt(answer->body)), code);

  auto ack = decode_ack(answer->body);
  if (!ack)
    co_return failed(kind::refused, n, fmt::format("central's answer is not an acknowledgement ({}): {}",
                                                   ack.error().message, body_excerpt(answer->body)), code);

  // Only ids of this batch: an id the central node names by mistake must
  // never mark a scan it has not seen.
  std::unordered_set<std::string_view> in_batch;
  for (const auto& s : batch.scans) in_batch.insert(s.id);
  std::vector<std::string> acked;
  for (auto& id : ack->acked)
    if (in_batch.contains(id)) acked.push_back(std::move(id));
  if (acked.empty() && !clock_probe)
    co_return failed(kind::refused, n, fmt::format("central acknowledged none of the {} scans sent", n), code);

  send_outcome out;
  out.what = kind::delivered;
  out.batch = n;
  out.status = code;
  out.elapsed_ms = answer->elapsed_ms;
  out.clock = measure_clock_offset(answer->sent_at, ack->server_time, answer->received_at);
  status.last_contact = answer->received_at;
  status.clock_offset_ms = out.clock->offset_ms;
  status.last_error.clear();
  auto marked = store_.record_delivery(acked, status);
  if (!marked)
    co_return failed(kind::local, n, fmt::format("central acknowledged {} scans but kiosk.db could not mark them: {}",
                                                 acked.size(), marked.error().message));
  out.marked = *marked;
  if (queued) out.queued = std::max<std::int64_t>(0, *queued - out.marked);
  queued_ = rows->size() < static_cast<std::size_t>(batch_size) || !queued ? -1 : out.queued;
  co_return out;
}

}  // namespace cmetrack::agent
