// What a webhook host name resolves to, checked before each delivery: a public-looking name can
// point at a private address (`internal.attacker.example A 10.0.0.5`), and its records can change
// after the endpoint was saved. Workers have no DNS API, so the lookup is DNS over HTTPS in the JSON
// format (https://developers.cloudflare.com/1.1.1.1/encryption/dns-over-https/make-api-requests/dns-json/).
// Tests keep the real client and answer the DoH URL from a stand-in server in the same format.
import { isIpLiteralHost, isPublicIpAddress } from "./endpoint-url.ts";

export const CLOUDFLARE_DOH_URL = "https://cloudflare-dns.com/dns-query";

/** A host's A and AAAA addresses, and how long (seconds) the answer may be reused. */
export interface ResolvedHost {
  addresses: string[];
  ttlSeconds: number;
}

/** Resolves a host name; rejects with DnsLookupError when no answer could be had (worth retrying). */
export interface HostResolver {
  resolve(host: string): Promise<ResolvedHost>;
}

export class DnsLookupError extends Error {
  override name = "DnsLookupError";
}

const RECORD_TYPES = { A: 1, AAAA: 28 } as const;
// DNS response codes worth naming in an error (RFC 1035, 2136).
const RCODES: Record<number, string> = { 1: "FORMERR", 2: "SERVFAIL", 4: "NOTIMP", 5: "REFUSED" };
const NXDOMAIN = 3;

interface DnsJsonAnswer {
  Status?: unknown;
  Answer?: unknown;
}

/** The addresses of one record type in a DoH JSON reply; CNAME records on the way are skipped. */
export function addressesFromDnsJson(reply: unknown, type: keyof typeof RECORD_TYPES): ResolvedHost {
  if (typeof reply !== "object" || reply === null) throw new DnsLookupError("the DNS reply is not JSON");
  const { Status, Answer } = reply as DnsJsonAnswer;
  // No such name: an answer (no addresses), not a failure of the lookup.
  if (Status === NXDOMAIN) return { addresses: [], ttlSeconds: 0 };
  if (Status !== 0) {
    const code = typeof Status === "number" ? (RCODES[Status] ?? `rcode ${Status}`) : "no status";
    throw new DnsLookupError(`DNS lookup failed (${code})`);
  }
  const addresses: string[] = [];
  let ttlSeconds = Number.POSITIVE_INFINITY;
  for (const record of Array.isArray(Answer) ? Answer : []) {
    if (typeof record !== "object" || record === null) continue;
    const { type: recordType, data, TTL } = record as { type?: unknown; data?: unknown; TTL?: unknown };
    if (recordType !== RECORD_TYPES[type] || typeof data !== "string") continue;
    addresses.push(data);
    ttlSeconds = Math.min(ttlSeconds, typeof TTL === "number" && TTL >= 0 ? TTL : 0);
  }
  return { addresses, ttlSeconds: Number.isFinite(ttlSeconds) ? ttlSeconds : 0 };
}

/** A resolver asking a DoH server (Cloudflare's by default) for A and AAAA records in parallel. */
export function dnsOverHttpsResolver(
  options: { url?: string; timeoutMs?: number; fetcher?: typeof fetch } = {},
): HostResolver {
  const { url = CLOUDFLARE_DOH_URL, timeoutMs = 5_000, fetcher = fetch } = options;
  const query = async (host: string, type: keyof typeof RECORD_TYPES) => {
    const target = new URL(url);
    target.searchParams.set("name", host);
    target.searchParams.set("type", type);
    let response: Response;
    try {
      response = await fetcher(target, {
        headers: { accept: "application/dns-json" },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new DnsLookupError(`the DNS server could not be reached (${String(error).slice(0, 100)})`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new DnsLookupError(`the DNS server answered HTTP ${response.status}`);
    }
    const reply: unknown = await response.json().catch(() => null);
    return addressesFromDnsJson(reply, type);
  };
  return {
    async resolve(host) {
      const name = host.endsWith(".") ? host.slice(0, -1) : host;
      const [a, aaaa] = await Promise.all([query(name, "A"), query(name, "AAAA")]);
      const addresses = [...a.addresses, ...aaaa.addresses];
      const ttls = [a, aaaa]
        .filter((answer) => answer.addresses.length > 0)
        .map((answer) => answer.ttlSeconds);
      return { addresses, ttlSeconds: ttls.length > 0 ? Math.min(...ttls) : 0 };
    },
  };
}

/**
 * Reuses answers for their TTL and shares lookups in flight. Meant to live for one queue batch
 * (never across batches), so a changed record is seen by the next batch at the latest.
 */
export function cachingResolver(inner: HostResolver, now: () => number = Date.now): HostResolver {
  const cache = new Map<string, { expiresAt: number; answer: Promise<ResolvedHost> }>();
  return {
    resolve(host) {
      const key = host.toLowerCase();
      const cached = cache.get(key);
      if (cached && cached.expiresAt > now()) return cached.answer;
      // In flight until settled; a failure is forgotten so the next message asks again.
      const entry = { expiresAt: Number.POSITIVE_INFINITY, answer: inner.resolve(key) };
      cache.set(key, entry);
      entry.answer.then(
        (answer) => {
          entry.expiresAt = now() + answer.ttlSeconds * 1000;
        },
        () => {
          if (cache.get(key) === entry) cache.delete(key);
        },
      );
      return entry.answer;
    },
  };
}

/**
 * Why a delivery to `url` must not go out because of where its host resolves: `permanent` when
 * the name leads to a non-public address (a policy refusal: retrying would only probe it again),
 * transient when no answer could be had. Null for IP literals (checked by endpointUrlProblem).
 */
export async function resolvedHostProblem(
  url: string,
  resolver: HostResolver,
): Promise<{ error: string; permanent: boolean } | null> {
  const host = new URL(url).hostname;
  if (isIpLiteralHost(host)) return null;
  let resolved: ResolvedHost;
  try {
    resolved = await resolver.resolve(host);
  } catch (error) {
    const reason = error instanceof DnsLookupError ? error.message : String(error).slice(0, 200);
    return { error: `could not resolve ${host}: ${reason}`, permanent: false };
  }
  const blocked = resolved.addresses.find((address) => !isPublicIpAddress(address));
  if (blocked !== undefined) {
    return {
      error: `${host} resolves to ${blocked}, a private, loopback or reserved address`,
      permanent: true,
    };
  }
  if (resolved.addresses.length === 0) {
    return { error: `could not resolve ${host}: no A or AAAA record`, permanent: false };
  }
  return null;
}
