// The tenant's audit log, oldest first within the chosen period, a page at a time. The API pages forward
// only (`after` the last id of a page), so going back replays the cursors of the pages already seen.

import { apiJSON } from './api.js';
import { byId, h } from './dom.js';
import { dataTable } from './data-table.js';
import { dateTime } from './format.js';
import { signedInToken } from './sign-in.js';

export function createAuditLogPanel() {
  const form = byId('audit-form');
  const from = byId('audit-from');
  const to = byId('audit-to');
  const limit = byId('audit-limit');
  const holder = byId('audit-table');
  const first = byId('audit-first');
  const previous = byId('audit-previous');
  const next = byId('audit-next');
  const pageLabel = byId('audit-page');
  const error = byId('audit-error');
  // cursors[i] is the `after` that fetches page i; page 0 has none.
  let cursors = [null];
  let page = 0;
  let nextAfter = null;

  function query(after) {
    const params = new URLSearchParams({ limit: limit.value });
    // datetime-local is the user's local time; the API wants RFC 3339.
    if (from.value) params.set('from', new Date(from.value).toISOString());
    if (to.value) params.set('to', new Date(to.value).toISOString());
    if (after !== null) params.set('after', String(after));
    return `/v1/admin/audit?${params}`;
  }

  async function show(index) {
    error.textContent = '';
    try {
      const answer = await apiJSON(signedInToken(), query(cursors[index]));
      page = index;
      nextAfter = answer.next_after;
      if (nextAfter !== null) cursors[index + 1] = nextAfter;
      render(answer.events);
    } catch (refusal) {
      error.textContent = refusal.reason;
    }
  }

  function change(event) {
    if (!event.before && !event.after) return null;
    return h('span', { class: 'mono audit-change', text: `${compact(event.before)} → ${compact(event.after)}` });
  }

  function render(events) {
    holder.replaceChildren(events.length === 0
      ? h('p', { class: 'empty', text: 'No events in this period.' })
      : dataTable([
        { label: 'Id', cell: (event) => String(event.id) },
        { label: 'Time', cell: (event) => dateTime(event.occurred_at) },
        { label: 'User', class: 'mono', cell: (event) => event.user_id },
        { label: 'Request', class: 'mono', cell: (event) => `${event.method} ${event.route}` },
        { label: 'Status', cell: (event) => h('span', { class: event.status < 400 || event.status === 1000 ? 'status-ok' : 'status-bad', text: String(event.status) }) },
        { label: 'Target', class: 'mono', cell: (event) => event.target },
        { label: 'Change', cell: change },
      ], events, (event) => ({ 'data-event-id': String(event.id) })));
    previous.disabled = page === 0;
    next.disabled = nextAfter === null;
    pageLabel.textContent = events.length ? `Page ${page + 1}: events ${events[0].id}–${events[events.length - 1].id}` : `Page ${page + 1}`;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    cursors = [null];
    show(0);
  });
  first.addEventListener('click', () => show(0));
  previous.addEventListener('click', () => show(Math.max(0, page - 1)));
  next.addEventListener('click', () => show(page + 1));

  return { load: () => show(0) };
}

function compact(value) {
  return value === null || value === undefined ? '—' : JSON.stringify(value);
}
