// Hint cards: what the gateway suggests, why (the trigger), and the rep's answer to it. The answer goes
// back as hint_feedback and ends up in the call's summary.

import { h } from './dom.js';
import { clock, kindLabel } from './format.js';

export function createHintCards(list, { sendFeedback, announce }) {
  const empty = h('p', { class: 'empty', 'data-testid': 'hints-empty', text: 'No hints yet. They appear here as the call goes.' });
  list.replaceChildren(empty);

  function feedbackButton(card, hint, action, label) {
    return h('button', {
      type: 'button',
      class: `feedback ${action}`,
      'aria-pressed': 'false',
      'data-testid': `hint-${action}`,
      text: label,
      onclick: (event) => {
        const sent = sendFeedback(hint.id, action);
        if (!sent) {
          card.querySelector('.feedback-note').textContent = 'Not sent: the connection is down.';
          return;
        }
        card.dataset.feedback = action;
        for (const button of card.querySelectorAll('button.feedback')) {
          button.setAttribute('aria-pressed', String(button === event.currentTarget));
        }
        card.querySelector('.feedback-note').textContent = action === 'used' ? 'Marked as used.' : 'Dismissed.';
      },
    });
  }

  return {
    add(hint) {
      empty.remove();
      const details = [
        // The gateway quotes the trigger words itself.
        ['Heard', hint.trigger, 'trigger'],
        ['Competitor', hint.competitor, 'competitor'],
        ['Speaker', hint.speaker, 'speaker'],
      ].filter(([, value]) => value);
      const card = h(
        'article',
        {
          class: `hint kind-${hint.kind}`,
          'data-testid': 'hint-card',
          'data-kind': hint.kind,
          'data-hint-id': hint.id,
          'aria-labelledby': `hint-title-${hint.id}`,
        },
        h(
          'header',
          { class: 'hint-head' },
          h('span', { class: 'hint-kind', text: kindLabel(hint.kind) }),
          h('time', { class: 'hint-time', 'data-testid': 'hint-time', text: clock(hint.audio_time_ms ?? 0) }),
        ),
        h('h3', { id: `hint-title-${hint.id}`, class: 'hint-title', text: hint.title ?? kindLabel(hint.kind) }),
        hint.body ? h('p', { class: 'hint-body', text: hint.body }) : null,
        details.length
          ? h('dl', { class: 'hint-details' }, details.map(([term, value, key]) => [
              h('dt', { text: term }),
              h('dd', { 'data-testid': `hint-${key}`, text: value }),
            ]))
          : null,
      );
      card.append(
        h(
          'div',
          { class: 'hint-actions' },
          feedbackButton(card, hint, 'used', 'Used'),
          feedbackButton(card, hint, 'dismissed', 'Dismiss'),
          h('span', { class: 'feedback-note', role: 'status' }),
        ),
      );
      list.prepend(card);
      announce(`New hint: ${hint.title ?? kindLabel(hint.kind)}`);
    },
  };
}
