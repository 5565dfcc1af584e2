// The shared crypto helpers against the reference implementations: what we sign, the
// `standardwebhooks` library verifies, and the other way round; and the webhook URL policy with the
// check of where a host name resolves (its end-to-end run, through DoH, is in workers/consumers).
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  addressesFromDnsJson,
  cachingResolver,
  DnsLookupError,
  dnsOverHttpsResolver,
  type HostResolver,
  resolvedHostProblem,
} from "./dns-resolve.ts";
import { endpointUrlProblem, isPublicIpAddress } from "./endpoint-url.ts";
import { newWebhookSecret, signStandardWebhook, verifyStandardWebhook } from "./standard-webhooks.ts";

describe("Standard Webhooks", () => {
  const body = JSON.stringify({ type: "company.settings_changed", data: { a: 1 } });

  it("signs so the reference library verifies, and verifies what the library signs", async () => {
    const secret = newWebhookSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = await signStandardWebhook([secret], { id: "msg_1", timestamp, body });
    const headers = {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signature,
    };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));

    const theirs = new Webhook(secret).sign("msg_2", new Date(timestamp * 1000), body);
    const verdict = await verifyStandardWebhook(
      [secret],
      { id: "msg_2", timestamp: String(timestamp), signature: theirs },
      body,
    );
    expect(verdict).toEqual({ ok: true });
  });

  it("refuses another secret, a changed id or body, and a timestamp more than 5 minutes off", async () => {
    const secret = newWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    const signature = await signStandardWebhook([secret], { id: "msg_1", timestamp: now, body });
    const check = (secrets: string[], id: string, at: number, text: string, clock = now) =>
      verifyStandardWebhook(secrets, { id, timestamp: String(at), signature }, text, clock);
    expect((await check([newWebhookSecret()], "msg_1", now, body)).ok).toBe(false);
    expect((await check([secret], "msg_9", now, body)).ok).toBe(false);
    expect((await check([secret], "msg_1", now, `${body} `)).ok).toBe(false);
    expect((await check([secret], "msg_1", now, body, now + 301)).ok).toBe(false);
    expect((await check([secret], "msg_1", now, body, now - 301)).ok).toBe(false);
    // Any configured secret may match (rotation on the sender's side).
    expect((await check([newWebhookSecret(), secret], "msg_1", now, body)).ok).toBe(true);
  });
});

describe("webhook URL policy", () => {
  it.each([
    "https://hooks.example.com/nexus",
    "https://hooks.example.com:8443/x?y=1",
    "https://93.184.216.34/x",
    "https://[2606:4700::1111]/x",
  ])("allows the public URL %s", (url) => {
    expect(endpointUrlProblem(url, "public")).toBeNull();
  });

  it.each([
    "http://hooks.example.com/",
    "ftp://hooks.example.com/",
    "https://localhost/",
    "https://api.localhost/",
    "https://intranet/",
    "https://db.internal/",
    "https://printer.local/",
    "https://127.0.0.1/",
    "https://127.1/",
    "https://0x7f000001/",
    "https://0177.0.0.1/",
    "https://0.0.0.0/",
    "https://10.0.0.8/",
    "https://172.20.1.1/",
    "https://192.168.1.1/",
    "https://100.64.0.1/",
    "https://169.254.169.254/",
    "https://224.0.0.1/",
    "https://[::1]/",
    "https://[::]/",
    "https://[fd00::1]/",
    "https://[fe80::1]/",
    "https://[::ffff:10.0.0.1]/",
    "https://[64:ff9b::a00:1]/",
    "https://user:secret@hooks.example.com/",
    "hooks.example.com/no-scheme",
    // Trailing and repeated dots: the same host to a resolver, another string to a suffix check.
    "https://localhost./",
    "https://localhost../",
    "https://localhost%2e/",
    "https://api.localhost./",
    "https://db.internal./",
    "https://metadata.google.internal./computeMetadata/v1/",
    "https://hooks..example.com/",
    "https://.example.com/",
    "https://hooks.example.com../",
    "https://127.0.0.1../",
    // IPv4 in other spellings, all normalised by the parser to an address refused below.
    "https://0/",
    "https://0.0.0.0/",
    "https://2130706433/",
    "https://017700000001/",
    "https://0x7f.0x0.0x0.0x1/",
    "https://127.0.0.1./",
    "https://127.1.2.3/",
    "https://0xa9fea9fe/", // 169.254.169.254
    // IPv4 special-purpose ranges.
    "https://100.127.255.254/", // CGNAT's top
    "https://100.100.100.200/", // Alibaba Cloud metadata
    "https://192.0.0.192/", // Oracle Cloud metadata
    "https://192.0.2.1/",
    "https://198.18.0.1/",
    "https://198.19.255.255/",
    "https://198.51.100.7/",
    "https://203.0.113.9/",
    "https://192.88.99.1/",
    "https://239.255.255.250/",
    "https://240.0.0.1/",
    "https://255.255.255.255/",
    // IPv6 forms that embed an IPv4 address, whatever that address is.
    "https://[::7f00:1]/", // IPv4-compatible ::127.0.0.1
    "https://[::127.0.0.1]/",
    "https://[::8.8.8.8]/",
    "https://[::ffff:7f00:1]/",
    "https://[::ffff:8.8.8.8]/", // mapped, even a public v4
    "https://[0:0:0:0:0:ffff:169.254.169.254]/",
    "https://[::ffff:0:7f00:1]/", // IPv4-translated
    "https://[64:ff9b::7f00:1]/", // NAT64
    "https://[64:ff9b::808:808]/",
    "https://[64:ff9b:1::a00:1]/", // local-use NAT64
    "https://[2002:7f00:1::]/", // 6to4 of 127.0.0.1
    "https://[2002:a9fe:a9fe::1]/", // 6to4 of 169.254.169.254
    "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", // Teredo
    // Other non-global IPv6.
    "https://[fec0::1]/", // deprecated site-local
    "https://[feff::1]/",
    "https://[fc00::1]/",
    "https://[fd00:ec2::254]/", // AWS metadata over IPv6
    "https://[fe80::1]/",
    "https://[febf::1]/",
    "https://[ff02::1]/",
    "https://[100::1]/", // discard-only
    "https://[2001:db8::1]/", // documentation
    "https://[3fff::1]/",
    "https://[2001:2::1]/", // benchmarking
    "https://[::2]/",
    // Names that are local by definition, and odd characters.
    "https://localhost.localdomain/",
    "https://router.home.arpa/",
    "https://1.0.0.127.in-addr.arpa/",
    "https://service.test/",
    "https://host.invalid/",
    "https://hidden.onion/",
    "https://metadata/",
    "https://a!b.example.com/",
  ])("refuses %s", (url) => {
    expect(endpointUrlProblem(url, "public")).not.toBeNull();
  });

  it("names what is wrong", () => {
    expect(endpointUrlProblem("https://[::7f00:1]/", "public")).toMatch(/embeds an IPv4 address/);
    expect(endpointUrlProblem("https://[fec0::1]/", "public")).toMatch(/private, loopback or reserved/);
    expect(endpointUrlProblem("https://localhost../", "public")).toMatch(/valid host/);
  });

  it.each([
    "https://hooks.example.com./x", // a fully qualified name, one trailing dot
    "https://xn--bcher-kva.com/x", // an IDN in its ASCII form
    "https://my_hooks.example.com/x",
    "https://8.8.8.8/x",
    "https://100.63.255.255/x", // just below CGNAT
    "https://100.128.0.0/x", // just above it
    "https://172.32.0.1/x",
    "https://198.20.0.1/x",
    "https://223.255.255.254/x",
    "https://[2001:4860:4860::8888]/x",
    "https://[2a00:1450:4001:82a::200e]/x",
    "https://[2001:200::1]/x", // just above 2001::/23
  ])("allows the public URL %s", (url) => {
    expect(endpointUrlProblem(url, "public")).toBeNull();
  });

  it("allows http and local hosts only under the local policy", () => {
    expect(endpointUrlProblem("http://127.0.0.1:9000/hooks", "local")).toBeNull();
    expect(endpointUrlProblem("file:///etc/passwd", "local")).not.toBeNull();
  });
});

describe("where a host name resolves", () => {
  /** Cloudflare's application/dns-json reply (Status 0) for these answers. */
  const dnsJson = (name: string, answers: { type: number; data: string; TTL?: number }[], status = 0) => ({
    Status: status,
    TC: false,
    RD: true,
    RA: true,
    AD: false,
    CD: false,
    Question: [{ name, type: answers[0]?.type ?? 1 }],
    Answer: answers.map((answer) => ({ name, TTL: 300, ...answer })),
  });

  it.each([
    ["8.8.8.8", true],
    ["2606:4700:4700::1111", true],
    ["10.0.0.1", false],
    ["127.0.0.1", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["::1", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:8.8.8.8", false],
    ["fe80::1", false],
    ["fec0::1", false],
    ["fd12:3456::1", false],
    ["2002:7f00:1::", false],
    ["fe80::1%eth0", false], // not an address: never public
    ["010.0.0.1", false],
    ["not an address", false],
    ["", false],
  ])("counts %s as public: %s", (address, expected) => {
    expect(isPublicIpAddress(address)).toBe(expected);
  });

  it("reads A and AAAA records from a DoH JSON reply, past a CNAME, with the lowest TTL", () => {
    const reply = dnsJson("hooks.example.com", [
      { type: 5, data: "edge.example.net." },
      { type: 1, data: "93.184.215.14", TTL: 120 },
      { type: 1, data: "93.184.215.15", TTL: 60 },
      { type: 28, data: "2606:2800:21f:cb07:6820:80da:af6b:8b2c" },
    ]);
    expect(addressesFromDnsJson(reply, "A")).toEqual({
      addresses: ["93.184.215.14", "93.184.215.15"],
      ttlSeconds: 60,
    });
    expect(addressesFromDnsJson({ Status: 3, Question: [] }, "A")).toEqual({ addresses: [], ttlSeconds: 0 });
    expect(() => addressesFromDnsJson({ Status: 2 }, "A")).toThrow(/SERVFAIL/);
    expect(() => addressesFromDnsJson("<html>", "A")).toThrow(DnsLookupError);
  });

  it("asks the DoH server for A and AAAA with accept: application/dns-json", async () => {
    const asked: string[] = [];
    const resolver = dnsOverHttpsResolver({
      url: "https://doh.test/dns-query",
      fetcher: async (input, init) => {
        const url = new URL(String(input));
        expect(new Headers(init?.headers).get("accept")).toBe("application/dns-json");
        const type = url.searchParams.get("type") ?? "";
        asked.push(`${url.origin}${url.pathname} ${url.searchParams.get("name")} ${type}`);
        const answer = type === "A" ? [{ type: 1, data: "10.0.0.9" }] : [];
        return Response.json(dnsJson("internal.example.com", answer), {
          headers: { "content-type": "application/dns-json" },
        });
      },
    });
    expect(await resolver.resolve("internal.example.com.")).toEqual({
      addresses: ["10.0.0.9"],
      ttlSeconds: 300,
    });
    expect(asked.sort()).toEqual([
      "https://doh.test/dns-query internal.example.com A",
      "https://doh.test/dns-query internal.example.com AAAA",
    ]);
    const failing = dnsOverHttpsResolver({ fetcher: async () => new Response("busy", { status: 503 }) });
    await expect(failing.resolve("hooks.example.com")).rejects.toThrow(/HTTP 503/);
  });

  /** A resolver answering from a table, counting lookups. */
  function tableResolver(table: Record<string, string[]>, ttlSeconds = 60) {
    const lookups: string[] = [];
    const resolver: HostResolver = {
      async resolve(host) {
        lookups.push(host);
        const addresses = table[host];
        if (!addresses) throw new DnsLookupError("DNS lookup failed (SERVFAIL)");
        return { addresses, ttlSeconds };
      },
    };
    return { resolver, lookups };
  }

  it("refuses for good a name with any non-public answer, retries one that did not resolve", async () => {
    const { resolver, lookups } = tableResolver({
      "hooks.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
      "rebind.example.com": ["93.184.215.14", "127.0.0.1"],
      "v6.example.com": ["::ffff:a9fe:a9fe"],
      "empty.example.com": [],
    });
    expect(await resolvedHostProblem("https://hooks.example.com/x", resolver)).toBeNull();
    expect(await resolvedHostProblem("https://rebind.example.com/x", resolver)).toEqual({
      error: "rebind.example.com resolves to 127.0.0.1, a private, loopback or reserved address",
      permanent: true,
    });
    expect(await resolvedHostProblem("https://v6.example.com/x", resolver)).toMatchObject({
      permanent: true,
    });
    expect(await resolvedHostProblem("https://empty.example.com/x", resolver)).toMatchObject({
      permanent: false,
      error: expect.stringMatching(/no A or AAAA record/),
    });
    expect(await resolvedHostProblem("https://down.example.com/x", resolver)).toEqual({
      error: "could not resolve down.example.com: DNS lookup failed (SERVFAIL)",
      permanent: false,
    });
    // IP literals need no lookup.
    expect(await resolvedHostProblem("https://8.8.8.8/x", resolver)).toBeNull();
    expect(await resolvedHostProblem("https://[2001:4860:4860::8888]/x", resolver)).toBeNull();
    expect(lookups).not.toContain("8.8.8.8");
    expect(lookups.some((host) => host.includes(":"))).toBe(false);
  });

  it("caches an answer for its TTL, shares lookups in flight and forgets failures", async () => {
    let clock = 1_000_000;
    const { resolver, lookups } = tableResolver({ "hooks.example.com": ["93.184.215.14"] }, 30);
    const cached = cachingResolver(resolver, () => clock);
    await Promise.all([cached.resolve("hooks.example.com"), cached.resolve("HOOKS.example.com")]);
    await cached.resolve("hooks.example.com");
    expect(lookups).toEqual(["hooks.example.com"]);
    clock += 31_000; // past the TTL
    await cached.resolve("hooks.example.com");
    expect(lookups).toHaveLength(2);
    await expect(cached.resolve("down.example.com")).rejects.toThrow(DnsLookupError);
    await expect(cached.resolve("down.example.com")).rejects.toThrow(DnsLookupError);
    expect(lookups.filter((host) => host === "down.example.com")).toHaveLength(2);
  });
});
