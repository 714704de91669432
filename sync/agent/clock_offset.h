#pragma once
// The kiosk clock's offset against the central node's, measured the way NTP
// does on one exchange: the server's time is taken to be the midpoint of
// the request's round trip on the kiosk's clock.
//
//   kiosk:    t_send ---------request--------> ... <----answer------ t_receive
//   central:                        server_time (stamped while answering)
//   offset = server_time - (t_send + t_receive) / 2      (central minus kiosk)
//
// The error is at most half the round trip. Positive: the kiosk is slow.
#include <cstdint>

#include "shared/time.h"

namespace cmetrack::agent {

struct clock_sample {
  std::int64_t offset_ms = 0;      // central's clock minus the kiosk's
  std::int64_t round_trip_ms = 0;  // t_receive - t_send
};

clock_sample measure_clock_offset(time_ms t_send, time_ms server_time, time_ms t_receive);

// From an HTTP Date header (whole seconds): the server's time is somewhere
// in [date, date + 1 s); its middle is taken.
clock_sample measure_clock_offset_from_date(time_ms t_send, time_ms date_seconds, time_ms t_receive);

}  // namespace cmetrack::agent
