/**
 * Secrets kept out of logs, job records, status stores and messages: the one place that masks them.
 */

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi;
const SECRET_PAIR = /\b(password|passwd|pwd|secret|token)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s;,&]+)/gi;

/** A URL with its password (and any `password=`-like query parameter) replaced by `***`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const k of [...u.searchParams.keys()]) if (/pass|secret|token/i.test(k)) u.searchParams.set(k, '***');
    return u.toString();
  } catch {
    return redactSecrets(url);
  }
}

/**
 * A text with the password of every URL in it (`user:secret@host`), `password=...`-like pairs and each of the
 * given known secrets (three characters or longer) masked as `***`.
 */
export function redactSecrets(text: string, known: Array<string | undefined> = []): string {
  let out = text.replace(URL_PASSWORD, '$1***@').replace(SECRET_PAIR, '$1$2***');
  for (const s of known) if (s && s.length >= 3) out = out.split(s).join('***');
  return out;
}
