// The dashboard: a card per room (present / capacity, the session now and
// next, attendance so far) and the kiosks' health, kept live by the
// Server-Sent Events of GET /api/v1/rooms/stream, read with fetch (an
// EventSource cannot send the Authorization header).
//
//   load: /meeting, /rooms, /kiosks -> render
//   stream: connect -> "live"; each `room` / `kiosk` event updates in place;
//           end or error -> "reconnecting", retry after 1, 2, 4 ... 15 s (jittered)
import { api_fetch, api_json, require_session, wire_header } from './api.js';
import { ago, set_zone, time_of } from './time.js';
import { parse_sse } from './sse.js';
import { el } from './dom.js';

const stale_after_ms = 60_000;
const rooms_el = document.getElementById('rooms');
const kiosks_body = document.querySelector('#kiosks tbody');
const live_el = document.getElementById('live-state');
const error_el = document.getElementById('dashboard-error');
const kiosks = new Map();  // kiosk id -> its last object

function show_error(text) {
  error_el.textContent = text;
  error_el.hidden = !text;
}

function set_live(state, text) {
  live_el.dataset.state = state;
  live_el.textContent = text;
}

// ---- rooms ----------------------------------------------------------------

function fullness(present, capacity) {
  if (!capacity) return { level: 'ok', words: '' };
  const ratio = present / capacity;
  if (ratio >= 1) return { level: 'full', words: 'FULL' };
  if (ratio >= 0.9) return { level: 'nearly', words: 'nearly full' };
  return { level: 'ok', words: '' };
}

function room_card(id) {
  let card = rooms_el.querySelector(`[data-room="${CSS.escape(id)}"]`);
  if (card) return card;
  card = el('article', { class: 'room', 'data-room': id, 'aria-labelledby': `room-${id}-name` },
    el('h3', { class: 'name', id: `room-${id}-name` }),
    el('p', { class: 'count' },
      el('span', { class: 'present', text: '0' }), ' / ', el('span', { class: 'capacity', text: '0' }),
      ' present ', el('strong', { class: 'full-words' })),
    el('div', { class: 'bar', role: 'img' }, el('div', { class: 'fill' })),
    el('dl', { class: 'sessions' },
      el('dt', { text: 'Now' }), el('dd', { class: 'now' }),
      el('dt', { text: 'Next' }), el('dd', { class: 'next' })),
    el('details', { class: 'attendance', open: '' }, el('summary', { text: 'Attendance so far' }), el('ul')));
  rooms_el.append(card);
  return card;
}

function render_room(r) {
  const card = room_card(r.room);
  const present = Number(r.present) || 0;
  const capacity = Number(r.capacity) || 0;
  const f = fullness(present, capacity);
  card.dataset.level = f.level;
  card.querySelector('.name').textContent = r.name ? `${r.name} (${r.room})` : r.room;
  card.querySelector('.present').textContent = String(present);
  card.querySelector('.capacity').textContent = String(capacity);
  card.querySelector('.full-words').textContent = f.words;
  const bar = card.querySelector('.bar');
  const pct = capacity ? Math.min(100, Math.round((present / capacity) * 100)) : 0;
  bar.querySelector('.fill').style.width = pct + '%';
  bar.setAttribute('aria-label', `${present} of ${capacity} seats taken (${pct}%)${f.words ? ', ' + f.words : ''}`);
  const now = card.querySelector('.now');
  now.textContent = r.session
    ? `${r.session_title || r.session}${r.session_ends ? ', ends at ' + time_of(r.session_ends) : ''}`
    : 'no session now';
  const next = card.querySelector('.next');
  const n = r.next_session;
  next.textContent = n ? `${n.title || n.session}, starts at ${time_of(n.starts)}` : 'none today';
  const list = card.querySelector('.attendance ul');
  list.replaceChildren();
  for (const a of r.attendance || []) {
    list.append(el('li', { 'data-session': a.session },
      `${time_of(a.starts)} ${a.title || a.session}: `, el('strong', { text: String(a.attendees) }), ' attended'));
  }
  if (!list.children.length) list.append(el('li', { text: 'No session has started yet.' }));
}

// ---- kiosks ---------------------------------------------------------------

function kiosk_row(id) {
  let row = kiosks_body.querySelector(`[data-kiosk="${CSS.escape(id)}"]`);
  if (row) return row;
  row = el('tr', { 'data-kiosk': id });
  for (const c of ['kiosk', 'room', 'door', 'last-contact', 'backlog', 'offset', 'quarantined', 'revoked'])
    row.append(el(c === 'kiosk' ? 'th' : 'td', c === 'kiosk' ? { class: 'k-' + c, scope: 'row' } : { class: 'k-' + c }));
  kiosks_body.append(row);
  document.getElementById('kiosks-empty').hidden = true;
  return row;
}

function render_contact(row, k) {
  const cell = row.querySelector('.k-last-contact');
  const stale = !k.last_contact || Date.now() - Date.parse(k.last_contact) > stale_after_ms;
  cell.textContent = ago(k.last_contact) + (stale && !k.revoked ? ' (stale)' : '');
  row.classList.toggle('stale', stale && !k.revoked);
}

function render_kiosk(k) {
  kiosks.set(k.kiosk, k);
  const row = kiosk_row(k.kiosk);
  const set = (cls, text) => { row.querySelector('.k-' + cls).textContent = text; };
  set('kiosk', k.kiosk);
  set('room', k.room ?? '');
  set('door', k.door ?? '');
  set('backlog', k.backlog == null ? 'unknown' : String(k.backlog));
  set('offset', k.clock_offset_ms == null ? 'unknown' : `${k.clock_offset_ms > 0 ? '+' : ''}${(k.clock_offset_ms / 1000).toFixed(1)} s`);
  set('quarantined', String(k.quarantined ?? 0));
  set('revoked', k.revoked ? 'revoked' : 'no');
  row.classList.toggle('revoked', !!k.revoked);
  row.classList.toggle('has-quarantine', (k.quarantined ?? 0) > 0);
  render_contact(row, k);
}

function tick_contacts() {
  for (const [id, k] of kiosks) render_contact(kiosk_row(id), k);
}

// ---- the stream -----------------------------------------------------------

function on_event(type, data) {
  let obj;
  try {
    obj = JSON.parse(data);
  } catch {
    return;  // not an object: nothing to show
  }
  if (type === 'room' && obj && obj.room) render_room(obj);
  else if (type === 'kiosk' && obj && obj.kiosk) render_kiosk(obj);
}

async function stream_once() {
  const res = await api_fetch('/api/v1/rooms/stream', { headers: { Accept: 'text/event-stream' } });
  set_live('live', 'live');
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = parse_sse(on_event);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    parser(value);
  }
}

async function stream_forever() {
  let delay = 1000;
  for (;;) {
    const started = Date.now();
    try {
      await stream_once();
    } catch (e) {
      if (e && e.status === 401) return;  // on the way to the login page
    }
    if (Date.now() - started > 30_000) delay = 1000;  // it was up a while: start again quickly
    const wait = Math.round(delay * (0.5 + Math.random() * 0.5));
    set_live('reconnecting', `reconnecting in ${Math.ceil(wait / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, wait));
    set_live('reconnecting', 'reconnecting');
    delay = Math.min(delay * 2, 15_000);
  }
}

// ---- start ------------------------------------------------------------------

async function start() {
  if (!require_session()) return;
  wire_header();
  try {
    const meeting = await api_json('/api/v1/meeting');
    set_zone(meeting.timezone);
    document.getElementById('meeting-name').textContent = meeting.name || meeting.id || 'cmetrack';
    document.getElementById('zone-note').textContent = meeting.timezone ? `(times in ${meeting.timezone})` : '';
    const [rooms, list] = await Promise.all([api_json('/api/v1/rooms'), api_json('/api/v1/kiosks')]);
    for (const r of rooms) render_room(r);
    for (const k of list) render_kiosk(k);
    document.getElementById('kiosks-empty').hidden = list.length > 0;
    show_error('');
  } catch (e) {
    if (e.status === 401) return;
    show_error('The dashboard could not load: ' + e.message);
  }
  setInterval(tick_contacts, 1000);
  stream_forever();
}

start();
