// The raw framing of docs/protocol.md ("Raw frames"): one Opus packet per WebSocket message behind a
// 16-byte big-endian header, so the server gets the sender's own sequence numbers and can drop resends.

export const headerBytes = 16;

export function rawFrame(sequence, captureTimeUs, packet) {
  const frame = new Uint8Array(headerBytes + packet.byteLength);
  const view = new DataView(frame.buffer);
  frame[0] = 0x45; // "E"
  frame[1] = 0x50; // "P"
  frame[2] = 1; // version
  frame[3] = 0; // flags, reserved
  view.setUint32(4, sequence >>> 0);
  view.setBigUint64(8, BigInt(Math.max(0, Math.round(captureTimeUs))));
  frame.set(packet, headerBytes);
  return frame;
}

export function frameSequence(frame) {
  return new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(4);
}
