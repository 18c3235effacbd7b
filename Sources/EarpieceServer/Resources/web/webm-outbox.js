// WebM slices waiting for a live connection. Unlike raw frames, WebM carries no sequence numbers of ours:
// the gateway counts a WebM stream's packets per connection, and every connection must begin with its own
// WebM header. So the frames of a lost connection cannot be matched to its acks and resent; instead the
// recorder starts a new stream the moment the connection drops, and that stream is held here until the
// next connection is ready. What the lost connection had not yet stored (about a second) is lost.

export class WebMOutbox {
  constructor() {
    this.waiting = [];
    this.live = false;
    this.ackedPackets = null;
  }

  keep(chunk) {
    if (this.live) return true;
    this.waiting.push(chunk);
    return false;
  }

  acked(sequence) {
    this.ackedPackets = sequence;
  }

  connectionLost() {
    this.live = false;
    this.waiting = [];
  }

  framesAfterReady() {
    this.live = true;
    const chunks = this.waiting;
    this.waiting = [];
    return chunks;
  }

  get unacknowledged() {
    return this.waiting.length;
  }
}
