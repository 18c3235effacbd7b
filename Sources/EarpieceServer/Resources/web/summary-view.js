// The post-call summary (docs/summary.md). The gateway computes it in a background job after the call
// ends, so the page asks every two seconds while the answer is 202, and says so.

import { apiRequest } from './api.js';
import { h, fill } from './dom.js';
import { dataTable } from './data-table.js';
import { clock, seconds, percent, kindLabel } from './format.js';

const retryEveryMs = 2000;
const speakerNames = { rep: 'You', customer: 'Customer', unknown: 'One channel' };

export async function pollSummary({ token, callId, onState, signal }) {
  const path = `/v1/calls/${encodeURIComponent(callId)}/summary`;
  let notEndedYet = 0;
  while (!signal?.aborted) {
    let answer;
    try {
      answer = await apiRequest(token(), path);
    } catch (error) {
      onState('pending', `${error.reason ?? error.message}; still trying`);
      await sleep(retryEveryMs);
      continue;
    }
    const { status, body } = answer;
    if (status === 200) return body;
    if (status === 202) {
      const job = body?.job;
      onState('pending', job ? `Summary pending (job ${job.state}, attempt ${job.attempts})…` : 'Summary pending…');
    } else if (status === 404 && notEndedYet < 5) {
      // The call's end and the summary job are one transaction, but a resumed stream may still be ending.
      notEndedYet += 1;
      onState('pending', 'Waiting for the call to end…');
    } else if (status === 409) {
      throw new SummaryProblem('failed', `The summary job failed: ${body?.reason ?? 'no reason given'}`);
    } else if (status === 410) {
      throw new SummaryProblem('gone', `The summary was deleted under the retention policy.`);
    } else {
      throw new SummaryProblem('error', body?.reason ?? `The gateway answered ${status}.`);
    }
    await sleep(retryEveryMs);
  }
  return null;
}

export class SummaryProblem extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function renderSummary(root, summary, hintTitles = new Map()) {
  const speakers = summary.speakers ?? [];
  const monologue = summary.longest_monologue;
  fill(root,
    h('dl', { class: 'figures summary-figures', 'data-testid': 'summary-figures' },
      figure('Duration', clock(summary.duration_ms ?? 0)),
      figure('Silence', `${seconds(summary.silence_ms ?? 0)} (${percent(summary.silence_share ?? 0)})`),
      figure('Speaker switches', `${summary.speaker_switches ?? 0} (${summary.interactivity ?? 0}/min)`),
      monologue ? figure('Longest turn', `${seconds(monologue.duration_ms)} at ${clock(monologue.start_ms)}, ${speakerNames[monologue.speaker] ?? monologue.speaker}`) : null),
    section('Talk', 'summary-speakers', speakers.length === 0 ? empty('Nobody spoke.') : h('div', { class: 'table-wrap' }, dataTable([
      { label: 'Speaker', cell: (speaker) => speakerNames[speaker.speaker] ?? speaker.speaker },
      { label: 'Talk share', cell: (speaker) => shareBar(speaker.talk_share ?? 0) },
      { label: 'Talk time', cell: (speaker) => seconds(speaker.talk_ms ?? 0) },
      { label: 'Words/min', cell: (speaker) => String(speaker.words_per_minute ?? 0) },
      { label: 'Turns', cell: (speaker) => String(speaker.turns ?? 0) },
      { label: 'Questions', cell: (speaker) => String(speaker.questions ?? 0) },
    ], speakers, (speaker) => ({ 'data-speaker': speaker.speaker })))),
    section('Intents heard', 'summary-intents', (summary.intents ?? []).length === 0 ? empty('No intents were heard.') : h('ol', { class: 'timeline' },
      summary.intents.map((intent) => h('li', { 'data-kind': intent.kind, 'data-testid': 'summary-intent' },
        h('time', { text: clock(intent.at_ms) }),
        h('strong', { text: kindLabel(intent.kind) + (intent.competitor ? `: ${intent.competitor}` : '') }),
        h('span', { class: 'meta', text: `${speakerNames[intent.speaker] ?? intent.speaker}, confidence ${Math.round((intent.confidence ?? 0) * 100)}%` }),
        h('q', { class: 'excerpt', text: intent.excerpt ?? '' }))))),
    section('Key moments', 'summary-moments', (summary.key_moments ?? []).length === 0 ? empty('No key moments.') : h('ol', { class: 'timeline' },
      summary.key_moments.map((moment) => h('li', { 'data-kind': moment.kind },
        h('time', { text: clock(moment.at_ms) }),
        h('strong', { text: momentLabel(moment) }),
        h('span', { class: 'meta', text: [moment.speaker ? speakerNames[moment.speaker] ?? moment.speaker : null, moment.duration_ms ? seconds(moment.duration_ms) : null].filter(Boolean).join(', ') }))))),
    section('Hints shown', 'summary-hints', (summary.hints ?? []).length === 0 ? empty('No hints were shown.') : h('ol', { class: 'timeline' },
      summary.hints.map((hint) => h('li', { 'data-kind': hint.kind, 'data-hint-id': hint.id, 'data-testid': 'summary-hint' },
        h('time', { text: clock(hint.audio_time_ms ?? 0) }),
        h('strong', { text: hintTitles.get(hint.id) ?? kindLabel(hint.kind) }),
        h('span', { class: `feedback-tag ${hint.feedback ?? 'none'}`, text: hint.feedback === 'used' ? 'Used' : hint.feedback === 'dismissed' ? 'Dismissed' : 'No answer' }))))),
    (summary.questions ?? []).length === 0 ? null : section('Questions asked', 'summary-questions', h('ol', { class: 'timeline' },
      summary.questions.map((question) => h('li', {},
        h('time', { text: clock(question.at_ms) }),
        h('span', { class: 'meta', text: `${speakerNames[question.speaker] ?? question.speaker}: ` }),
        h('q', { text: question.text })))))
  );
}

function figure(term, value) {
  return h('div', {}, h('dt', { text: term }), h('dd', { text: value }));
}

function section(title, testid, content) {
  return h('section', { class: 'summary-part', 'data-testid': testid }, h('h3', { text: title }), content);
}

function empty(text) {
  return h('p', { class: 'empty', text });
}

function shareBar(share) {
  const bar = h('span', { class: 'share-bar', 'aria-hidden': 'true' }, h('span', { class: 'share-fill' }));
  bar.firstChild.style.width = `${Math.min(100, share)}%`;
  return h('span', { class: 'share' }, bar, h('span', { text: percent(share) }));
}

function momentLabel(moment) {
  switch (moment.kind) {
    case 'monologue': return 'Long turn';
    case 'long_silence': return 'Long silence';
    case 'hint_used': return `Hint used: ${kindLabel(moment.label)}`;
    case 'intent': return kindLabel(moment.label);
    default: return kindLabel(moment.kind);
  }
}
