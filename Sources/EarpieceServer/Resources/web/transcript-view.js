// The live transcript (tokens with transcript:read only). A partial line replaces that speaker's previous
// partial; a final line stays.

import { h } from './dom.js';
import { clock } from './format.js';

const speakerNames = { rep: 'You', customer: 'Customer', unknown: 'Call' };

export function createTranscriptView(root, section) {
  const partials = new Map();
  root.replaceChildren();

  function line(message) {
    return h('p', { class: `line speaker-${message.speaker}${message.is_final ? '' : ' partial'}`, 'data-testid': 'transcript-line' },
      h('span', { class: 'who', text: `${speakerNames[message.speaker] ?? message.speaker} ${clock(message.start_ms ?? 0)}` }),
      ' ',
      h('span', { class: 'words', text: message.text }));
  }

  return {
    add(message) {
      section.hidden = false;
      const stick = root.scrollTop + root.clientHeight >= root.scrollHeight - 8;
      const previous = partials.get(message.speaker);
      const next = line(message);
      if (previous) previous.replaceWith(next);
      else root.append(next);
      if (message.is_final) partials.delete(message.speaker);
      else partials.set(message.speaker, next);
      // Follow the newest line unless the rep scrolled up to read.
      if (stick) root.scrollTop = root.scrollHeight;
    },
  };
}
