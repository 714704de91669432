// The registration desk: find an attendee by name or badge, show the
// transcript (sessions, totals, flags, possible badge sharing, claims,
// corrections), print it or
// download the PDF, record a claim, correct the record.
//
//   search input -(200 ms quiet)-> GET /attendees?q= -> result buttons
//   result -> open(badge): GET .../transcript and .../scans -> render
//   claim / correction form -> POST -> the new transcript -> render
import { api_fetch, api_json, api_post, require_session, wire_header } from './api.js';
import { date_of, date_time_of, local_to_iso, meeting_zone, set_zone, time_of } from './time.js';
import { el } from './dom.js';
import { wire_evaluation_summary } from './evaluation_summary.js';

const $ = (id) => document.getElementById(id);
const search = $('search');
const results = $('results');
const search_state = $('search-state');
const section = $('transcript');
const session_starts = new Map();  // session id -> ISO start, from the rooms' attendance
const room_names = new Map();     // room id -> name, from the rooms
let current = null;                // the transcript shown
let search_serial = 0;

const flag_words = {
  duplicate: 'A repeated scan within seconds was ignored.',
  repeated_entry: 'Scanned in again while already inside the room.',
  implicit_exit: 'Went into another room without scanning out; the earlier stay ends at that entry.',
  missing_exit: 'No exit scan: a stay was closed at the end of its session.',
  exit_without_entry: 'Scanned out without a matching entry scan; that exit earns nothing.',
  in_progress: 'In a session right now: credit counts up to this moment.',
  meeting_cap: "The total was cut to the meeting's maximum credit.",
};
const action_words = {
  add_stay: 'Added a stay', void_stay: 'Voided a stay', add_scan: 'Added a scan', void_scan: 'Voided a scan',
};

const credits = (x) => (Number(x) || 0).toFixed(2);

function say(node, text, ok) {
  node.textContent = text;
  node.classList.toggle('error', ok === false);
  node.classList.toggle('ok', ok === true);
}

// ---- search ---------------------------------------------------------------

async function run_search(text) {
  const serial = ++search_serial;
  if (!text) {
    results.replaceChildren();
    say(search_state, '');
    return;
  }
  say(search_state, 'Searching...');
  try {
    const found = await api_json('/api/v1/attendees?q=' + encodeURIComponent(text));
    if (serial !== search_serial) return;  // a newer search is on its way
    results.replaceChildren();
    for (const a of found) {
      const b = el('button', { type: 'button', class: 'result', 'data-badge': a.badge },
        el('span', { class: 'result-name', text: a.name }),
        el('span', { class: 'result-badge', text: `${a.badge}${a.degree ? ', ' + a.degree : ''}` }));
      b.addEventListener('click', () => open(a.badge));
      results.append(el('li', {}, b));
    }
    say(search_state, found.length
      ? `${found.length} found${found.length >= 50 ? ' (the first 50; type more to narrow)' : ''}`
      : `No attendee's name or badge holds "${text}".`);
  } catch (e) {
    if (serial === search_serial) say(search_state, 'Search failed: ' + e.message, false);
  }
}

let debounce = 0;
search.addEventListener('input', () => {
  clearTimeout(debounce);
  debounce = setTimeout(() => run_search(search.value.trim()), 200);
});
search.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    clearTimeout(debounce);
    run_search(search.value.trim());
  }
});

// ---- the transcript ---------------------------------------------------------

const path_of = (badge) => '/api/v1/attendees/' + encodeURIComponent(badge);

async function open(badge) {
  $('transcript-error').hidden = true;
  try {
    const t = await api_json(path_of(badge) + '/transcript');
    render(t);
    section.hidden = false;
    $('t-name').focus();
    load_scans(t.badge);
  } catch (e) {
    section.hidden = false;
    $('transcript-error').textContent = `The transcript of badge ${badge} could not be loaded: ${e.message}`;
    $('transcript-error').hidden = false;
  }
}

function render(t) {
  current = t;
  $('t-name').textContent = t.name || t.badge;
  $('t-name').setAttribute('tabindex', '-1');
  $('t-badge').textContent = t.badge;
  $('t-degree').textContent = t.degree ? `(${t.degree})` : '';
  section.dataset.badge = t.badge;

  const body = $('t-sessions').querySelector('tbody');
  body.replaceChildren();
  for (const s of t.sessions || []) {
    const starts = s.starts || s.start || session_starts.get(s.session) || '';
    body.append(el('tr', { 'data-session': s.session },
      el('td', { text: starts ? date_of(starts) : '' }),
      el('td', { text: starts ? time_of(starts) : '' }),
      el('td', { text: s.title || s.session }),
      el('td', { class: 'num', text: String(s.minutes) }),
      el('td', { class: 'num credits', text: credits(s.credits) }),
      el('td', { class: 'num', text: credits(s.patient_safety_credits) })));
  }
  $('t-none').hidden = (t.sessions || []).length > 0;
  $('t-total').textContent = credits(t.total_credits);
  $('t-total-ps').textContent = credits(t.total_patient_safety_credits);

  const flags = $('t-flags');
  flags.replaceChildren();
  for (const f of t.flags || []) flags.append(el('li', { 'data-flag': f, text: flag_words[f] || f.replaceAll('_', ' ') }));
  if (!flags.children.length) flags.append(el('li', { text: 'None.' }));

  render_sharing(t);
  render_claims(t);
  render_corrections(t);
}

// Badge sharing (the transcript's "sharing"), in words; the section only where there is any.
function render_sharing(t) {
  const list = $('t-sharing');
  list.replaceChildren();
  const place = (room, door) => `${room_names.get(room) || room}${door ? ` (door ${door})` : ''}`;
  for (const e of t.sharing || []) {
    list.append(el('li', { 'data-sharing': e.to_scan || e.at },
      `Scanned in ${place(e.from_room, e.from_door)} at ${date_time_of(e.from_at)} and ` +
      `${place(e.to_room, e.to_door)} at ${date_time_of(e.at)}, ${e.gap_seconds} s apart; ` +
      `walking takes at least ${e.required_seconds} s.`));
  }
  $('t-sharing-box').hidden = list.children.length === 0;
}

function render_claims(t) {
  const claims = t.claims;
  const claimed = new Map((claims?.sessions || []).map((c) => [c.session, c]));
  const body = $('t-claims').querySelector('tbody');
  body.replaceChildren();
  for (const s of t.sessions || []) {
    const c = claimed.get(s.session);
    body.append(el('tr', { 'data-session': s.session },
      el('th', { scope: 'row', text: s.title || s.session }),
      el('td', { class: 'num', text: credits(c ? c.earned : s.credits) }),
      el('td', { class: 'num', text: c ? credits(c.claimed) : 'not claimed' })));
  }
  $('t-claimed-by').textContent = claims
    ? `Claimed in all: ${credits(claims.total_claimed)}, attested by ${claims.attested_by} at ${date_time_of(claims.attested_at)}.`
    : 'Not claimed yet.';
  // A correction or a change of the meeting's rules after the claim took credit
  // away: the desk records the claim again.
  const review = (claims?.sessions || []).filter((c) => c.above_earned);
  if (review.length > 0) {
    $('t-claimed-by').textContent += ' Needs review: ' +
      review.map((c) => `${c.session} claimed ${credits(c.claimed)}, ${credits(c.earned)} earned now`).join('; ') +
      '. Record the claim again.';
  }

  const rows = $('claim-rows');
  rows.replaceChildren();
  for (const s of t.sessions || []) {
    const id = 'claim-' + s.session;
    const c = claimed.get(s.session);
    const input = el('input', { id, type: 'number', min: '0', max: String(s.credits), step: '0.25', inputmode: 'decimal',
      'data-session': s.session, value: credits(c ? c.claimed : s.credits) });
    rows.append(el('div', { class: 'claim-row' },
      el('label', { for: id, text: `${s.title || s.session} (earned ${credits(s.credits)})` }), input));
  }
  $('claim-submit').disabled = !(t.sessions || []).length;
  $('attest').checked = false;
}

function render_corrections(t) {
  const list = $('t-corrections');
  list.replaceChildren();
  for (const c of t.corrections || []) {
    const what = [action_words[c.action] || c.action];
    if (c.scan) what.push(`scan ${c.scan}`);
    if (c.room) what.push(`room ${c.room}`);
    if (c.from) what.push(`from ${date_time_of(c.from)}`);
    if (c.to) what.push(`to ${date_time_of(c.to)}`);
    list.append(el('li', { 'data-correction': String(c.id) },
      el('strong', { text: what.join(', ') }),
      ` by ${c.by} on ${date_time_of(c.at)}. Why: ${c.reason}`));
  }
  if (!list.children.length) list.append(el('li', { class: 'note', text: 'No corrections.' }));
}

async function load_scans(badge) {
  const select = $('c-scan');
  const body = $('t-scans').querySelector('tbody');
  try {
    const scans = await api_json(path_of(badge) + '/scans');
    if (!current || current.badge !== badge) return;
    select.replaceChildren();
    body.replaceChildren();
    for (const s of scans) {
      body.append(el('tr', { 'data-scan': s.id },
        el('td', { text: date_time_of(s.at) }), el('td', { text: s.room }), el('td', { text: s.door || '' }),
        el('td', { text: s.direction }), el('td', { text: s.source || '' }), el('td', { text: s.id }),
        el('td', { text: s.voided ? 'voided' : '' })));
      if (!s.voided)
        select.append(el('option', { value: s.id, text: `${date_time_of(s.at)}, ${s.room} ${s.door || ''} ${s.direction} (${s.id})` }));
    }
    if (!select.children.length) select.append(el('option', { value: '', text: 'no scan to void' }));
  } catch (e) {
    select.replaceChildren(el('option', { value: '', text: 'scans could not be loaded: ' + e.message }));
  }
}

// ---- print and download -------------------------------------------------------

async function pdf_blob() {
  const res = await api_fetch(path_of(current.badge) + '/transcript.pdf', { headers: { Accept: 'application/pdf' } });
  return res.blob();
}

// Print: the PDF opens in a tab of its own (the browser's PDF viewer prints
// it). The tab is opened at the click, before the fetch, so no popup
// blocker stops it; a page with the Content-Security-Policy default-src
// 'self' may not frame a blob: URL, so no hidden iframe.
$('print').addEventListener('click', async () => {
  if (!current) return;
  const tab = window.open('', '_blank');
  try {
    const url = URL.createObjectURL(await pdf_blob());
    if (tab) {
      tab.location.replace(url);
    } else {
      $('transcript-error').textContent = 'The browser blocked the new tab: use "Download PDF" and print the file.';
      $('transcript-error').hidden = false;
    }
    setTimeout(() => URL.revokeObjectURL(url), 300_000);
  } catch (e) {
    if (tab) tab.close();
    $('transcript-error').textContent = 'The transcript PDF could not be fetched for printing: ' + e.message;
    $('transcript-error').hidden = false;
  }
});

$('download').addEventListener('click', async (event) => {
  event.preventDefault();
  if (!current) return;
  try {
    const url = URL.createObjectURL(await pdf_blob());
    const a = el('a', { href: url, download: `transcript-${current.badge}.pdf` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    $('transcript-error').textContent = 'The transcript PDF could not be downloaded: ' + e.message;
    $('transcript-error').hidden = false;
  }
});

// ---- claim ----------------------------------------------------------------------

$('claim-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!current) return;
  const result = $('claim-result');
  const sessions = [];
  for (const input of $('claim-rows').querySelectorAll('input')) {
    if (input.value.trim() === '') continue;
    sessions.push({ session: input.dataset.session, credits: Number(input.value) });
  }
  const button = $('claim-submit');
  button.disabled = true;
  say(result, 'Recording the claim...');
  try {
    const t = await api_post(path_of(current.badge) + '/claims', { sessions, attestation: $('attest').checked });
    render(t);
    say(result, `Claim recorded: ${credits(t.claims?.total_claimed)} credits in all.`, true);
  } catch (e) {
    say(result, 'The claim was not recorded: ' + e.message, false);
  } finally {
    button.disabled = false;
  }
});

// ---- correction -------------------------------------------------------------------

function show_fields() {
  const action = $('c-action').value;
  for (const f of $('correction-form').querySelectorAll('.field'))
    f.hidden = !f.dataset.for.split(' ').includes(action);
}
$('c-action').addEventListener('change', show_fields);

$('correction-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!current) return;
  const result = $('correction-result');
  const action = $('c-action').value;
  const reason = $('c-reason').value.trim();
  if (!reason) {
    say(result, 'Write the reason for the correction: it is kept in the audit trail.', false);
    $('c-reason').focus();
    return;
  }
  const body = { action, reason };
  const time = (id, name) => {
    const iso = local_to_iso($(id).value);
    if (!iso) throw new Error(`enter the ${name} time`);
    return iso;
  };
  try {
    if (action === 'add_stay' || action === 'void_stay') {
      body.room = $('c-room').value;
      body.from = time('c-from', 'from');
      body.to = time('c-to', 'to');
    } else if (action === 'add_scan') {
      body.room = $('c-room').value;
      body.direction = $('c-direction').value;
      body.at = time('c-at', 'scan');
    } else {
      body.scan = $('c-scan').value;
      if (!body.scan) throw new Error('pick the scan to void');
    }
  } catch (e) {
    say(result, 'The correction was not recorded: ' + e.message + '.', false);
    return;
  }
  const button = $('correction-submit');
  button.disabled = true;
  say(result, 'Recording the correction...');
  try {
    const t = await api_post(path_of(current.badge) + '/corrections', body);
    render(t);
    load_scans(t.badge);
    $('c-reason').value = '';
    say(result, `Correction recorded. Total now ${credits(t.total_credits)} credits.`, true);
  } catch (e) {
    say(result, 'The correction was not recorded: ' + e.message, false);
  } finally {
    button.disabled = false;
  }
});

// ---- start ---------------------------------------------------------------------------

async function start() {
  if (!require_session()) return;
  wire_header();
  show_fields();
  wire_evaluation_summary();
  try {
    const meeting = await api_json('/api/v1/meeting');
    set_zone(meeting.timezone);
    $('meeting-name').textContent = meeting.name || meeting.id || 'cmetrack';
    for (const z of document.querySelectorAll('.zone')) z.textContent = meeting_zone() || 'local time';
    const rooms = await api_json('/api/v1/rooms');
    const select = $('c-room');
    for (const r of rooms) {
      select.append(el('option', { value: r.room, text: r.name ? `${r.name} (${r.room})` : r.room }));
      room_names.set(r.room, r.name || r.room);
      for (const a of r.attendance || []) session_starts.set(a.session, a.starts);
      if (r.session && r.session_starts) session_starts.set(r.session, r.session_starts);
    }
  } catch (e) {
    if (e.status === 401) return;
    say(search_state, 'The desk could not load the meeting: ' + e.message, false);
  }
  const badge = new URLSearchParams(window.location.search).get('badge');
  if (badge) open(badge);
  search.focus();
}

start();
