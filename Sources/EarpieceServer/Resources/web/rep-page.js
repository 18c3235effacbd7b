// The rep's page: sign in, pick the audio, run the call, read hints live, then the summary.

import { apiRequest } from './api.js';
import { byId, h, show } from './dom.js';
import { setUpSignIn, signedInToken } from './sign-in.js';
import { tokenRoles } from './session-token.js';
import { chooseEncoder } from './encoder-choice.js';
import { listMicrophones, microphonesWithPermission, openMicrophone, openTabAudio, stopStream, describeMediaError, describeCapture, NoTabAudio } from './audio-sources.js';
import { mixCallAudio } from './audio-mix.js';
import { RawOutbox } from './raw-outbox.js';
import { WebMOutbox } from './webm-outbox.js';
import { CallStream } from './call-stream.js';
import { createAnnouncer } from './announcer.js';
import { createHintCards } from './hint-cards.js';
import { createDynamicsView } from './dynamics-view.js';
import { createTranscriptView } from './transcript-view.js';
import { pollSummary, renderSummary } from './summary-view.js';

const closeTimeoutMs = 90000;
const stateLabels = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  closing: 'Ending the call…',
  ended: 'Call ended',
  failed: 'Connection failed',
};

const announce = createAnnouncer(byId('announcer'));
const connection = byId('connection');
const startButton = byId('start');
const stopButton = byId('stop');
const dropButton = byId('drop');
const micSelect = byId('mic-select');
const useTab = byId('use-tab');
const voiceProcessing = byId('voice-processing');
const callError = byId('call-error');
const callNotice = byId('call-notice');
const facts = byId('call-facts');
const encoderChoice = chooseEncoder();
const developerControls = new URLSearchParams(location.search).get('dev') === '1';

let call = null;
let summaryAbort = null;

setUpSignIn({
  check: checkRepToken,
  onSignedIn() {
    show(byId('setup'), true);
    describeEncoder();
    refreshMicrophones();
    startButton.focus();
  },
  onSignedOut() {
    show(byId('setup'), false);
    show(byId('live'), false);
    show(byId('summary-section'), false);
  },
});

async function checkRepToken(token) {
  const { status, body } = await apiRequest(token, '/v1/calls?limit=1');
  if (status === 401) throw new Error(`The gateway refused this token: ${body?.reason ?? 'unauthorized'}.`);
  const roles = tokenRoles(token);
  if (!roles.includes('rep')) {
    const elsewhere = roles.includes('admin') || roles.includes('auditor') ? ' Administrators and auditors use the administration page at /admin.' : '';
    throw new Error(`This token cannot stream calls: it lacks the rep role.${elsewhere}`);
  }
  if (status !== 200) throw new Error(`The gateway refused this token: ${body?.reason ?? `HTTP ${status}`}.`);
}

function describeEncoder() {
  const note = byId('encoder-note');
  if (encoderChoice.problem) {
    note.textContent = encoderChoice.problem;
    note.dataset.encoder = 'none';
    startButton.disabled = true;
    return;
  }
  note.dataset.encoder = encoderChoice.name;
  note.textContent = encoderChoice.name === 'webcodecs'
    ? 'Audio is encoded with WebCodecs (Opus, 20 ms frames); a dropped connection resumes without losing audio.'
    : 'Audio is recorded with MediaRecorder (WebM/Opus), the fallback for browsers without WebCodecs; after a dropped connection up to about a second may be lost.';
}

async function refreshMicrophones(devices) {
  const microphones = devices ?? (await listMicrophones().catch(() => []));
  const chosen = micSelect.value;
  const options = [h('option', { value: '', text: 'Default microphone' })];
  microphones.forEach((device, index) => {
    if (!device.deviceId || device.deviceId === 'default') return;
    options.push(h('option', { value: device.deviceId, text: device.label || `Microphone ${index + 1}` }));
  });
  micSelect.replaceChildren(...options);
  if ([...micSelect.options].some((option) => option.value === chosen)) micSelect.value = chosen;
}

byId('find-mics').addEventListener('click', async () => {
  callError.textContent = '';
  try {
    await refreshMicrophones(await microphonesWithPermission());
    announce(`${micSelect.options.length - 1} microphones found`);
  } catch (error) {
    callError.textContent = describeMediaError(error, 'microphone');
  }
});
navigator.mediaDevices?.addEventListener('devicechange', () => refreshMicrophones());

startButton.addEventListener('click', () => startCall());
stopButton.addEventListener('click', () => endCall());
show(dropButton, developerControls);
dropButton.addEventListener('click', () => call?.stream.dropConnection());

function setConnectionState(state, detail = '') {
  connection.dataset.state = state;
  connection.textContent = stateLabels[state] ?? state;
  callNotice.textContent = detail;
  announce(`${stateLabels[state] ?? state}${detail ? `: ${detail}` : ''}`);
}

// Facts about the running call, always in this order; each shows once it is known.
const factLabels = {
  call_id: 'Call',
  capture: 'Microphone',
  container: 'Audio',
  channels: 'Channels',
  tier: 'Guidance',
  recording: 'Recording',
  unacked: 'Not yet stored',
  resumed_after: 'Resumed after frame',
  packets: 'Packets',
  lost_packets: 'Lost packets',
};

function resetFacts() {
  facts.replaceChildren(...Object.entries(factLabels).map(([name, label]) =>
    h('div', { hidden: true }, h('dt', { text: label }), h('dd', { 'data-fact': name, 'data-testid': `fact-${name}` }))));
  delete facts.dataset.container;
  delete facts.dataset.callId;
  delete facts.dataset.resumes;
}

function setFact(name, value) {
  const dd = facts.querySelector(`[data-fact="${name}"]`);
  dd.textContent = String(value);
  dd.parentElement.hidden = false;
}

async function startCall() {
  callError.textContent = '';
  callNotice.textContent = '';
  if (encoderChoice.problem) return;
  startButton.disabled = true;
  summaryAbort?.abort();
  show(byId('summary-section'), false);

  let mic = null;
  let tab = null;
  try {
    mic = await openMicrophone(micSelect.value, { processing: voiceProcessing.checked });
  } catch (error) {
    callError.textContent = describeMediaError(error, 'microphone');
    startButton.disabled = false;
    return;
  }
  refreshMicrophones();
  if (useTab.checked) {
    try {
      tab = await openTabAudio();
    } catch (error) {
      stopStream(mic);
      callError.textContent = error instanceof NoTabAudio ? error.message : describeMediaError(error, 'tab audio');
      startButton.disabled = false;
      return;
    }
  }

  const mix = await mixCallAudio(mic, tab);
  const outbox = encoderChoice.container === 'raw' ? new RawOutbox() : new WebMOutbox();
  const views = showLiveViews();
  const stream = new CallStream({
    channels: mix.channels,
    container: encoderChoice.container,
    outbox,
    tokenSource: signedInToken,
    onMessage: (message) => received(message, views, outbox),
    onState: (state, detail) => {
      setConnectionState(state, detail);
      if (state === 'failed') abandonCall(detail);
    },
    onConnectionLost: () => call?.pipeline?.restartForNewConnection(),
  });
  call = { mic, tab, mix, stream, pipeline: null, hintTitles: views.hintTitles };
  try {
    call.pipeline = await encoderChoice.start({
      mix,
      onAudio: (bytes) => stream.sendAudio(bytes),
      onError: (error) => {
        callError.textContent = error.message;
      },
    });
  } catch (error) {
    callError.textContent = `Audio could not be encoded: ${error.message}`;
    await releaseAudio(call);
    call = null;
    startButton.disabled = false;
    return;
  }
  for (const track of mic.getAudioTracks()) {
    track.addEventListener('ended', () => {
      callError.textContent = 'The microphone stopped (unplugged or taken by another program). End the call and start again.';
    });
  }
  resetFacts();
  setFact('capture', `${describeCapture(mic)} → ${mix.context.sampleRate} Hz ${mix.channels === 2 ? 'stereo' : 'mono'}`);
  setFact('container', call.pipeline.describe);
  setFact('unacked', 0);
  stream.open();
  stopButton.disabled = false;
  stopButton.focus();
}

function showLiveViews() {
  show(byId('live'), true);
  const hintTitles = new Map();
  const hints = createHintCards(byId('hints'), {
    sendFeedback: (hintId, action) => call?.stream.sendMessage({ type: 'hint_feedback', hint_id: hintId, action }) ?? false,
    announce,
  });
  const dynamics = createDynamicsView(byId('dynamics'));
  const transcriptSection = byId('transcript-section');
  show(transcriptSection, false);
  const transcript = createTranscriptView(byId('transcript'), transcriptSection);
  return { hints, dynamics, transcript, hintTitles };
}

function received(message, views, outbox) {
  switch (message.type) {
    case 'ready':
      setFact('call_id', message.call_id);
      setFact('channels', message.channels);
      setFact('tier', message.tier);
      setFact('recording', message.recording ? 'yes' : 'no');
      facts.dataset.container = message.container;
      facts.dataset.callId = message.call_id;
      if (message.resumed_after !== undefined && message.resumed_after !== null) {
        setFact('resumed_after', message.resumed_after);
        facts.dataset.resumes = String(Number(facts.dataset.resumes ?? 0) + 1);
      }
      break;
    case 'ack':
      setFact('unacked', outbox.unacknowledged);
      break;
    case 'hint':
      views.hintTitles.set(message.id, message.title);
      views.hints.add(message);
      break;
    case 'dynamics':
      views.dynamics.update(message);
      break;
    case 'transcript':
      views.transcript.add(message);
      break;
    case 'warning':
      if (message.code === 'tier_changed' && message.tier) setFact('tier', message.tier);
      if (message.code !== 'unknown_hint') callNotice.textContent = message.message;
      break;
    case 'error':
      callError.textContent = `The gateway ended the stream: ${message.message}`;
      break;
    case 'closed':
      setFact('packets', message.packets);
      setFact('lost_packets', message.lost_packets);
      break;
    default:
      break;
  }
}

async function endCall() {
  if (!call) return;
  const ending = call;
  stopButton.disabled = true;
  try {
    await ending.pipeline.stop();
  } catch (error) {
    callError.textContent = `The last audio could not be encoded: ${error.message}`;
  }
  let closed = null;
  try {
    closed = await withTimeout(ending.stream.finish(), closeTimeoutMs, 'the gateway did not confirm the end of the call');
  } catch (error) {
    callError.textContent = `The call may not have ended cleanly: ${error.message}.`;
    ending.stream.abandon();
  }
  await releaseAudio(ending);
  call = null;
  startButton.disabled = false;
  if (closed && ending.stream.callId) showSummary(ending.stream.callId, ending.hintTitles);
}

// The connection failed for good: stop capturing; the rep can start a new call.
async function abandonCall(reason) {
  if (!call) return;
  const failed = call;
  call = null;
  callError.textContent = reason;
  stopButton.disabled = true;
  try {
    await failed.pipeline?.stop();
  } catch {
    // The call is already lost; nothing more to report.
  }
  await releaseAudio(failed);
  startButton.disabled = false;
}

async function releaseAudio(ending) {
  stopStream(ending.mic);
  stopStream(ending.tab);
  await ending.mix.close().catch(() => {});
}

async function showSummary(callId, hintTitles) {
  const section = byId('summary-section');
  const state = byId('summary-state');
  const root = byId('summary');
  show(section, true);
  root.replaceChildren();
  summaryAbort = new AbortController();
  const setState = (name, text) => {
    state.dataset.state = name;
    state.textContent = text;
  };
  setState('pending', 'Summary pending…');
  try {
    const summary = await pollSummary({ token: signedInToken, callId, onState: setState, signal: summaryAbort.signal });
    if (!summary) return;
    setState('ready', 'Summary ready.');
    renderSummary(root, summary, hintTitles);
    announce('The call summary is ready');
  } catch (error) {
    setState(error.kind ?? 'error', error.message);
  }
}

function withTimeout(promise, ms, message) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]);
}
