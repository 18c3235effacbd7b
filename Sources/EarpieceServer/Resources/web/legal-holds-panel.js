// Recent calls of the tenant, newest first, each with its legal hold.

import { apiJSON } from './api.js';
import { byId, h, show } from './dom.js';
import { dataTable } from './data-table.js';
import { dateTime, bytes, clock } from './format.js';
import { signedInToken } from './sign-in.js';

const pageSize = 20;

export function createLegalHoldsPanel({ announce }) {
  const holder = byId('calls-table');
  const more = byId('calls-more');
  const result = byId('calls-result');
  const error = byId('calls-error');
  let calls = [];
  let nextBefore = null;

  async function fetchPage(before) {
    const query = new URLSearchParams({ limit: String(pageSize) });
    if (before) query.set('before', before);
    return apiJSON(signedInToken(), `/v1/calls?${query}`);
  }

  async function load(append) {
    error.textContent = '';
    if (!append) result.textContent = '';
    try {
      const page = await fetchPage(append ? nextBefore : null);
      calls = append ? calls.concat(page.calls) : page.calls;
      nextBefore = page.next_before;
      render();
    } catch (refusal) {
      error.textContent = refusal.reason;
    }
  }

  async function toggle(call, button) {
    error.textContent = '';
    result.textContent = '';
    button.disabled = true;
    try {
      const answer = await apiJSON(signedInToken(), `/v1/admin/calls/${encodeURIComponent(call.call_id)}/legal-hold`, {
        method: 'PUT',
        body: { hold: !call.legal_hold },
      });
      call.legal_hold = answer.legal_hold;
      render();
      const text = `${answer.legal_hold ? 'Hold placed on' : 'Hold released from'} ${call.call_id}.`;
      result.textContent = text;
      announce(text);
      holder.querySelector(`[data-call-id="${CSS.escape(call.call_id)}"] .hold-toggle`)?.focus();
    } catch (refusal) {
      error.textContent = `Hold not changed: ${refusal.reason}`;
      button.disabled = false;
    }
  }

  function recordingText(recording) {
    if (!recording) return 'no audio';
    const parts = recording.parts === 1 ? '1 part' : `${recording.parts} parts`;
    return `${recording.status}, ${clock(recording.duration_ms ?? 0)}, ${bytes(recording.bytes ?? 0)}, ${parts}`;
  }

  function render() {
    if (calls.length === 0) {
      holder.replaceChildren(h('p', { class: 'empty', text: 'No calls yet.' }));
    } else {
      holder.replaceChildren(dataTable([
        { label: 'Call', class: 'mono', cell: (call) => call.call_id },
        { label: 'Started', cell: (call) => dateTime(call.started_at) },
        { label: 'Status', cell: (call) => (call.status === 'ended' ? `ended ${dateTime(call.ended_at)}` : 'open') },
        { label: 'Recording', cell: (call) => recordingText(call.recording) },
        {
          label: 'Legal hold',
          cell: (call) => {
            const button = h('button', {
              type: 'button',
              class: 'hold-toggle',
              'aria-pressed': String(call.legal_hold),
              'aria-label': `Legal hold for ${call.call_id}`,
              'data-testid': 'hold-toggle',
              text: call.legal_hold ? 'On hold' : 'Not held',
            });
            button.addEventListener('click', () => toggle(call, button));
            return button;
          },
        },
      ], calls, (call) => ({ 'data-call-id': call.call_id, 'data-legal-hold': String(call.legal_hold) })));
    }
    show(more, Boolean(nextBefore));
  }

  byId('calls-refresh').addEventListener('click', () => load(false));
  more.addEventListener('click', () => load(true));

  return { load: () => load(false) };
}
