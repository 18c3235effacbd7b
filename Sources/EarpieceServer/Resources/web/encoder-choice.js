// Which encoder a call uses: WebCodecs where the browser has it, MediaRecorder otherwise. The query flag
// ?encoder=webcodecs or ?encoder=mediarecorder forces one, for testing the fallback in a browser that
// has both.

import { webCodecsAvailable, startWebCodecsPipeline } from './webcodecs-pipeline.js';
import { mediaRecorderAvailable, startMediaRecorderPipeline } from './mediarecorder-pipeline.js';

export function chooseEncoder(search = location.search) {
  const forced = new URLSearchParams(search).get('encoder');
  if (forced === 'webcodecs') {
    return webCodecsAvailable()
      ? { name: 'webcodecs', container: 'raw', start: startWebCodecsPipeline, forced: true }
      : { problem: 'This browser has no WebCodecs AudioEncoder (?encoder=webcodecs was asked for).' };
  }
  if (forced === 'mediarecorder') {
    return mediaRecorderAvailable()
      ? { name: 'mediarecorder', container: 'webm', start: startMediaRecorderPipeline, forced: true }
      : { problem: 'This browser cannot record audio/webm;codecs=opus (?encoder=mediarecorder was asked for).' };
  }
  if (webCodecsAvailable()) return { name: 'webcodecs', container: 'raw', start: startWebCodecsPipeline, forced: false };
  if (mediaRecorderAvailable()) return { name: 'mediarecorder', container: 'webm', start: startMediaRecorderPipeline, forced: false };
  return { problem: 'This browser can encode Opus neither with WebCodecs nor with MediaRecorder. Use a current Chrome, Edge or Firefox.' };
}
