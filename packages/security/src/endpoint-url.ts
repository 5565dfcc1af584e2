// Where outbound webhooks may be sent. In production only public https URLs are allowed, so a
// company cannot aim our deliveries at loopback, private networks or cloud metadata addresses
// (SSRF). `local` (development and tests) also allows http and private/loopback hosts.
// The WHATWG URL parser normalises numeric host spellings (`0x7f.1`, `2130706433`) to dotted
// IPv4 first, so the range checks below see the address that would really be dialled.

export type EndpointUrlPolicy = "public" | "local";

const BLOCKED_SUFFIXES = [".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp"];

function ipv4Blocked(host: string): boolean {
  const parts = host.split(".").map(Number);
  const [a = 0, b = 0] = parts;
  return (
    a === 0 || // "this network"
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, cloud metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && parts[2] === 0) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast and reserved
  );
}

function ipv6Blocked(host: string): boolean {
  const address = host.slice(1, -1).toLowerCase();
  if (address === "::" || address === "::1") return true;
  // IPv4-mapped (::ffff:a.b.c.d, which the parser writes as hex groups) and NAT64 forms.
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (mapped) {
    const high = Number.parseInt(mapped[1] ?? "0", 16);
    const low = Number.parseInt(mapped[2] ?? "0", 16);
    return ipv4Blocked(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  return (
    /^(fc|fd|fe[89ab]|ff)/.test(address) || address.startsWith("::ffff:") || address.startsWith("64:ff9b:")
  );
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
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("["))
    return ipv6Blocked(host) ? "must not point at a private or loopback address" : null;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) {
    return ipv4Blocked(host) ? "must not point at a private or loopback address" : null;
  }
  if (
    host === "localhost" ||
    !host.includes(".") ||
    BLOCKED_SUFFIXES.some((suffix) => host.endsWith(suffix))
  ) {
    return "must name a public host";
  }
  return null;
}
