#include "sync/agent/clock_offset.h"

namespace cmetrack::agent {

clock_sample measure_clock_offset(time_ms t_send, time_ms server_time, time_ms t_receive) {
  // t_send + (t_receive - t_send) / 2 does not overflow where the sum might.
  const time_ms midpoint = t_send + (t_receive - t_send) / 2;
  return {server_time - midpoint, t_receive - t_send};
}

clock_sample measure_clock_offset_from_date(time_ms t_send, time_ms date_seconds, time_ms t_receive) {
  return measure_clock_offset(t_send, date_seconds + 500, t_receive);
}

}  // namespace cmetrack::agent
