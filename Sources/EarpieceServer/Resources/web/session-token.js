// Where the page keeps the user's token: sessionStorage, so it dies with the tab and is never sent
// anywhere but in the Authorization header or the WebSocket subprotocol list.

const storageKey = 'earpiece.token';

// A sign-in link carries the token in the fragment, which browsers never send to a server. Take it out of
// the address bar at once so it does not linger in history, bookmarks or screenshots.
export function adoptTokenFromFragment() {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = fragment.get('token');
  if (!token) return null;
  saveToken(token);
  history.replaceState(null, '', location.pathname + location.search);
  return token.trim();
}

export function currentToken() {
  return sessionStorage.getItem(storageKey);
}

export function saveToken(token) {
  sessionStorage.setItem(storageKey, token.trim());
}

export function forgetToken() {
  sessionStorage.removeItem(storageKey);
}

// Reads the claims without checking the signature: only to tell the user early what the token allows.
// The server checks everything again on every request.
export function tokenClaims(token) {
  try {
    const payload = token.split('.')[1];
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const claims = JSON.parse(json);
    return typeof claims === 'object' && claims !== null ? claims : null;
  } catch {
    return null;
  }
}

export function tokenRoles(token) {
  const roles = tokenClaims(token)?.roles;
  return Array.isArray(roles) ? roles : [];
}
