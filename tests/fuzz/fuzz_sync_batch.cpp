// Fuzzes the sync wire format (shared/sync_wire.h), both ends: any bytes
// give a batch (or an ack) or a bad_input error with a message, never a
// crash. What decodes is encoded again and must decode to the same: the
// agent's encoder and the central node's decoder cannot drift apart.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/sync_wire.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

constexpr std::string_view harness = "fuzz_sync_batch";

bool same(const cmetrack::scan_batch& a, const cmetrack::scan_batch& b) {
  return a.kiosk == b.kiosk && a.sent_at == b.sent_at && a.scans == b.scans && a.clock_offset_ms == b.clock_offset_ms &&
         a.backlog == b.backlog;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  if (auto batch = cmetrack::decode_batch(body)) {
    for (const auto& r : batch->rejected) {
      CMETRACK_FUZZ_CHECK(harness, !r.id.empty(), "a rejected scan without an id");
      CMETRACK_FUZZ_CHECK(harness, !r.reason.empty(), "a rejected scan without a reason");
    }
    const auto encoded = cmetrack::encode_batch(batch->batch);
    auto again = cmetrack::decode_batch(encoded);
    if (!again)
      cmetrack::fuzz::property_failed(harness, "an encoded batch does not decode: " + again.error().message);
    CMETRACK_FUZZ_CHECK(harness, again->rejected.empty(), "an encoded batch has rejected scans");
    CMETRACK_FUZZ_CHECK(harness, same(again->batch, batch->batch), "decode(encode(batch)) differs from the batch");
  } else {
    CMETRACK_FUZZ_CHECK(harness, !batch.error().message.empty(), "a batch rejected without a message");
  }

  if (auto ack = cmetrack::decode_ack(body)) {
    const auto encoded = cmetrack::encode_ack(*ack);
    auto again = cmetrack::decode_ack(encoded);
    if (!again) cmetrack::fuzz::property_failed(harness, "an encoded ack does not decode: " + again.error().message);
    CMETRACK_FUZZ_CHECK(harness, again->acked == ack->acked && again->server_time == ack->server_time,
                        "decode(encode(ack)) differs from the ack");
  } else {
    CMETRACK_FUZZ_CHECK(harness, !ack.error().message.empty(), "an ack rejected without a message");
  }
  return 0;
}
