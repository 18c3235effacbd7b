// The call's dynamics as the gateway measures them once per second of audio: who has been talking
// (trailing three minutes), how long nobody has spoken, and a monologue in progress.

import { h } from './dom.js';
import { clock, seconds } from './format.js';

const speakerNames = { rep: 'You', customer: 'Customer', unknown: 'Both (one channel)' };
const longSilenceMs = 10000;

export function createDynamicsView(root) {
  const bar = h('div', { class: 'gauge-bar', 'data-testid': 'talk-share-bar' });
  const legend = h('ul', { class: 'gauge-legend', 'data-testid': 'talk-share' });
  const silence = h('output', { class: 'silence', 'data-testid': 'silence-timer', text: '0.0 s' });
  const audioTime = h('output', { class: 'audio-time', 'data-testid': 'audio-time', text: '0:00' });
  const monologue = h('p', { class: 'monologue', 'data-testid': 'monologue' });
  root.replaceChildren(
    h('div', { class: 'gauge', role: 'group', 'aria-label': 'Talk share, last three minutes' },
      h('p', { class: 'label', text: 'Talk share (last 3 min)' }), bar, legend),
    h('dl', { class: 'figures' },
      h('div', {}, h('dt', { text: 'Silence' }), h('dd', {}, silence)),
      h('div', {}, h('dt', { text: 'Call time' }), h('dd', {}, audioTime))),
    monologue,
  );

  return {
    update(dynamics) {
      audioTime.textContent = clock(dynamics.audio_time_ms ?? 0);
      audioTime.dataset.ms = String(dynamics.audio_time_ms ?? 0);
      const silenceMs = dynamics.silence_ms ?? 0;
      silence.textContent = seconds(silenceMs);
      silence.classList.toggle('long', silenceMs >= longSilenceMs);

      const shares = Object.entries(dynamics.talk_share ?? {});
      const speaking = dynamics.speaking ?? {};
      bar.replaceChildren(
        ...shares.map(([speaker, share]) => {
          const segment = h('span', { class: `segment speaker-${speaker}` });
          // A width computed at run time; the CSP allows styles set from script, not in markup.
          segment.style.width = `${Math.round(share * 1000) / 10}%`;
          return segment;
        }),
      );
      legend.replaceChildren(
        ...shares.map(([speaker, share]) =>
          h('li', { class: `speaker-${speaker}`, 'data-speaker': speaker },
            h('span', { class: 'swatch', 'aria-hidden': 'true' }),
            `${speakerNames[speaker] ?? speaker}: ${Math.round(share * 100)}%`,
            speaking[speaker] ? h('span', { class: 'speaking', text: ' · speaking' }) : null),
        ),
      );
      const running = dynamics.monologue;
      // One channel cannot tell a monologue from a brisk exchange (docs/protocol.md), so only a known
      // speaker's monologue is shown.
      monologue.textContent = running && running.speaker !== 'unknown' && running.ms >= 20000
        ? `${speakerNames[running.speaker] ?? running.speaker} talking for ${seconds(running.ms)} without a pause`
        : '';
    },
  };
}
