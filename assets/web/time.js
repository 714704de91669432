// Times on the pages: the API speaks ISO-8601 UTC; people read the
// meeting's own timezone (Intl.DateTimeFormat with timeZone).
let zone = undefined;  // undefined: the browser's own, until the meeting is known

export function set_zone(tz) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    zone = tz;
  } catch {
    zone = undefined;
  }
}

export function meeting_zone() {
  return zone;
}

function fmt(iso, options) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, ...options }).format(d);
}

export const time_of = (iso) => fmt(iso, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
export const date_of = (iso) => fmt(iso, { weekday: 'short', month: 'short', day: 'numeric' });
export const date_time_of = (iso) =>
  fmt(iso, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

// "12 s ago", "3 min ago", "2 h ago"
export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return `${s} s ago`;
  if (s < 7200) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

// The offset (ms) of the meeting's timezone from UTC at the instant utc_ms.
function offset_at(utc_ms) {
  const parts = {};
  for (const p of new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(utc_ms))) parts[p.type] = p.value;
  const as_utc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return as_utc - Math.floor(utc_ms / 1000) * 1000;
}

// "2026-04-24T08:30" (a datetime-local input, read as the meeting's local
// time) -> ISO-8601 UTC; '' when it is not a time.
export function local_to_iso(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value || '');
  if (!m) return '';
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] || 0));
  let utc = wall - offset_at(wall);
  utc = wall - offset_at(utc);  // again, in case the guess crossed a DST change
  return new Date(utc).toISOString();
}

// ISO-8601 UTC -> "2026-04-24T08:30" in the meeting's time (for a datetime-local input).
export function iso_to_local(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return new Date(t + offset_at(t)).toISOString().slice(0, 16);
}
