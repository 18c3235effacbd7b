// The two sides of a call: the rep's microphone, and optionally the customer's voice from the tab the call
// runs in (screen sharing with audio is the only way a page can hear another tab).

export async function listMicrophones() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((device) => device.kind === 'audioinput');
}

// Browsers show device names only after the user has allowed the microphone once; ask, then let go at once
// so the device is not held open while the rep is still choosing.
export async function microphonesWithPermission() {
  const probe = await navigator.mediaDevices.getUserMedia({ audio: true });
  probe.getTracks().forEach((track) => track.stop());
  return listMicrophones();
}

// The browser's voice processing (echo cancellation, noise suppression, gain control) helps a rep on
// speakers but changes what the recognizer hears; the rep decides. Whatever the device then delivers
// (48 kHz mono with processing, often 44.1 kHz stereo without), the call's AudioContext converts.
export async function openMicrophone(deviceId, { processing = true } = {}) {
  const audio = {
    echoCancellation: processing,
    noiseSuppression: processing,
    autoGainControl: processing,
  };
  if (deviceId) audio.deviceId = { exact: deviceId };
  return navigator.mediaDevices.getUserMedia({ audio, video: false });
}

// What the device really delivers, for the page to show.
export function describeCapture(stream) {
  const settings = stream.getAudioTracks()[0]?.getSettings() ?? {};
  const rate = settings.sampleRate ? `${settings.sampleRate} Hz` : 'unknown rate';
  const channels = settings.channelCount ? `${settings.channelCount} ch` : '? ch';
  return `${rate}, ${channels}`;
}

export class NoTabAudio extends Error {}

export async function openTabAudio() {
  // Chrome requires video in the request; the page uses only the audio track.
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: true });
  const audio = stream.getAudioTracks();
  if (audio.length === 0) {
    stream.getTracks().forEach((track) => track.stop());
    throw new NoTabAudio('the shared tab sends no audio: share a tab and tick "Also share tab audio"');
  }
  return stream;
}

export function stopStream(stream) {
  stream?.getTracks().forEach((track) => track.stop());
}

// The words a rep sees when the browser refuses a device.
export function describeMediaError(error, what) {
  switch (error?.name) {
    case 'NotAllowedError':
      return `The ${what} was not allowed. Allow it in the browser's site settings (the icon left of the address) and try again.`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No ${what} was found. Plug one in or choose another, then try again.`;
    case 'NotReadableError':
      return `The ${what} is in use by another program or could not be opened.`;
    case 'AbortError':
      return `Opening the ${what} was cancelled.`;
    default:
      return `The ${what} could not be opened: ${error?.message ?? error}`;
  }
}
