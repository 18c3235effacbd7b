// One call's WebSocket to the gateway (docs/protocol.md): opens it with the token in the subprotocol list,
// keeps it alive, and when it drops, reconnects with backoff and resumes the call with the call id and
// resume token of the first `ready`. Audio goes through an outbox that knows what may be resent.

import { apiRequest } from './api.js';

const keepaliveMs = 5000;
const resumeWindowMs = 10 * 60 * 1000;
const firstConnectAttempts = 3;
// Closes after which sending the same audio again would be refused again.
const fatalCloseCodes = new Map([
  [1009, 'a message was too large for the gateway'],
  [4400, 'the gateway refused the audio'],
  [4402, 'the gateway refused a message'],
]);

export class CallStream {
  constructor({ channels, container, outbox, tokenSource, onMessage, onState, onConnectionLost }) {
    this.channels = channels;
    this.container = container;
    this.outbox = outbox;
    this.tokenSource = tokenSource;
    this.onMessage = onMessage;
    this.onState = onState;
    this.onConnectionLost = onConnectionLost;
    this.socket = null;
    this.live = false;
    this.callId = null;
    this.resumeToken = null;
    this.closing = false;
    this.closedMessage = null;
    this.lastError = null;
    this.attempts = 0;
    this.droppedAt = null;
    this.retryTimer = null;
    this.keepaliveTimer = null;
    this.state = 'idle';
    this.finished = new Promise((resolve, reject) => {
      this.resolveFinished = resolve;
      this.rejectFinished = reject;
    });
    // Nobody may be waiting yet; an unawaited rejection is not an error here.
    this.finished.catch(() => {});
  }

  open() {
    this.connect();
  }

  sendAudio(bytes) {
    if (this.outbox.keep(bytes) && this.live) this.socket.send(bytes);
  }

  sendMessage(message) {
    if (!this.live) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  // Ends the call: `close`, then wait for `closed` (which the gateway sends after flushing its pipeline).
  // If the connection is down, the close goes out as soon as a resumed connection is ready.
  finish() {
    this.closing = true;
    if (this.live) this.socket.send(JSON.stringify({ type: 'close' }));
    this.setState('closing');
    return this.finished;
  }

  // Used by the page's developer controls to exercise resuming; the gateway sees an ordinary drop.
  dropConnection() {
    if (this.socket && this.live) this.socket.close(4000, 'dropped on purpose');
  }

  abandon() {
    clearTimeout(this.retryTimer);
    this.stopKeepalive();
    if (this.socket) {
      this.socket.onclose = null;
      this.socket.close(1000);
    }
    this.setState('ended');
  }

  setState(state, detail = '') {
    this.state = state;
    this.onState(state, detail);
  }

  url() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const query = new URLSearchParams({ channels: String(this.channels), container: this.container });
    if (this.callId) {
      query.set('call_id', this.callId);
      query.set('resume_token', this.resumeToken);
    }
    return `${scheme}//${location.host}/v1/stream?${query}`;
  }

  connect() {
    const token = this.tokenSource();
    this.setState(this.callId ? 'reconnecting' : 'connecting');
    this.lastError = null;
    const socket = new WebSocket(this.url(), ['earpiece.v1', `bearer.${token}`]);
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (event) => this.received(event);
    socket.onclose = (event) => this.dropped(socket, event);
    this.socket = socket;
  }

  received(event) {
    if (typeof event.data !== 'string') return;
    let message;
    try {
      message = JSON.parse(event.data);
    } catch {
      return;
    }
    switch (message.type) {
      case 'ready':
        this.becameReady(message);
        break;
      case 'ack':
        this.outbox.acked(message.seq);
        break;
      case 'closed':
        this.closedMessage = message;
        break;
      case 'error':
        this.lastError = message;
        break;
      default:
        break;
    }
    this.onMessage(message);
  }

  becameReady(ready) {
    if (!this.callId) {
      this.callId = ready.call_id;
      this.resumeToken = ready.resume_token;
    }
    this.live = true;
    this.attempts = 0;
    this.droppedAt = null;
    for (const frame of this.outbox.framesAfterReady(ready)) this.socket.send(frame);
    this.startKeepalive();
    if (this.closing) {
      this.socket.send(JSON.stringify({ type: 'close' }));
      this.setState('closing');
    } else {
      this.setState('live');
    }
  }

  dropped(socket, event) {
    if (socket !== this.socket) return;
    this.live = false;
    this.stopKeepalive();
    if (this.closedMessage) {
      this.setState('ended');
      this.resolveFinished(this.closedMessage);
      return;
    }
    this.outbox.connectionLost();
    this.onConnectionLost?.();
    const fatal = fatalCloseCodes.get(event.code);
    if (fatal) {
      this.fail(`${fatal}: ${this.lastError?.message ?? event.reason ?? 'no reason given'}`);
      return;
    }
    this.droppedAt ??= Date.now();
    if (!this.callId) {
      this.firstConnectFailed();
      return;
    }
    let delay = backoff(this.attempts++);
    if (event.code === 1013 && this.lastError?.retry_after_ms) delay = this.lastError.retry_after_ms;
    const why = this.lastError?.message ?? `connection lost (code ${event.code})`;
    this.setState('reconnecting', `${why}; trying again in ${Math.round(delay / 100) / 10} s`);
    this.retryTimer = setTimeout(() => this.reconnect(), delay);
  }

  // A browser never sees the HTTP answer to a refused upgrade, so ask the REST API why.
  async firstConnectFailed() {
    const check = await this.askGateway('/v1/calls?limit=1');
    if (check.status === 401 || check.status === 403) {
      this.fail(`the gateway refused the token: ${check.body?.reason ?? check.status}`);
      return;
    }
    if (this.attempts + 1 >= firstConnectAttempts) {
      this.fail(this.lastError?.message ?? 'the gateway refused the stream; check the server log');
      return;
    }
    const delay = this.lastError?.retry_after_ms ?? backoff(this.attempts++);
    this.setState('connecting', `trying again in ${Math.round(delay / 100) / 10} s`);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  // Before each resume: is the call still open, is the token still good?
  async reconnect() {
    if (Date.now() - this.droppedAt > resumeWindowMs) {
      this.fail('the connection stayed down longer than the resume window (10 minutes)');
      return;
    }
    const check = await this.askGateway(`/v1/calls/${encodeURIComponent(this.callId)}`);
    if (check.status === 401) {
      this.setState('reconnecting', `sign in again to continue the call: ${check.body?.reason ?? 'token refused'}`);
      this.retryTimer = setTimeout(() => this.reconnect(), 3000);
      return;
    }
    if (check.status === 404) {
      this.fail('the gateway no longer knows this call');
      return;
    }
    if (check.status === 200 && check.body?.status === 'ended') {
      this.setState('ended', 'the call had already ended');
      this.resolveFinished({ type: 'closed', call_id: this.callId });
      return;
    }
    if (check.status === 0) {
      const delay = backoff(this.attempts++);
      this.setState('reconnecting', `the gateway is unreachable; trying again in ${Math.round(delay / 100) / 10} s`);
      this.retryTimer = setTimeout(() => this.reconnect(), delay);
      return;
    }
    this.connect();
  }

  async askGateway(path) {
    try {
      return await apiRequest(this.tokenSource(), path);
    } catch {
      return { status: 0, body: null };
    }
  }

  fail(reason) {
    clearTimeout(this.retryTimer);
    this.setState('failed', reason);
    this.rejectFinished(new Error(reason));
  }

  startKeepalive() {
    this.stopKeepalive();
    this.keepaliveTimer = setInterval(() => this.sendMessage({ type: 'keepalive' }), keepaliveMs);
  }

  stopKeepalive() {
    clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = null;
  }
}

// 0.5 s doubling to 8 s, with jitter so that many clients cut off together do not return together.
function backoff(attempt) {
  const base = Math.min(8000, 500 * 2 ** attempt);
  return Math.round(base * (0.75 + Math.random() * 0.5));
}
