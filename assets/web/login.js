// The login page: user and password -> POST /api/v1/login; the session token
// is kept with its expiry and the browser goes on to the dashboard (or to
// the page it came from, ?next=desk.html).
import { save_session, saved_session } from './api.js';

const form = document.getElementById('login-form');
const error = document.getElementById('login-error');
const message = document.getElementById('login-message');
const submit = document.getElementById('login-submit');
const params = new URLSearchParams(window.location.search);
const next = /^[a-z]+\.html$/.test(params.get('next') || '') ? params.get('next') : 'dashboard.html';

function show_error(text) {
  error.textContent = text;
  error.hidden = false;
}

if (params.get('message')) {
  message.textContent = params.get('message');
  message.hidden = false;
} else if (saved_session()) {
  window.location.replace(next);
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  const user = form.user.value.trim();
  const password = form.password.value;
  if (!user || !password) {
    show_error('Enter your user name and your password.');
    (user ? form.password : form.user).focus();
    return;
  }
  submit.disabled = true;
  try {
    const res = await fetch('/api/v1/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user, password }),
      cache: 'no-store',
    });
    let body = null;
    try {
      body = await res.json();
    } catch {
      body = null;
    }
    if (!res.ok || !body || !body.token) {
      const why = body && body.error ? body.error : `the server answered ${res.status}`;
      show_error(res.status === 401 ? 'Log in failed: ' + why + '.' : 'Log in failed: ' + why);
      form.password.select();
      return;
    }
    save_session(body);
    window.location.replace(next);
  } catch (e) {
    show_error('The central node cannot be reached (' + e.message + '). Check the network and try again.');
  } finally {
    submit.disabled = false;
  }
});
