// Signing in: a token from the sign-in link's fragment, from this tab's session, or pasted into the form.
// Each page checks the token with one REST call before using it, because a refused WebSocket upgrade
// shows the browser no reason at all.

import { adoptTokenFromFragment, currentToken, saveToken, forgetToken, tokenClaims } from './session-token.js';
import { byId, show } from './dom.js';

export function setUpSignIn({ check, onSignedIn, onSignedOut }) {
  const section = byId('sign-in');
  const form = byId('sign-in-form');
  const input = byId('token-input');
  const error = byId('sign-in-error');
  const who = byId('who');
  const whoName = byId('who-name');
  const signOut = byId('sign-out');

  async function tryToken(token, fromForm) {
    error.textContent = '';
    try {
      await check(token);
    } catch (problem) {
      forgetToken();
      show(section, true);
      show(who, false);
      error.textContent = problem.message;
      if (fromForm) input.focus();
      return;
    }
    saveToken(token);
    input.value = '';
    show(section, false);
    whoName.textContent = `Signed in as ${tokenClaims(token)?.sub ?? 'unknown user'}`;
    show(who, true);
    onSignedIn(token);
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      error.textContent = 'Paste a token first.';
      input.focus();
      return;
    }
    tryToken(token, true);
  });

  signOut.addEventListener('click', () => {
    forgetToken();
    show(who, false);
    show(section, true);
    onSignedOut?.();
    input.focus();
  });

  const token = adoptTokenFromFragment() ?? currentToken();
  if (token) tryToken(token, false);
  else show(section, true);
}

export function signedInToken() {
  return currentToken();
}
