// Retention: how many days call audio, and transcripts and summaries, are kept after a call ends.

import { apiJSON } from './api.js';
import { byId } from './dom.js';
import { signedInToken } from './sign-in.js';

export function createRetentionPanel({ announce }) {
  const form = byId('retention-form');
  const audio = byId('audio-days');
  const derived = byId('derived-days');
  const result = byId('retention-result');
  const error = byId('retention-error');

  function showPolicy(policy) {
    audio.value = policy.audio_days;
    derived.value = policy.derived_days;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    result.textContent = '';
    error.textContent = '';
    // Sent as typed: the gateway names what is wrong with a value better than a browser's validation does.
    const body = { audio_days: Number(audio.value), derived_days: Number(derived.value) };
    if (audio.value.trim() === '' || derived.value.trim() === '') {
      error.textContent = 'Enter both periods, in whole days from 1 to 3650.';
      return;
    }
    try {
      const policy = await apiJSON(signedInToken(), '/v1/admin/retention', { method: 'PUT', body });
      showPolicy(policy);
      result.textContent = `Saved: audio ${policy.audio_days} days, transcripts and summaries ${policy.derived_days} days.`;
      announce('Retention saved');
    } catch (refusal) {
      error.textContent = `Not saved: ${refusal.reason}`;
    }
  });

  return {
    async load() {
      error.textContent = '';
      try {
        showPolicy(await apiJSON(signedInToken(), '/v1/admin/retention'));
      } catch (refusal) {
        error.textContent = refusal.reason;
      }
    },
  };
}
