// The staff API as the pages use it (docs/staff-api.md): the session token
// kept in localStorage with its expiry, fetch with the bearer token, and a
// 401 sends the browser back to the login page with a message.
const session_key = 'cmetrack.session';

export function saved_session() {
  try {
    const s = JSON.parse(localStorage.getItem(session_key) || 'null');
    if (!s || !s.token) return null;
    if (s.expires_at && Date.parse(s.expires_at) <= Date.now()) {
      localStorage.removeItem(session_key);
      return null;
    }
    return s;
  } catch {
    localStorage.removeItem(session_key);
    return null;
  }
}

export function save_session(s) {
  localStorage.setItem(session_key, JSON.stringify({ token: s.token, user: s.user, expires_at: s.expires_at }));
}

export function clear_session() {
  localStorage.removeItem(session_key);
}

// Back to the login page, saying why.
export function to_login(message) {
  clear_session();
  const q = message ? '?message=' + encodeURIComponent(message) : '';
  window.location.replace('index.html' + q);
}

// The page needs a session: the saved one, or the login page.
export function require_session() {
  const s = saved_session();
  if (!s) to_login('Please log in.');
  return s;
}

export class api_error extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

// The {"error"} message of a failed answer, or what the status means.
export async function error_text(res) {
  let text = '';
  try {
    text = await res.text();
    const body = JSON.parse(text);
    if (body && typeof body.error === 'string') return body.error;
  } catch {
    /* not JSON: use the text or the status */
  }
  return text.trim() || `the server answered ${res.status} ${res.statusText}`;
}

// fetch with the bearer token. Resolves to the Response when it is 2xx;
// a 401 goes to the login page; any other failure throws api_error with the
// server's message in plain words.
export async function api_fetch(path, options = {}) {
  const s = saved_session();
  if (!s) {
    to_login('Your session has ended; please log in again.');
    throw new api_error(401, 'not logged in');
  }
  const headers = new Headers(options.headers || {});
  headers.set('Authorization', 'Bearer ' + s.token);
  let res;
  try {
    res = await fetch(path, { ...options, headers, cache: 'no-store' });
  } catch (e) {
    throw new api_error(0, 'The central node cannot be reached (' + e.message + '). Check the network and try again.');
  }
  if (res.status === 401) {
    const why = await error_text(res);
    to_login('Your session has ended (' + why + '); please log in again.');
    throw new api_error(401, why);
  }
  if (!res.ok) throw new api_error(res.status, await error_text(res));
  return res;
}

export async function api_json(path, options = {}) {
  const res = await api_fetch(path, options);
  return res.json();
}

export async function api_post(path, body) {
  const res = await api_fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

export async function logout() {
  try {
    await api_fetch('/api/v1/logout', { method: 'POST' });
  } catch {
    /* logged out locally either way */
  }
  to_login('You have logged out.');
}

// The header every staff page shares: who is logged in, and Log out.
export function wire_header() {
  const s = saved_session();
  const who = document.getElementById('who');
  if (who && s) who.textContent = s.user || '';
  const out = document.getElementById('logout');
  if (out) out.addEventListener('click', () => logout());
}
