// The demo company's error tracking: a DSN for the desktop app (reused on later runs) and a few
// events and sessions sent through the real envelope endpoint, as the app's Sentry SDK sends them,
// so the issues and release-health screens have something to show.
import { gzipSync } from "node:zlib";
import { request } from "./api-request.ts";
import { DEMO_RELEASES } from "./seed-demo.ts";

const PROJECT_NAME = "Nexus Desktop (demo)";

interface ErrorProjectView {
  id: number;
  name: string;
  dsn: string;
  public_key: string;
  revoked_at: string | null;
}

const hexId = () => crypto.randomUUID().replace(/-/g, "");
const frame = (fn: string, file: string, line: number, inApp = true) => ({
  function: fn,
  filename: `app:///${file}`,
  abs_path: `app:///${file}`,
  lineno: line,
  colno: 12,
  in_app: inApp,
});

function exceptionEvent(release: string, type: string, value: string, frames: ReturnType<typeof frame>[]) {
  return {
    event_id: hexId(),
    timestamp: Date.now() / 1000,
    platform: "javascript",
    level: "error",
    release,
    environment: "production",
    exception: {
      values: [{ type, value, mechanism: { type: "onerror", handled: false }, stacktrace: { frames } }],
    },
    breadcrumbs: [{ timestamp: Date.now() / 1000 - 5, category: "navigation", message: "/orders" }],
    tags: { os: "Windows 11", arch: "x64" },
    user: { id: "demo-user-1" },
    sdk: { name: "sentry.javascript.electron", version: "6.1.0" },
  };
}

function session(
  release: string,
  did: string,
  status: "ok" | "exited" | "crashed",
  init: boolean,
  errors = 0,
) {
  const started = new Date(Date.now() - 20 * 60_000).toISOString();
  return {
    sid: hexId(),
    did,
    init,
    started,
    timestamp: new Date().toISOString(),
    status,
    errors,
    attrs: { release, environment: "production" },
  };
}

/** An envelope as the SDKs send it, gzipped as they do for larger bodies. */
function envelopeBody(dsn: string, items: { type: string; payload: unknown }[]): Buffer {
  const lines = [JSON.stringify({ dsn, sent_at: new Date().toISOString() })];
  for (const item of items) {
    const payload = JSON.stringify(item.payload);
    lines.push(JSON.stringify({ type: item.type, length: Buffer.byteLength(payload) }), payload);
  }
  return gzipSync(`${lines.join("\n")}\n`);
}

async function demoProject(baseUrl: string, token: string, companyId: string): Promise<ErrorProjectView> {
  const path = `/api/admin/companies/${companyId}/error-projects`;
  const { projects } = await request<{ projects: ErrorProjectView[] }>(baseUrl, path, { token });
  const existing = projects.find((project) => project.name === PROJECT_NAME && !project.revoked_at);
  if (existing) return existing;
  const body = JSON.stringify({ name: PROJECT_NAME, app: "desktop", platform: "electron" });
  return (await request<{ project: ErrorProjectView }>(baseUrl, path, { method: "POST", token, body }))
    .project;
}

export async function seedDemoErrors(
  baseUrl: string,
  adminSecret: string,
  companyId: string,
  log: (line: string) => void,
): Promise<{ dsn: string }> {
  const project = await demoProject(baseUrl, adminSecret, companyId);
  const [older = "1.4.2", newer = "1.5.0"] = DEMO_RELEASES;
  const release = (version: string) => `nexus-desktop@${version}`;
  const syncFrames = [
    frame("main", "main.js", 10),
    frame("syncOrders", "sync.js", 88),
    frame("readOrder", "sync.js", 31),
  ];
  // The same failure twice: one issue seen twice.
  const syncFailure = () => ({
    type: "event",
    payload: exceptionEvent(
      release(newer),
      "TypeError",
      "Cannot read properties of undefined (reading 'total')",
      syncFrames,
    ),
  });
  const envelopes = [
    [{ type: "session", payload: session(release(newer), "demo-pc-1", "ok", true) }],
    [syncFailure(), { type: "session", payload: session(release(newer), "demo-pc-1", "crashed", false, 1) }],
    [syncFailure()],
    [
      {
        type: "event",
        payload: exceptionEvent(
          release(older),
          "Error",
          "ENOENT: no such file or directory, open 'C:\\Nexus\\cache.db'",
          [frame("openCache", "cache.js", 14)],
        ),
      },
    ],
    [
      {
        type: "event",
        payload: {
          event_id: hexId(),
          level: "warning",
          release: release(newer),
          platform: "javascript",
          message: "Printer queue stalled for 120 s",
        },
      },
    ],
    [
      { type: "session", payload: session(release(older), "demo-pc-2", "ok", true) },
      { type: "session", payload: session(release(older), "demo-pc-2", "exited", false) },
    ],
  ];
  const url = new URL(`/api/${project.id}/envelope/`, baseUrl);
  for (const items of envelopes) {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-sentry-envelope",
        "content-encoding": "gzip",
        "x-sentry-auth": `Sentry sentry_key=${project.public_key}, sentry_version=7, sentry_client=nexus-seed/1.0`,
      },
      body: envelopeBody(project.dsn, items),
    });
    if (!response.ok)
      throw new Error(`POST ${url.pathname} answered ${response.status}: ${await response.text()}`);
  }
  log(`Error tracking: DSN ${project.dsn} with ${envelopes.length} demo envelopes (events and sessions)`);
  return { dsn: project.dsn };
}
