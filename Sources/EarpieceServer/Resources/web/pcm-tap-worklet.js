// Runs on the audio rendering thread. It hands the mixed PCM to the page in 20 ms chunks (one Opus frame),
// which costs far fewer messages than one per 128-frame render quantum.

class PcmTap extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const { channels, chunkFrames } = options.processorOptions;
    this.channels = channels;
    this.chunkFrames = chunkFrames;
    this.filled = 0;
    this.planes = this.freshPlanes();
    this.running = true;
    this.port.onmessage = (event) => {
      if (event.data === 'stop') this.running = false;
    };
  }

  freshPlanes() {
    return Array.from({ length: this.channels }, () => new Float32Array(this.chunkFrames));
  }

  process(inputs) {
    if (!this.running) return false;
    const input = inputs[0];
    const frames = input.length > 0 ? input[0].length : 128;
    let offset = 0;
    while (offset < frames) {
      const take = Math.min(frames - offset, this.chunkFrames - this.filled);
      for (let channel = 0; channel < this.channels; channel++) {
        // A source that is not producing yet has no channels: it is silence, and the call's clock still runs.
        const source = input[channel] ?? input[0];
        if (source) this.planes[channel].set(source.subarray(offset, offset + take), this.filled);
      }
      this.filled += take;
      offset += take;
      if (this.filled === this.chunkFrames) {
        this.port.postMessage(this.planes, this.planes.map((plane) => plane.buffer));
        this.planes = this.freshPlanes();
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('pcm-tap', PcmTap);
