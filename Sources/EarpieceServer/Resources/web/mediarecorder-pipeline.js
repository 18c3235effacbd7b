// The fallback encoder for browsers without WebCodecs' AudioEncoder: MediaRecorder writing WebM with Opus,
// sent as it comes in 100 ms slices. The gateway's WebM demuxer takes a byte stream split anywhere.

export const container = 'webm';
export const mimeType = 'audio/webm;codecs=opus';

export function mediaRecorderAvailable() {
  return typeof MediaRecorder === 'function' && MediaRecorder.isTypeSupported(mimeType);
}

export async function startMediaRecorderPipeline({ mix, onAudio, onError }) {
  const { context, channels } = mix;
  const destination = context.createMediaStreamDestination();
  destination.channelCount = channels;
  destination.channelCountMode = 'explicit';
  mix.output.connect(destination);

  // Each recorder writes its own WebM stream with its own header. A new connection needs a new stream, so
  // a dropped connection starts a new recorder; chunks of an older one are dropped.
  let generation = 0;
  let recorder = null;
  // dataavailable hands Blobs whose bytes arrive asynchronously: keep their order.
  let delivery = Promise.resolve();

  function startRecorder() {
    const mine = ++generation;
    const next = new MediaRecorder(destination.stream, {
      mimeType,
      audioBitsPerSecond: channels === 2 ? 64000 : 32000,
    });
    next.ondataavailable = (event) => {
      if (event.data.size === 0) return;
      delivery = delivery.then(async () => {
        const bytes = new Uint8Array(await event.data.arrayBuffer());
        if (mine === generation) onAudio(bytes);
      });
    };
    next.onerror = (event) => onError(new Error(`the recorder failed: ${event.error?.message ?? 'unknown error'}`));
    next.start(100);
    recorder = next;
  }

  function stopRecorder(current) {
    return new Promise((resolve) => {
      if (!current || current.state === 'inactive') return resolve();
      current.addEventListener('stop', () => resolve(), { once: true });
      current.stop();
    });
  }

  startRecorder();

  return {
    container,
    channels,
    describe: `MediaRecorder ${mimeType}, ${channels === 2 ? 'stereo' : 'mono'}, 100 ms slices`,
    restartForNewConnection() {
      const old = recorder;
      startRecorder();
      stopRecorder(old);
    },
    async stop() {
      await stopRecorder(recorder);
      // The last slice arrives with 'stop'; wait until its bytes have been handed on.
      await delivery;
      mix.output.disconnect(destination);
    },
  };
}
