// A webhook receiver for the telemetry tests, running in Node as the worker's outbound service: every
// fetch the worker makes lands here. `https://<host>/<behaviour>/<inbox>` answers per behaviour and
// records the request in that inbox; `GET https://receiver.test/inbox/<inbox>` lists what arrived.
// It is also the DNS-over-HTTPS server the deliveries ask (Cloudflare's JSON format) for the names
// in `zone`; `GET https://receiver.test/dns-queries/<name>` counts the queries for a name.

export interface ReceivedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

const inboxes = new Map<string, ReceivedRequest[]>();

/** The pattern streamed bodies repeat, so a test can tell which bytes were logged. */
export const BODY_PATTERN = "0123456789abcdef";
const chunk = new TextEncoder().encode(BODY_PATTERN.repeat(1024)); // 16 KiB

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    // Unref'd: a reply the worker gave up on must not keep the test process alive.
    setTimeout(resolve, ms).unref();
  });

/**
 * A 200 whose body is `totalBytes` long, or one that keeps coming for `forMs`. Miniflare copies an
 * outbound reply to the worker without backpressure and keeps pulling after the worker cancels, so
 * an "endless" body is paced and stops by itself rather than filling this process's memory.
 */
function streamed(totalBytes: number, pace?: { everyMs: number; forMs: number }): Response {
  let sent = 0;
  const until = pace ? Date.now() + pace.forMs : Number.POSITIVE_INFINITY;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (pace) await sleep(pace.everyMs);
      if (sent >= totalBytes || Date.now() > until) return controller.close();
      const part = chunk.subarray(0, Math.min(chunk.length, totalBytes - sent));
      sent += part.length;
      controller.enqueue(part);
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "text/plain" } });
}

const behaviours: Record<string, (inbox: string) => Response | Promise<Response>> = {
  ok: () => new Response("thanks", { status: 200 }),
  fail: () => new Response("broken on purpose", { status: 500 }),
  // Points at another inbox, which stays empty unless the redirect is followed.
  redirect: (inbox) =>
    new Response(null, {
      status: 302,
      headers: { location: `https://hooks.example.com/ok/${inbox}-target` },
    }),
  huge: () => streamed(64 * 1024 * 1024),
  // 1.6 MB/s for 20 s: for the worker, a reply that does not end.
  endless: () => streamed(Number.POSITIVE_INFINITY, { everyMs: 10, forMs: 20_000 }),
  // Headers at once, then 16 bytes every 200 ms for 20 s.
  trickle: () => {
    const encoded = new TextEncoder().encode(BODY_PATTERN);
    const until = Date.now() + 20_000;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await sleep(200);
        if (Date.now() > until) return controller.close();
        controller.enqueue(encoded);
      },
    });
    return new Response(body, { status: 200 });
  },
  // No answer at all for a minute (far beyond any test's delivery time limit).
  hang: async () => {
    await sleep(60_000);
    return new Response("too late", { status: 200 });
  },
};

interface ZoneEntry {
  A?: string[];
  AAAA?: string[];
  /** An alias: the answer lists the CNAME record, then the target's addresses. */
  CNAME?: string;
  /** DNS rcode other than NOERROR (2 = SERVFAIL). */
  status?: number;
  ttl?: number;
}

/** Names the tests deliver to; any other name is NXDOMAIN. */
const zone: Record<string, ZoneEntry> = {
  "hooks.example.com": { A: ["93.184.215.14"], AAAA: ["2606:2800:21f:cb07:6820:80da:af6b:8b2c"] },
  "private.example.net": { A: ["10.1.2.3"] },
  "dual.example.net": { A: ["93.184.215.14"], AAAA: ["fd00:ec2::254"] },
  "alias.example.net": { CNAME: "metadata.example.net" },
  "metadata.example.net": { A: ["169.254.169.254"] },
  "broken-dns.example.net": { status: 2 },
  "cached.example.net": { A: ["93.184.215.14"], ttl: 300 },
};
const dnsQueries = new Map<string, number>();

const RECORD_TYPES: Record<string, number> = { A: 1, AAAA: 28, CNAME: 5 };
const dnsHeaders = { "content-type": "application/dns-json" };

/** Answers as https://cloudflare-dns.com/dns-query?name=…&type=… does with accept: application/dns-json. */
function dnsJson(url: URL): Response {
  const name = (url.searchParams.get("name") ?? "").toLowerCase().replace(/\.$/, "");
  const type = url.searchParams.get("type") ?? "A";
  dnsQueries.set(name, (dnsQueries.get(name) ?? 0) + 1);
  const question = [{ name, type: RECORD_TYPES[type] ?? 1 }];
  const flags = { TC: false, RD: true, RA: true, AD: false, CD: false };
  let entry = zone[name];
  const answer: { name: string; type: number; TTL: number; data: string }[] = [];
  let owner = name;
  if (entry?.CNAME) {
    answer.push({ name, type: RECORD_TYPES.CNAME ?? 5, TTL: entry.ttl ?? 60, data: `${entry.CNAME}.` });
    owner = entry.CNAME;
    entry = zone[entry.CNAME];
  }
  if (!entry) return Response.json({ Status: 3, ...flags, Question: question }, { headers: dnsHeaders });
  if (entry.status)
    return Response.json({ Status: entry.status, ...flags, Question: question }, { headers: dnsHeaders });
  for (const data of (type === "AAAA" ? entry.AAAA : entry.A) ?? []) {
    answer.push({ name: owner, type: RECORD_TYPES[type] ?? 1, TTL: entry.ttl ?? 60, data });
  }
  return Response.json(
    { Status: 0, ...flags, Question: question, ...(answer.length > 0 ? { Answer: answer } : {}) },
    { headers: dnsHeaders },
  );
}
export async function webhookReceiver(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname === "cloudflare-dns.com" && url.pathname === "/dns-query") {
    if (request.headers.get("accept") !== "application/dns-json") {
      return new Response("Bad Request", { status: 400 });
    }
    return dnsJson(url);
  }
  const [, first = "", inbox = ""] = url.pathname.split("/");
  if (url.hostname === "receiver.test") {
    if (first === "inbox") return Response.json(inboxes.get(inbox) ?? []);
    if (first === "dns-queries") return Response.json(dnsQueries.get(inbox) ?? 0);
  }
  const behaviour = behaviours[first];
  if (!behaviour) return new Response("no such behaviour", { status: 404 });
  const received = inboxes.get(inbox) ?? [];
  received.push({
    url: request.url,
    headers: Object.fromEntries(request.headers),
    body: await request.text(),
  });
  inboxes.set(inbox, received);
  return behaviour(inbox);
}
