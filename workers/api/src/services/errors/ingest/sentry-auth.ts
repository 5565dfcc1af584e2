// Where a Sentry SDK puts its DSN's public key: the `X-Sentry-Auth` header (or `Authorization` with
// the same `Sentry …` value, as older SDKs send it), the `sentry_key` query parameter (browsers'
// beacons cannot set headers), or the `dsn` in the envelope's header. Pure parsing; the key is
// checked against the project in project-keys.ts.

/** The fields of `Sentry sentry_key=…, sentry_version=7, sentry_client=…`, or null when it is not one. */
export function parseSentryAuth(value: string): Record<string, string> | null {
  const match = /^\s*Sentry\s+(.*)$/is.exec(value);
  if (!match) return null;
  const fields: Record<string, string> = {};
  for (const part of (match[1] ?? "").split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    if (/^sentry_[a-z_]+$/.test(name)) fields[name] = part.slice(eq + 1).trim();
  }
  return fields;
}

/** The key a request carries in its headers or query, before its body is read. */
export function requestSentryKey(headers: Headers, query: URLSearchParams): string | undefined {
  for (const name of ["x-sentry-auth", "authorization"]) {
    const value = headers.get(name);
    const key = value ? parseSentryAuth(value)?.sentry_key : undefined;
    if (key) return key;
  }
  return query.get("sentry_key") || undefined;
}

/**
 * The public key and project id of a DSN (`https://<key>[:<secret>]@host[:port][/path]/<project>`),
 * or null when it is not one. The secret part of pre-v9 DSNs is ignored, as Sentry does.
 */
export function parseDsn(dsn: string): { key: string; projectId: string } | null {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    return null;
  }
  const projectId = url.pathname.split("/").filter(Boolean).pop();
  if (!url.username || !projectId) return null;
  return { key: decodeURIComponent(url.username), projectId };
}
