/**
 * The forms a secret value can take in text that leaves the process, each to be redacted: the value itself,
 * URL-encoded, JSON-escaped, and — for a URL with a password (`postgres://app:s3cret@db/x`) — the password on
 * its own, raw and decoded. Shorter than `minLength` forms are left out (they would mangle ordinary text).
 *
 * @example
 * ```ts
 * secretForms('postgres://app:p%40ss@db/x'); // ['postgres://app:p%40ss@db/x', 'postgres%3A%2F%2F…', …, 'p%40ss', 'p@ss']
 * ```
 */
export function secretForms(value: string, minLength = 1): string[] {
  const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
  const password = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]*)@/i.exec(value)?.[1];
  if (password) {
    forms.add(password);
    try {
      forms.add(decodeURIComponent(password));
    } catch {
      // Not valid percent-encoding: the raw form is enough.
    }
  }
  return [...forms].filter((form) => form.length >= minLength);
}

/**
 * `text` with every occurrence of each needle replaced by `marker`, longest needle first (so a secret that
 * contains another is removed whole).
 *
 * @example
 * ```ts
 * redactNeedles('password s3cret rejected', ['s3cret'], '***'); // 'password *** rejected'
 * ```
 */
export function redactNeedles(text: string, needles: readonly string[], marker: string): string {
  let out = text;
  for (const needle of [...needles].sort((a, b) => b.length - a.length)) {
    if (needle !== '' && out.includes(needle)) out = out.split(needle).join(marker);
  }
  return out;
}
