// Jobs that gave up, with a Retry that puts one back in the queue.

import { apiJSON } from './api.js';
import { byId, h } from './dom.js';
import { dataTable } from './data-table.js';
import { dateTime } from './format.js';
import { signedInToken } from './sign-in.js';

export function createDeadJobsPanel({ announce }) {
  const holder = byId('jobs-table');
  const result = byId('jobs-result');
  const error = byId('jobs-error');
  let jobs = [];

  async function load() {
    error.textContent = '';
    try {
      jobs = (await apiJSON(signedInToken(), '/v1/admin/jobs?state=dead&limit=100')).jobs;
      render();
    } catch (refusal) {
      holder.replaceChildren();
      error.textContent = refusal.reason;
    }
  }

  async function retry(job, button) {
    error.textContent = '';
    result.textContent = '';
    button.disabled = true;
    try {
      const left = await apiJSON(signedInToken(), `/v1/admin/jobs/${encodeURIComponent(job.id)}/retry`, { method: 'POST' });
      jobs = jobs.filter((other) => other.id !== job.id);
      render();
      const text = `Job ${job.id} is queued again (${left.state}).`;
      result.textContent = text;
      announce(text);
    } catch (refusal) {
      error.textContent = `Not retried: ${refusal.reason}`;
      button.disabled = false;
    }
  }

  function render() {
    if (jobs.length === 0) {
      holder.replaceChildren(h('p', { class: 'empty', 'data-testid': 'dead-jobs-empty', text: 'No dead jobs.' }));
      return;
    }
    holder.replaceChildren(dataTable([
      { label: 'Job', class: 'mono', cell: (job) => job.id },
      { label: 'Call', class: 'mono', cell: (job) => job.call_id },
      { label: 'Kind', cell: (job) => job.kind },
      { label: 'Attempts', cell: (job) => String(job.attempts) },
      { label: 'Last error', cell: (job) => job.last_error },
      { label: 'Gave up', cell: (job) => dateTime(job.finished_at) },
      {
        label: 'Action',
        cell: (job) => {
          const button = h('button', { type: 'button', 'aria-label': `Retry job ${job.id}`, 'data-testid': 'retry-job', text: 'Retry' });
          button.addEventListener('click', () => retry(job, button));
          return button;
        },
      },
    ], jobs, (job) => ({ 'data-job-id': job.id })));
  }

  byId('jobs-refresh').addEventListener('click', () => {
    result.textContent = '';
    load();
  });

  return { load };
}
