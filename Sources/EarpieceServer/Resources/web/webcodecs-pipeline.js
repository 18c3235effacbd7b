// The preferred encoder: WebCodecs Opus in 20 ms frames, each packet sent as one raw frame
// (docs/protocol.md, "Raw frames"). Raw frames carry our own sequence numbers, which is what makes a
// resume after a dropped connection exact.

import { rawFrame } from './raw-frame.js';

export const container = 'raw';

export function webCodecsAvailable() {
  return typeof AudioEncoder === 'function' && typeof AudioData === 'function' && typeof AudioWorkletNode === 'function';
}

export async function startWebCodecsPipeline({ mix, onAudio, onError }) {
  const { context, channels } = mix;
  // Configured from what the graph really produces, not from what was asked for.
  const config = {
    codec: 'opus',
    sampleRate: context.sampleRate,
    numberOfChannels: channels,
    bitrate: channels === 2 ? 64000 : 32000,
    opus: { frameDuration: 20000 },
  };
  const support = await AudioEncoder.isConfigSupported(config);
  if (!support.supported) {
    throw new Error(`this browser cannot encode Opus at ${config.sampleRate} Hz with ${channels} channel(s)`);
  }

  let sequence = 0;
  const encoder = new AudioEncoder({
    output(chunk) {
      const packet = new Uint8Array(chunk.byteLength);
      chunk.copyTo(packet);
      onAudio(rawFrame(sequence, chunk.timestamp, packet));
      sequence = (sequence + 1) >>> 0;
    },
    error(error) {
      onError(new Error(`the Opus encoder failed: ${error.message}`));
    },
  });
  encoder.configure(config);

  await context.audioWorklet.addModule('/web/pcm-tap-worklet.js');
  const tap = new AudioWorkletNode(context, 'pcm-tap', {
    numberOfInputs: 1,
    numberOfOutputs: 0,
    channelCount: channels,
    channelCountMode: 'explicit',
    channelInterpretation: 'speakers',
    processorOptions: { channels, chunkFrames: Math.round(context.sampleRate / 50) },
  });

  // Capture time on the call's own clock: frames fed so far, so timestamps never jump with the wall clock.
  let framesFed = 0;
  tap.port.onmessage = (event) => {
    if (encoder.state !== 'configured') return;
    const planes = event.data;
    const frames = planes[0].length;
    const planar = new Float32Array(frames * channels);
    planes.forEach((plane, index) => planar.set(plane, index * frames));
    const data = new AudioData({
      format: 'f32-planar',
      sampleRate: context.sampleRate,
      numberOfFrames: frames,
      numberOfChannels: channels,
      timestamp: Math.round((framesFed * 1e6) / context.sampleRate),
      data: planar,
    });
    framesFed += frames;
    encoder.encode(data);
    data.close();
  };
  mix.output.connect(tap);

  return {
    container,
    channels,
    describe: `WebCodecs Opus, ${context.sampleRate} Hz, ${channels === 2 ? 'stereo' : 'mono'}, 20 ms frames`,
    // A resumed raw stream continues the same sequence: nothing to restart.
    restartForNewConnection() {},
    async stop() {
      tap.port.postMessage('stop');
      mix.output.disconnect(tap);
      tap.port.onmessage = null;
      if (encoder.state === 'configured') {
        await encoder.flush();
        encoder.close();
      }
    },
  };
}
