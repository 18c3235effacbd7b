// Raw frames sent but not yet stored. The gateway acks by our own sequence numbers, so after a reconnect
// exactly the frames it has not stored are sent again (docs/protocol.md, "Resuming").

import { frameSequence } from './raw-frame.js';

// Ten minutes of 20 ms frames: the gateway's resume window. Beyond it the call cannot be resumed anyway.
const maxKeptFrames = 30000;

export class RawOutbox {
  constructor() {
    this.frames = [];
    this.ackedThrough = null;
    this.discarded = 0;
  }

  // Every frame is kept, sent or not, until an ack covers it.
  keep(frame) {
    this.frames.push(frame);
    if (this.frames.length > maxKeptFrames) {
      this.frames.shift();
      this.discarded += 1;
    }
    return true; // send now when the connection is live
  }

  acked(sequence) {
    this.ackedThrough = sequence;
    let drop = 0;
    while (drop < this.frames.length && frameSequence(this.frames[drop]) <= sequence) drop += 1;
    if (drop > 0) this.frames.splice(0, drop);
  }

  connectionLost() {}

  // After `ready`: on a resumed call what follows `resumed_after`, on a new call all that is kept.
  framesAfterReady(ready) {
    const after = ready.resumed_after;
    if (after === undefined || after === null) return this.frames.slice();
    return this.frames.filter((frame) => frameSequence(frame) > after);
  }

  get unacknowledged() {
    return this.frames.length;
  }
}
