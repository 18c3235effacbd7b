// The gateway's REST API (docs/api.md). Refusals come back as {error, reason}; the reason is what the user
// should read, so it is carried to the page rather than replaced by a generic message.

export class ApiRefusal extends Error {
  constructor(status, error, reason) {
    super(reason);
    this.status = status;
    this.error = error;
    this.reason = reason;
  }
}

// Answers {status, body} for every HTTP status, so callers can treat 202 or 409 as states, not failures.
export async function apiRequest(token, path, { method = 'GET', body } = {}) {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
  } catch {
    throw new ApiRefusal(0, 'network', 'the gateway did not answer; check your connection');
  }
  let parsed = null;
  const text = await response.text();
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  return { status: response.status, body: parsed };
}

// The body of a 2xx answer, or an ApiRefusal naming the server's reason.
export async function apiJSON(token, path, options) {
  const { status, body } = await apiRequest(token, path, options);
  if (status >= 200 && status < 300) return body;
  throw refusalFrom(status, body);
}

export function refusalFrom(status, body) {
  const error = body?.error ?? `http_${status}`;
  const reason = body?.reason ?? `the gateway answered ${status}`;
  return new ApiRefusal(status, error, reason);
}
