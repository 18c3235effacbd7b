// One polite live region per page: screen readers hear new hints and connection changes without the
// focus moving away from what the rep is doing.

export function createAnnouncer(region) {
  let last = '';
  return function announce(text) {
    // Repeating the same words would be ignored by some readers; a trailing space makes it a change.
    last = text === last.trim() ? `${text} ` : text;
    region.textContent = last;
  };
}
