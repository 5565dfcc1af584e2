// Seconds of isolate memory for who a dashboard request is: the session a cookie header resolved to
// (authenticate.ts) and what the user may do in a company (member-access.ts). Without it every
// dashboard read asked D1 three times before its own query (session, user, membership).
//
// Revocation: anything that can end a session or change what it allows — every better-auth endpoint
// but get-session (sign-out, revoking sessions, removing members, role changes, bans, password
// resets: auth.ts) and our own member routes (members.ts) — calls forgetIdentities(), which empties
// every cache of this isolate at once. Other isolates notice within IDENTITY_CACHE_MS. Only reads use
// the memory (mayUseCachedIdentity): a write, a WebSocket upgrade (its socket outlives any window)
// and every role decision read D1, so a revoked session never changes anything.

/** How long an answer is reused in an isolate; the longest a revocation elsewhere takes to apply. */
export const IDENTITY_CACHE_MS = 5_000;

/** Beyond this many entries the oldest go first, so memory stays flat under any number of users. */
const MAX_ENTRIES = 10_000;

// Bumped by every forget: an answer read from D1 before a revocation is not remembered after it.
let generation = 0;
const caches: IdentityCache<unknown>[] = [];

export class IdentityCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  constructor() {
    caches.push(this as IdentityCache<unknown>);
  }

  get(key: string, now = Date.now()): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > now) return entry.value;
    this.#entries.delete(key);
    return undefined;
  }

  /**
   * Remembers `value` until `expiresAt` (at most IDENTITY_CACHE_MS), unless something was forgotten
   * since `readAt` (identityGeneration() taken before the value was read).
   */
  set(key: string, value: V, readAt: number, expiresAt = Number.POSITIVE_INFINITY): void {
    if (readAt !== generation) return;
    if (this.#entries.size >= MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(key, { value, expiresAt: Math.min(expiresAt, Date.now() + IDENTITY_CACHE_MS) });
  }

  clear(): void {
    this.#entries.clear();
  }
}

export const identityGeneration = (): number => generation;

/** Drops every remembered session and membership of this isolate (a revocation happened). */
export function forgetIdentities(): void {
  generation += 1;
  for (const cache of caches) cache.clear();
}

/** Reads only, and not a socket's handshake. */
export function mayUseCachedIdentity(request: Request): boolean {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  return request.headers.get("upgrade")?.toLowerCase() !== "websocket";
}

const encoder = new TextEncoder();

/**
 * A credential is never a key itself: its SHA-256 is (nothing in memory can be replayed). Base64
 * rather than hex: it runs on every dashboard read, and btoa is native.
 */
export async function credentialKey(credential: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(credential)));
  return btoa(String.fromCharCode(...digest));
}
