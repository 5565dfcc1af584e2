// The dashboard's security headers (security-headers.ts, applied by functions/_middleware.ts): as
// a function, and on the Pages build served the way Pages runs it (e2e/dashboard/dashboard-server.ts).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildDashboardForPages,
  type DashboardBuild,
  type DashboardServer,
  startDashboard,
} from "../../../e2e/dashboard/dashboard-server.ts";
import { freeLocalPort } from "../../../scripts/free-port.ts";
import { dashboardContentSecurityPolicy, withSecurityHeaders } from "./security-headers.ts";

const PAGE = "https://dashboard.nexus.example/companies/c1";

describe("withSecurityHeaders", () => {
  it("adds CSP, framing, sniffing and referrer headers, keeping those a response sets", async () => {
    const api = new Response('{"success":true}', {
      headers: { "content-type": "application/json", "content-security-policy": "default-src 'none'" },
    });
    const hardened = withSecurityHeaders(new Request(PAGE), api);
    expect(hardened.headers.get("content-security-policy")).toBe("default-src 'none'");
    expect(hardened.headers.get("x-frame-options")).toBe("DENY");
    expect(hardened.headers.get("x-content-type-options")).toBe("nosniff");
    expect(hardened.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(await hardened.text()).toBe('{"success":true}');
  });

  it("lets the page reach its own origin's WebSocket, with the scheme the page uses", () => {
    expect(dashboardContentSecurityPolicy(new URL(PAGE))).toContain(
      "connect-src 'self' wss://dashboard.nexus.example",
    );
    expect(dashboardContentSecurityPolicy(new URL("http://127.0.0.1:8788/"))).toContain(
      "connect-src 'self' ws://127.0.0.1:8788",
    );
  });
});

describe("the dashboard served as Pages", () => {
  let tmp: string;
  let build: DashboardBuild;
  let dashboard: DashboardServer;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), "nexus-dashboard-headers-"));
    build = await buildDashboardForPages(tmp);
    // No API behind the proxy: the test only reads pages, assets and the proxy's own refusal.
    dashboard = await startDashboard({
      build,
      port: await freeLocalPort(),
      apiUrl: new URL("http://127.0.0.1:9"),
    });
  }, 180_000);

  afterAll(async () => {
    await dashboard?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  const expectHardened = (response: Response, what: string) => {
    expect(response.headers.get("x-frame-options"), what).toBe("DENY");
    expect(response.headers.get("x-content-type-options"), what).toBe("nosniff");
    expect(response.headers.get("referrer-policy"), what).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("content-security-policy"), what).toContain("frame-ancestors 'none'");
  };

  it("sends the headers with the SPA's page, on any route, and with its assets", async () => {
    const page = await fetch(dashboard.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expectHardened(page, "/");
    expect(page.headers.get("content-security-policy")).toBe(dashboardContentSecurityPolicy(dashboard.url));
    // The policy fits the build: no inline script or style, every script and stylesheet its own.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    for (const [, src] of html.matchAll(/\s(?:src|href)="([^"]+)"/g)) {
      expect(src, "an asset of the page").toMatch(/^\/assets\//);
    }

    const deepLink = await fetch(new URL("/companies/c1/settings", dashboard.url));
    expect(deepLink.status).toBe(200);
    expectHardened(deepLink, "a deep link");

    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? "";
    const asset = await fetch(new URL(script, dashboard.url));
    expect(asset.status).toBe(200);
    expectHardened(asset, script);
    expect(await asset.text()).toBe(await readFile(join(build.assets, script), "utf8"));
  });

  it("sends them with the /api proxy's own answers too", async () => {
    const refused = await fetch(new URL("/api/admin/companies", dashboard.url), {
      headers: { origin: "https://attacker.example" },
    });
    expect(refused.status).toBe(403);
    expectHardened(refused, "the proxy's refusal");
  });
});
