// The hold filter: a badge held in front of the camera is one scan; taken
// away for longer than the hold gap and shown again, it is a new one.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kiosk/camera/hold_filter.h"

using namespace cmetrack::kiosk;
using strings = std::vector<std::string>;

namespace {

// Feeds `frames` frames 50 ms apart from `*t`, each showing `payloads`;
// returns everything reported.
strings feed(hold_filter& f, cmetrack::time_ms& t, int frames, const strings& payloads) {
  strings reported;
  for (int i = 0; i < frames; ++i, t += 50)
    for (auto& p : f.on_frame(t, payloads)) reported.push_back(p);
  return reported;
}

}  // namespace

TEST_CASE("hold filter: a badge held for 10 s is reported once, on its first frame") {
  hold_filter f;
  CHECK(f.on_frame(0, {"TAM26-000001"}) == strings{"TAM26-000001"});
  cmetrack::time_ms t = 50;
  CHECK(feed(f, t, 200, {"TAM26-000001"}).empty());
}

TEST_CASE("hold filter: frames where the decoder missed the held badge do not make it new") {
  hold_filter f;
  cmetrack::time_ms t = 0;
  CHECK(feed(f, t, 1, {"B"}) == strings{"B"});
  CHECK(feed(f, t, 30, {}).empty());  // 1.5 s unseen: still within the 2 s gap
  CHECK(feed(f, t, 10, {"B"}).empty());
}

TEST_CASE("hold filter: taken away for longer than the gap and shown again is a second scan") {
  hold_filter f;
  cmetrack::time_ms t = 0;
  CHECK(feed(f, t, 20, {"B"}) == strings{"B"});
  CHECK(feed(f, t, 45, {}).empty());  // 2.25 s away
  CHECK(feed(f, t, 20, {"B"}) == strings{"B"});
}

TEST_CASE("hold filter: the gap is measured from the last frame the badge was seen in") {
  hold_options o;
  o.hold_gap = 2000;
  hold_filter f(o);
  CHECK(f.on_frame(1000, {"B"}) == strings{"B"});
  CHECK(f.on_frame(3000, {"B"}).empty());  // exactly the gap: still held
  CHECK(f.on_frame(5001, {"B"}) == strings{"B"});  // 2001 ms after 3000
}

TEST_CASE("hold filter: two badges in view are tracked apart") {
  hold_filter f;
  CHECK(f.on_frame(0, {"A"}) == strings{"A"});
  CHECK(f.on_frame(50, {"A", "B"}) == strings{"B"});
  CHECK(f.on_frame(100, {"B", "A"}).empty());
  CHECK(f.on_frame(3000, {"A"}) == strings{"A"});  // both gone > 2 s; A back
  CHECK(f.on_frame(3050, {"A", "B"}) == strings{"B"});
}

TEST_CASE("hold filter: the same payload twice in one frame is reported once") {
  hold_filter f;
  CHECK(f.on_frame(0, {"A", "A"}) == strings{"A"});
}

TEST_CASE("hold filter: with a re-present interval, a badge held that long is reported again") {
  hold_options o;
  o.represent_after = 5000;
  hold_filter f(o);
  cmetrack::time_ms t = 0;
  // 12 s held at 20 frames a second: at 0, 5 s and 10 s.
  CHECK(feed(f, t, 240, {"B"}) == strings{"B", "B", "B"});
}

TEST_CASE("hold filter: without a re-present interval (the default), never while held") {
  hold_filter f;
  cmetrack::time_ms t = 0;
  CHECK(feed(f, t, 1200, {"B"}) == strings{"B"});  // a minute in view
  CHECK(f.tracked() == 1);
  CHECK(f.on_frame(t + 2001, {}).empty());
  CHECK(f.tracked() == 0);  // forgotten once away: memory stays bounded
}
