// Mixes the call's sides into what the gateway expects (docs/protocol.md, "Audio on the wire"): stereo
// with the rep on channel 0 and the customer on channel 1, or the rep's mic alone in mono.
//
// Everything runs through one AudioContext at 48 kHz, whatever the devices deliver (a capture device may
// run at 44.1 kHz, in stereo): the context resamples, and each side is folded to one channel first.

export const callSampleRate = 48000;

export async function mixCallAudio(micStream, tabStream) {
  const context = new AudioContext({ sampleRate: callSampleRate, latencyHint: 'interactive' });
  if (context.state !== 'running') await context.resume();
  const channels = tabStream ? 2 : 1;
  const rep = monoOf(context, context.createMediaStreamSource(micStream));
  let output = rep;
  if (tabStream) {
    const customer = monoOf(context, context.createMediaStreamSource(tabStream));
    const merger = context.createChannelMerger(2);
    rep.connect(merger, 0, 0);
    customer.connect(merger, 0, 1);
    output = merger;
  }
  return {
    context,
    output,
    channels,
    async close() {
      await context.close();
    },
  };
}

function monoOf(context, source) {
  const fold = context.createGain();
  fold.channelCount = 1;
  fold.channelCountMode = 'explicit';
  fold.channelInterpretation = 'speakers';
  source.connect(fold);
  return fold;
}
