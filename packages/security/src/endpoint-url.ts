// Where outbound webhooks may be sent. In production only public https URLs are allowed, so a
// company cannot aim our deliveries at loopback, private networks or cloud metadata addresses
// (SSRF). `local` (development and tests) also allows http and private/loopback hosts.
// The WHATWG URL parser normalises numeric host spellings (`0x7f.1`, `2130706433`, `0`) to dotted
// IPv4 and IPv6 literals to their compressed hex form, so the range checks below see the address
// that would really be dialled. A host name is checked here for its spelling only; what it resolves
// to is checked at delivery time (dns-resolve.ts), as DNS can change after the endpoint is saved.

export type EndpointUrlPolicy = "public" | "local";

const NOT_PUBLIC_ADDRESS = "must not point at a private, loopback or reserved address";
const EMBEDS_IPV4 = "must not use an IPv6 form that embeds an IPv4 address";

// Reserved and special-use names (RFC 6761, 6762, 8375, 9476) and common private-network suffixes;
// `.internal` covers the cloud metadata names (metadata.google.internal, instance-data.ec2.internal).
const BLOCKED_SUFFIXES = [
  ".localhost",
  ".localdomain",
  ".local",
  ".internal",
  ".intranet",
  ".corp",
  ".lan",
  ".home",
  ".arpa",
  ".test",
  ".invalid",
  ".example",
  ".onion",
  ".alt",
];

/** IPv4 ranges that are not globally reachable (IANA special-purpose registry), as [base, prefix]. */
const NON_PUBLIC_IPV4: readonly (readonly [string, number])[] = [
  ["0.0.0.0", 8], // "this network": 0.0.0.0 reaches the local host on many systems
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT (also Alibaba Cloud's metadata address 100.100.100.200)
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local: the cloud metadata endpoints
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments (Oracle Cloud's metadata at 192.0.0.192)
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // the deprecated 6to4 relay anycast
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, and the limited broadcast address
];

/** Strict dotted decimal (what the URL parser and DNS answers produce) as a 32-bit number. */
function parseIpv4(text: string): number | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return null;
    const octet = Number(part);
    if (octet > 255) return null;
    value = value * 256 + octet;
  }
  return value;
}

const IPV4_RANGES = NON_PUBLIC_IPV4.map(([base, prefix]) => {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { base: parseIpv4(base) ?? 0, mask };
});

function ipv4Public(address: number): boolean {
  return !IPV4_RANGES.some(({ base, mask }) => (address & mask) >>> 0 === base);
}

/**
 * The eight 16-bit groups of an IPv6 address in hex notation with at most one `::` and no
 * dotted IPv4 tail (the URL parser's output); other spellings are first normalised by the parser.
 */
function parseIpv6(text: string): number[] | null {
  let canonical = text.toLowerCase();
  if (!/^[0-9a-f:]+$/.test(canonical)) {
    try {
      canonical = new URL(`https://[${text}]/`).hostname.slice(1, -1);
    } catch {
      return null;
    }
  }
  const halves = canonical.split("::");
  if (halves.length > 2) return null;
  const groupsOf = (half: string | undefined) => (half ? half.split(":") : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (groups.some((group) => !/^[0-9a-f]{1,4}$/.test(group))) return null;
  return groups.map((group) => Number.parseInt(group, 16));
}

/**
 * Null for a public IPv6 address, otherwise why not. Only global unicast (2000::/3) is allowed,
 * which leaves out loopback, unspecified, unique-local fc00::/7, link-local fe80::/10, the
 * deprecated site-local fec0::/10, multicast and the IPv4-mapped/-compatible/NAT64 forms; inside
 * it, 6to4 and Teredo embed an IPv4 address (which a relay would dial), and some blocks are
 * reserved. Embedding forms are refused whatever the IPv4 address: no real endpoint needs them.
 */
function ipv6Problem(groups: number[]): string | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0] = groups;
  const leadingZeros = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0;
  const embedding =
    (leadingZeros && g4 === 0 && (g5 === 0 || g5 === 0xffff)) || // ::/96 compatible, ::ffff:0:0/96 mapped
    (leadingZeros && g4 === 0xffff && g5 === 0) || // ::ffff:0:0:0/96 translated (RFC 2765)
    (g0 === 0x64 && g1 === 0xff9b && (g2 === 0 || g2 === 1)) || // NAT64 64:ff9b::/96, 64:ff9b:1::/48
    g0 === 0x2002 || // 6to4
    (g0 === 0x2001 && g1 === 0); // Teredo
  // ::1 and :: are in ::/96 but are better named for what they are.
  const loopbackOrUnspecified =
    leadingZeros && g4 === 0 && g5 === 0 && groups[6] === 0 && (groups[7] ?? 0) <= 1;
  if (embedding && !loopbackOrUnspecified) return EMBEDS_IPV4;
  if (g0 >>> 13 !== 1) return NOT_PUBLIC_ADDRESS; // outside 2000::/3
  if (g0 === 0x2001 && (g1 < 0x200 || g1 === 0xdb8)) return NOT_PUBLIC_ADDRESS; // 2001::/23, 2001:db8::/32
  if (g0 === 0x3fff && g1 < 0x1000) return NOT_PUBLIC_ADDRESS; // documentation 3fff::/20
  return null;
}

/**
 * Whether an address (dotted IPv4 or IPv6 text, as in a DNS answer) is globally reachable.
 * Anything that does not parse counts as not public, so a strange answer never lets a delivery out.
 */
export function isPublicIpAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4 !== null) return ipv4Public(v4);
  const v6 = parseIpv6(address);
  return v6 !== null && ipv6Problem(v6) === null;
}

/** True when the URL's host is an IP literal (no DNS lookup needed to know where it leads). */
export function isIpLiteralHost(hostname: string): boolean {
  return hostname.startsWith("[") || parseIpv4(hostname) !== null;
}

function hostNameProblem(hostname: string): string | null {
  // One trailing dot is a fully qualified name (`example.com.`), the same host; any other empty
  // label (`localhost..`, `.example.com`, `a..b`) is no valid DNS name and only serves to slip past
  // the checks below, so it is refused rather than normalised.
  const name = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  const labels = name.split(".");
  if (
    name.length > 253 ||
    labels.some((label) => label.length === 0 || label.length > 63 || !/^[a-z0-9_-]+$/.test(label))
  ) {
    return "must name a valid host (letters, digits and hyphens between single dots)";
  }
  const last = labels[labels.length - 1] ?? "";
  // A numeric last label would make the parser read the host as IPv4; one that got this far is a
  // malformed address (`127.0.0.1.` with extra dots, `1.2.3.4.5`), not a name.
  if (/^(\d+|0x[0-9a-f]*)$/.test(last)) return "must be a valid IP address or host name";
  if (labels.length < 2 || name === "localhost" || BLOCKED_SUFFIXES.some((suffix) => name.endsWith(suffix))) {
    return "must name a public host";
  }
  return null;
}

/** Null when `raw` may receive webhooks under `policy`, otherwise what is wrong with it. */
export function endpointUrlProblem(raw: string, policy: EndpointUrlPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "is not an absolute URL";
  }
  if (url.username || url.password) return "must not contain a user name or password";
  if (policy === "local") {
    return url.protocol === "https:" || url.protocol === "http:" ? null : "must use http or https";
  }
  if (url.protocol !== "https:") return "must use https";
  const host = url.hostname.toLowerCase();
  if (host.startsWith("[")) {
    const groups = parseIpv6(host.slice(1, -1));
    return groups === null ? "must be a valid IP address or host name" : ipv6Problem(groups);
  }
  const v4 = parseIpv4(host);
  if (v4 !== null) return ipv4Public(v4) ? null : NOT_PUBLIC_ADDRESS;
  return hostNameProblem(host);
}
