// The desk's evaluation summary (GET /api/v1/evaluations): per session, each
// Likert question's count and mean of the answers in force. Loaded when the
// staff member opens it, and again each time.
import { api_json } from './api.js';
import { el } from './dom.js';

export function wire_evaluation_summary() {
  const box = document.getElementById('eval-box');
  const state = document.getElementById('eval-state');
  const body = document.querySelector('#eval-table tbody');
  box.addEventListener('toggle', async () => {
    if (!box.open) return;
    state.textContent = 'Loading...';
    try {
      const sessions = await api_json('/api/v1/evaluations');
      body.replaceChildren();
      for (const s of sessions) {
        const where = s.session ? `${s.session}: ${s.title}` : `The meeting (${s.title})`;
        for (const q of s.questions)
          body.append(el('tr', {},
            el('td', { text: where }),
            el('td', { text: q.text }),
            el('td', { class: 'num', text: String(q.count) }),
            el('td', { class: 'num', text: q.mean === null ? '-' : q.mean.toFixed(2) })));
      }
      state.textContent = sessions.length ? '' : 'This meeting has no evaluation questions.';
    } catch (e) {
      if (e.status === 401) return;
      state.textContent = 'The summary could not be loaded: ' + e.message;
    }
  });
}
