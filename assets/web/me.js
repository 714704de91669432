// The attendee page (/me): a physician signs in with the badge id and the
// claim code, sees the sessions attended and the credit, answers the
// activity's evaluation, claims the credit and downloads the certificate.
//
//   #badge=..&code=.. (the personal URL) or the form -> POST /api/v1/attendee/login
//     -> token in sessionStorage (this tab only)
//   GET /api/v1/me, /me/transcript, /me/evaluation -> render
//   every 30 s while the page is visible and a stay is in progress: GET /me/transcript
//   evaluation form -> POST /me/evaluation; claim form -> POST /me/claims
//   certificate -> GET /me/certificate.pdf -> blob: URL, downloaded and opened
import { error_text } from './api.js';
import { el } from './dom.js';
import { date_of, date_time_of, set_zone, time_of } from './time.js';

const $ = (id) => document.getElementById(id);
const token_key = 'cmetrack.attendee';
const refresh_ms = 30_000;

let me = null;           // GET /api/v1/me
let transcript = null;   // GET /api/v1/me/transcript, or a claim's answer
let evaluation = null;   // GET /api/v1/me/evaluation, or a save's answer
let claim_key = '';      // the sessions and credit the claim rows were built for
let form_key = '';       // the questions and sessions the evaluation form was built for
let refresh_timer = 0;
let certificate_url = '';

const credits = (x) => (Number(x) || 0).toFixed(2);
const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// The flags of docs/rules.md, said to the attendee.
function flag_text(flag) {
  switch (flag) {
    case 'in_progress':
      return "You are in a session now: credit so far, settled when you scan out or the session's block ends.";
    case 'missing_exit':
      return 'You did not scan out of a session: credit counted to the end of the session.';
    case 'implicit_exit':
      return 'You scanned into another room without scanning out: your earlier stay ends when you scanned in there.';
    case 'duplicate':
      return 'A scan repeated within seconds of the one before was ignored; nothing is lost.';
    case 'repeated_entry':
      return 'You scanned in again while already in the room; nothing changed.';
    case 'exit_without_entry':
      return 'You scanned out of a room without scanning in: that exit earns nothing. ' +
        'If you attended, ask at the registration desk.';
    case 'meeting_cap': {
      const max = me?.meeting?.max_credits;
      return `Your total is capped at the meeting's maximum${max ? ` of ${credits(max)} credits` : ''}.`;
    }
    default:
      return flag.replaceAll('_', ' ') + '.';
  }
}

function say(node, text, ok) {
  node.textContent = text;
  node.classList.toggle('error', ok === false);
  node.classList.toggle('ok', ok === true);
}
const status = (text, ok) => say($('status'), text, ok);

// ---- the token (sessionStorage: gone when the tab closes) --------------------

function saved() {
  try {
    const s = JSON.parse(sessionStorage.getItem(token_key) || 'null');
    if (!s || !s.token) return null;
    if (s.expires_at && Date.parse(s.expires_at) <= Date.now()) {
      sessionStorage.removeItem(token_key);
      return null;
    }
    return s;
  } catch {
    sessionStorage.removeItem(token_key);
    return null;
  }
}

function forget() {
  sessionStorage.removeItem(token_key);
}

class signed_out extends Error {}

// fetch with the attendee's token: the Response when it is 2xx; a 401 ends
// the sign-in and shows the form; any other failure throws an Error with
// the server's message (its status in .status).
async function call(path, options = {}) {
  const s = saved();
  if (!s) {
    show_signin('Your sign-in has ended: please sign in again.');
    throw new signed_out('not signed in');
  }
  const headers = new Headers(options.headers || {});
  headers.set('Authorization', 'Bearer ' + s.token);
  let res;
  try {
    res = await fetch(path, { ...options, headers, cache: 'no-store' });
  } catch (e) {
    throw new Error('The server cannot be reached (' + e.message + '). Check your connection and try again.');
  }
  if (res.status === 401) {
    forget();
    show_signin('Your sign-in has ended: please sign in again.');
    throw new signed_out('signed out');
  }
  if (!res.ok) {
    const e = new Error(await error_text(res));
    e.status = res.status;
    throw e;
  }
  return res;
}

const get_json = async (path) => (await call(path)).json();

async function post_json(path, body) {
  const res = await call(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

// ---- signing in and out ---------------------------------------------------------

// Retry-After (seconds, or an HTTP date) in words.
function wait_words(retry_after) {
  let seconds = Number(retry_after);
  if (!Number.isFinite(seconds)) {
    const at = Date.parse(retry_after || '');
    seconds = Number.isNaN(at) ? 60 : (at - Date.now()) / 1000;
  }
  return plural(Math.max(1, Math.ceil(seconds / 60)), 'minute', 'minutes');
}

function signin_error(text, focus) {
  const error = $('signin-error');
  error.textContent = text;
  error.hidden = false;
  if (focus) focus.focus();
}

async function sign_in() {
  const badge = $('badge').value.trim();
  const code = $('code').value.trim();
  $('signin-error').hidden = true;
  if (!badge || !code) {
    signin_error('Enter your badge id and your claim code.', badge ? $('code') : $('badge'));
    return;
  }
  const letters = code.replace(/[\s-]/g, '').length;
  if (letters !== 8) {
    signin_error(`The claim code has 8 letters and digits; this one has ${letters}.`, $('code'));
    return;
  }
  const submit = $('signin-submit');
  submit.disabled = true;
  status('Signing in...');
  try {
    const res = await fetch('/api/v1/attendee/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ badge, code }),
      cache: 'no-store',
    });
    if (!res.ok) {
      status('');
      if (res.status === 401) signin_error('The badge or code is wrong. Check both and try again.', $('code'));
      else if (res.status === 429)
        signin_error(`Too many tries: wait ${wait_words(res.headers.get('Retry-After'))}, then try again.`, $('code'));
      else signin_error('Sign-in failed: ' + (await error_text(res)), $('code'));
      return;
    }
    const body = await res.json();
    sessionStorage.setItem(token_key, JSON.stringify({
      token: body.token, expires_at: body.expires_at, badge: body.badge || badge, name: body.name || '',
    }));
    $('code').value = '';
    await show_account(true);
  } catch (e) {
    status('');
    signin_error('The server cannot be reached (' + e.message + '). Check your connection and try again.', $('code'));
  } finally {
    submit.disabled = false;
  }
}

// Back to the form, with nothing of the last attendee left on the page.
function show_signin(message) {
  clearTimeout(refresh_timer);
  me = transcript = evaluation = null;
  claim_key = form_key = '';
  if (certificate_url) URL.revokeObjectURL(certificate_url);
  certificate_url = '';
  for (const id of ['sessions', 'flags', 'eval-questions', 'eval-state', 'claim-rows'])
    $(id).replaceChildren();
  for (const id of ['claim-result', 'certificate-result', 'claimed', 'me-about', 'meeting-about']) say($(id), '');
  $('certificate-saved').hidden = true;
  $('certificate-file').href = '#';
  $('attest').checked = false;
  $('account').hidden = true;
  $('me-user').hidden = true;
  $('signin').hidden = false;
  $('meeting-name').textContent = 'CME credit';
  document.title = 'Claim your CME credit';
  status(message || '');
}

async function show_account(focus) {
  const s = saved();
  if (!s) return show_signin();
  $('signin').hidden = true;
  $('signin-error').hidden = true;
  $('account').hidden = false;
  $('me-user').hidden = false;
  $('who').textContent = s.name || s.badge;
  status('Loading your record...');
  try {
    me = await get_json('/api/v1/me');
    render_me(me);
    render_transcript(await get_json('/api/v1/me/transcript'));
  } catch (e) {
    if (!(e instanceof signed_out)) status('Your record could not be loaded: ' + e.message, false);
    return;
  }
  status('');
  if (focus) $('attendance-heading').focus();
  await load_evaluation();
  schedule();
}

$('signin-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sign_in();
});

$('sign-out').addEventListener('click', async () => {
  const s = saved();
  forget();
  if (s) {
    try {
      await fetch('/api/v1/attendee/logout', { method: 'POST', headers: { Authorization: 'Bearer ' + s.token }, cache: 'no-store' });
    } catch {
      /* signed out here either way */
    }
  }
  show_signin('You have signed out.');
  $('badge').focus();
});

// ---- attendance ------------------------------------------------------------------

function render_me(m) {
  const meeting = m.meeting || {};
  set_zone(meeting.timezone);
  $('meeting-name').textContent = meeting.name || meeting.id || 'CME credit';
  document.title = `${meeting.name || 'CME credit'}: your CME credit`;
  $('who').textContent = m.name || m.badge;
  $('me-about').textContent = `${m.name || ''}${m.degree ? ', ' + m.degree : ''}, badge ${m.badge}`;
  const when = meeting.starts
    ? (date_of(meeting.starts) === date_of(meeting.ends) || !meeting.ends
      ? date_of(meeting.starts) : `${date_of(meeting.starts)} to ${date_of(meeting.ends)}`)
    : '';
  $('meeting-about').textContent = [when, meeting.location, meeting.provider ? `Provided by ${meeting.provider}` : '']
    .filter(Boolean).join('. ') + '.';
  $('max-credits').textContent = meeting.max_credits
    ? `The meeting is designated for at most ${credits(meeting.max_credits)} credits.` : '';
  $('designation').textContent = meeting.designation || '';
}

const in_progress = () => (transcript?.flags || []).includes('in_progress');

function render_transcript(t) {
  transcript = t;
  const claimed = new Map((t.claims?.sessions || []).map((c) => [c.session, c]));
  const list = $('sessions');
  list.replaceChildren();
  for (const s of t.sessions || []) {
    const c = claimed.get(s.session);
    const figure = (name, cls, value) => el('div', {}, el('dt', { text: name }), el('dd', { class: cls, text: value }));
    list.append(el('li', { class: 'session-item', 'data-session': s.session },
      el('h3', { text: s.title || s.session }),
      el('dl', { class: 'figures' },
        figure('Minutes', 'minutes', String(s.minutes)),
        figure('Credit', 'credits', credits(s.credits)),
        figure('Patient safety', 'ps', credits(s.patient_safety_credits)),
        figure('Claimed', 'claimed', c ? credits(c.claimed) : 'not yet'))));
  }
  $('no-sessions').hidden = (t.sessions || []).length > 0;
  $('total').textContent = credits(t.total_credits);
  $('total-ps').textContent = credits(t.total_patient_safety_credits);

  const flags = $('flags');
  flags.replaceChildren();
  for (const f of t.flags || []) flags.append(el('li', { 'data-flag': f, text: flag_text(f) }));
  if (!flags.children.length) flags.append(el('li', { text: 'Nothing to note.' }));

  const live = $('live');
  live.hidden = !in_progress();
  live.textContent = in_progress()
    ? `In progress: credit so far, as of ${time_of(new Date().toISOString())}. This page updates every 30 seconds.`
    : '';

  render_claim(t);
}

// ---- live updates ----------------------------------------------------------------

function schedule() {
  clearTimeout(refresh_timer);
  if (in_progress() && document.visibilityState === 'visible' && saved())
    refresh_timer = setTimeout(refresh, refresh_ms);
}

async function refresh() {
  clearTimeout(refresh_timer);
  const before = (transcript?.sessions || []).map((s) => s.session).join(' ');
  try {
    render_transcript(await get_json('/api/v1/me/transcript'));
    // A session newly attended has its own evaluation questions.
    if ((transcript.sessions || []).map((s) => s.session).join(' ') !== before) await load_evaluation();
  } catch (e) {
    if (e instanceof signed_out) return;
    $('live').textContent = 'In progress; the last update failed (' + e.message + '). Trying again in 30 seconds.';
  }
  schedule();
}

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && in_progress() && saved()) refresh();
  else clearTimeout(refresh_timer);
});

// ---- the evaluation ---------------------------------------------------------------

const likert_words = ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'];
const answer_key = (session, question) => `${session || ''}\u0000${question}`;

async function load_evaluation() {
  try {
    render_evaluation(await get_json('/api/v1/me/evaluation'));
  } catch (e) {
    if (e instanceof signed_out) return;
    $('evaluation').hidden = false;
    say($('eval-state'), 'The evaluation could not be loaded: ' + e.message, false);
  }
}

// The answers in the form now: key -> value (a number for Likert, the text for text).
function form_answers() {
  const out = new Map();
  for (const input of $('eval-questions').querySelectorAll('input[type="radio"]:checked'))
    out.set(answer_key(input.dataset.session, input.dataset.question), Number(input.value));
  for (const area of $('eval-questions').querySelectorAll('textarea'))
    out.set(answer_key(area.dataset.session, area.dataset.question), area.value);
  return out;
}

function question_node(q, session, group, index, value) {
  const name = `ev-${group}-${index}`;
  const data = { 'data-question': q.id };
  if (session) data['data-session'] = session;
  if (q.kind === 'text') {
    return el('div', { class: 'text-question' },
      el('label', { for: name }, q.text, el('span', { class: 'note', text: ' (optional)' })),
      Object.assign(el('textarea', { id: name, name, rows: '3', maxlength: '2000', ...data }),
        { value: typeof value === 'string' ? value : '' }));
  }
  const options = el('div', { class: 'likert-options' });
  likert_words.forEach((words, i) => {
    const input = el('input', { type: 'radio', name, value: String(i + 1), ...data });
    input.checked = Number(value) === i + 1;
    options.append(el('label', { class: 'likert-option' }, input, el('span', { text: `${i + 1} ${words}` })));
  });
  return el('fieldset', { class: 'likert', ...data }, el('legend', { text: q.text }), options);
}

function render_evaluation(ev) {
  evaluation = ev;
  const questions = ev.questions || [];
  const session_questions = ev.session_questions || [];
  const sessions = ev.sessions || [];
  const section = $('evaluation');
  section.hidden = questions.length + session_questions.length === 0;
  if (section.hidden) {
    form_key = '';
    render_claim_note();
    return;
  }
  $('eval-intro').textContent = (ev.required
    ? 'Please answer it before you claim credit. '
    : 'Optional, and it helps us plan the next meeting. ') +
    'Rate each statement from 1 (strongly disagree) to 5 (strongly agree); written answers may be left empty.';

  // Rebuilt only when the questions or the sessions change, keeping what is
  // typed and not saved yet.
  const key = JSON.stringify([questions, session_questions, sessions]);
  if (key !== form_key) {
    const values = new Map((ev.answers || []).map((a) => [answer_key(a.session, a.question), a.value]));
    for (const [k, v] of form_answers()) values.set(k, v);
    const box = $('eval-questions');
    box.replaceChildren();
    let group = 0;
    if (questions.length) {
      const g = group++;
      box.append(el('fieldset', { class: 'eval-group' }, el('legend', { text: 'About the meeting' }),
        ...questions.map((q, i) => question_node(q, null, g, i, values.get(answer_key(null, q.id))))));
    }
    if (session_questions.length) {
      for (const s of sessions) {
        const g = group++;
        box.append(el('fieldset', { class: 'eval-group', 'data-session': s.session },
          el('legend', { text: `Session: ${s.title || s.session}` }),
          ...session_questions.map((q, i) => question_node(q, s.session, g, i, values.get(answer_key(s.session, q.id))))));
      }
      if (!sessions.length)
        box.append(el('p', { class: 'note', text: 'Questions about each session you attend appear here once you have attended it.' }));
    }
    form_key = key;
  }
  render_eval_state($('eval-state'), ev);
  render_claim_note();
}

function render_eval_state(node, ev, saved_now) {
  node.replaceChildren();
  node.classList.remove('error', 'ok');
  if (ev.complete) {
    node.append(el('p', { class: 'ok', text: `${saved_now ? 'Saved. ' : ''}Evaluation complete.` }));
    return;
  }
  const missing = ev.missing || [];
  if (saved_now) node.append(el('p', { text: 'Saved.' }));
  if (missing.length) {
    node.append(el('p', { class: ev.required ? 'warning' : 'note',
      text: `Still to answer (${missing.length}):` }), el('ul', { class: 'missing' }, ...missing.map((m) => el('li', { text: m }))));
  }
}

$('evaluation-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!evaluation) return;
  const before = new Map((evaluation.answers || []).map((a) => [answer_key(a.session, a.question), a.value]));
  const answers = [];
  for (const input of $('eval-questions').querySelectorAll('input[type="radio"]:checked'))
    answers.push({ session: input.dataset.session || null, question: input.dataset.question, value: Number(input.value) });
  for (const area of $('eval-questions').querySelectorAll('textarea')) {
    const text = area.value.trim();
    const session = area.dataset.session || null;
    // An empty box is sent only to clear an answer saved before.
    if (text || before.has(answer_key(session, area.dataset.question)))
      answers.push({ session, question: area.dataset.question, value: text });
  }
  const state = $('eval-state');
  if (!answers.length) {
    say(state, 'Answer at least one question, then save.', false);
    return;
  }
  const button = $('eval-save');
  button.disabled = true;
  say(state, 'Saving...');
  try {
    const ev = await post_json('/api/v1/me/evaluation', { answers });
    render_evaluation(ev);
    render_eval_state(state, ev, true);
  } catch (e) {
    if (!(e instanceof signed_out)) say(state, 'The evaluation was not saved: ' + e.message, false);
  } finally {
    button.disabled = false;
  }
});

// ---- the claim -------------------------------------------------------------------

function render_claim(t) {
  const sessions = t.sessions || [];
  const key = JSON.stringify(sessions.map((s) => [s.session, s.credits]));
  const rows = $('claim-rows');
  // Rebuilt only when the sessions or their credit change (a live update
  // every 30 s must not undo what the attendee typed).
  if (key !== claim_key) {
    const typed = new Map([...rows.querySelectorAll('input[data-touched]')].map((i) => [i.dataset.session, i.value]));
    rows.replaceChildren();
    for (const s of sessions) {
      const id = 'claim-' + s.session;
      const input = el('input', { id, type: 'number', min: '0', max: String(s.credits), step: '0.25', inputmode: 'decimal',
        'data-session': s.session });
      input.value = typed.has(s.session) ? typed.get(s.session) : credits(s.credits);
      if (typed.has(s.session)) input.dataset.touched = '1';
      input.addEventListener('input', () => { input.dataset.touched = '1'; });
      rows.append(el('div', { class: 'claim-row' },
        el('label', { for: id, text: `${s.title || s.session} (earned ${credits(s.credits)})` }), input));
    }
    claim_key = key;
  }
  $('claim-submit').disabled = sessions.length === 0;

  const claims = t.claims;
  const claimed = $('claimed');
  if (claims) {
    let text = `You claimed ${credits(claims.total_claimed)} credits` +
      (claims.attested_at ? ` on ${date_time_of(claims.attested_at)}.` : '.');
    const review = (claims.sessions || []).filter((c) => c.above_earned);
    if (review.length)
      text += ' Your credit changed after you claimed: ' +
        review.map((c) => `${c.session}: claimed ${credits(c.claimed)}, earned ${credits(c.earned)} now`).join('; ') +
        '. Please claim again.';
    claimed.textContent = text;
  } else {
    claimed.textContent = sessions.length ? 'Not claimed yet.' : '';
  }
  $('certificate').hidden = !claims;
  render_claim_note();
}

// Near the Claim button: the evaluation comes first, where it is required.
function render_claim_note() {
  const note = $('claim-eval-note');
  const waiting = evaluation && evaluation.required && !evaluation.complete;
  note.hidden = !waiting;
  note.textContent = waiting
    ? `Complete the evaluation above before you claim: ${plural((evaluation.missing || []).length, 'answer', 'answers')} still missing.`
    : '';
}

$('claim-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!transcript) return;
  const result = $('claim-result');
  if (!$('attest').checked) {
    say(result, 'Tick the box above to attest to your participation, then claim.', false);
    $('attest').focus();
    return;
  }
  const sessions = [];
  for (const input of $('claim-rows').querySelectorAll('input')) {
    const text = input.value.trim();
    if (text === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value)) {
      say(result, `Enter the credit you claim for ${input.dataset.session} as a number, such as 0.75.`, false);
      input.focus();
      return;
    }
    sessions.push({ session: input.dataset.session, credits: value });
  }
  const button = $('claim-submit');
  button.disabled = true;
  say(result, 'Recording your claim...');
  try {
    const t = await post_json('/api/v1/me/claims', { sessions, attestation: true });
    claim_key = '';  // the rows start again from the credit earned
    render_transcript(t);
    say(result, `Claim recorded: ${credits(t.claims?.total_claimed)} credits. Your certificate is ready below.`, true);
  } catch (e) {
    if (e instanceof signed_out) return;
    say(result, 'The claim was not recorded: ' + e.message, false);
    if (e.status === 409) load_evaluation();
  } finally {
    button.disabled = (transcript?.sessions || []).length === 0;
  }
});

// ---- the certificate -----------------------------------------------------------------

// The PDF as a blob: URL: a link with the download attribute saves it, and a
// tab opened at the click (before the fetch, so no popup blocker stops it)
// shows it. The link stays on the page in case the browser stopped either.
$('certificate-download').addEventListener('click', async () => {
  const result = $('certificate-result');
  const tab = window.open('', '_blank');
  say(result, 'Fetching your certificate...');
  try {
    const res = await call('/api/v1/me/certificate.pdf', { headers: { Accept: 'application/pdf' } });
    const blob = await res.blob();
    if (certificate_url) URL.revokeObjectURL(certificate_url);
    certificate_url = URL.createObjectURL(blob);
    const name = `cme-certificate-${me?.badge || saved()?.badge || 'attendee'}.pdf`;
    const link = $('certificate-file');
    link.href = certificate_url;
    link.download = name;
    link.type = blob.type || 'application/pdf';
    link.textContent = name;
    $('certificate-saved').hidden = false;
    link.click();
    if (tab) tab.location.replace(certificate_url);
    say(result, 'Your certificate is downloaded.', true);
  } catch (e) {
    if (tab) tab.close();
    if (e instanceof signed_out) return;
    say(result, 'The certificate could not be fetched: ' + e.message, false);
  }
});

// ---- start ------------------------------------------------------------------------------

// The personal URL (#badge=004217&code=ABCD2345): the form is filled and sent
// at once, and the code leaves the address bar and the history.
function from_fragment() {
  const hash = window.location.hash.replace(/^#/, '');
  if (!hash) return false;
  const p = new URLSearchParams(hash);
  if (!p.has('badge') && !p.has('code')) return false;
  history.replaceState(null, '', window.location.pathname + window.location.search);
  forget();
  show_signin();
  $('badge').value = p.get('badge') || '';
  $('code').value = p.get('code') || '';
  if (p.get('badge') && p.get('code')) sign_in();
  else $(p.get('badge') ? 'code' : 'badge').focus();
  return true;
}

window.addEventListener('hashchange', from_fragment);

if (!from_fragment()) {
  if (saved()) show_account(false);
  else show_signin();
}
