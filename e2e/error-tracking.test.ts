// App error tracking as apps use it: the real `@sentry/node` SDK, unmodified, given a DSN of the
// bundled API on the local runtime. Its envelopes (an exception, a message, session updates) go
// through the real ingest, the `nexus-errors` queue and workers/consumers into the company's tenant
// database, and are read back through the company API: grouped into issues, with the SDK's release.
import { gunzipSync } from "node:zlib";
import * as Sentry from "@sentry/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalSystem, startLocalSystem } from "./local-system.ts";

const RELEASE = "nexus-desktop@2.3.4";

let system: LocalSystem;
let companyId: string;
let projectId: number;
/** The HTTP status of every envelope the SDK sent. */
const statuses: number[] = [];

beforeAll(async () => {
  system = await startLocalSystem();
  companyId = (await system.registerCompany()).company_id;
  const { project } = (await system.asOperator(`/api/admin/companies/${companyId}/error-projects`, {
    name: "Desktop app",
    app: "desktop",
    platform: "node",
  })) as { project: { id: number; dsn: string } };
  projectId = project.id;
  Sentry.init({
    dsn: project.dsn,
    release: RELEASE,
    environment: "e2e",
    // The SDK's own instrumentation is not under test; its transport and envelopes are.
    defaultIntegrations: false,
    enableRuntimeChannelInjection: false,
    transport: (options) => {
      const transport = Sentry.makeNodeTransport(options);
      return {
        ...transport,
        send: async (envelope) => {
          const answer = await transport.send(envelope);
          statuses.push(answer.statusCode ?? 0);
          return answer;
        },
      };
    },
  });
}, 180_000);

afterAll(async () => {
  await Sentry.close(2000);
  await system?.stop();
});

function failOrderSync(orderCount: number): never {
  throw new TypeError(`Order sync failed for ${orderCount} orders`);
}

function captureSyncFailure(orderCount: number): string {
  try {
    failOrderSync(orderCount);
  } catch (error) {
    return Sentry.captureException(error);
  }
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen in time: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    value = await read();
  }
  return value;
}

interface Issue {
  id: string;
  title: string;
  type: string | null;
  level: string;
  times_seen: number;
  first_release: string | null;
  last_release: string | null;
}

describe("the @sentry/node SDK against the ingest", () => {
  it("sends an exception, a message and sessions that are accepted and kept", {
    timeout: 120_000,
  }, async () => {
    Sentry.startSession();
    const exceptionId = captureSyncFailure(3);
    const messageId = Sentry.captureMessage("Printer queue stalled", "warning");
    Sentry.endSession();
    expect(await Sentry.flush(10_000)).toBe(true);
    // Two events and at least the session's start and end: every envelope accepted.
    expect(statuses.length).toBeGreaterThanOrEqual(4);
    expect(statuses.every((status) => status === 200)).toBe(true);

    // The raw envelopes of both events, gzipped in the ERRORS bucket, with the SDK's release.
    const bucket = await system.mf.getR2Bucket("ERRORS");
    const listed = await bucket.list({ prefix: `companies/${companyId}/errors/raw/` });
    const bodies = await Promise.all(
      listed.objects.map(async (object) => {
        const stored = await bucket.get(object.key);
        return gunzipSync(
          Buffer.from(await (stored as { arrayBuffer(): Promise<ArrayBuffer> }).arrayBuffer()),
        ).toString();
      }),
    );
    for (const id of [exceptionId, messageId]) {
      const body = bodies.find((text) => text.includes(id.replace(/-/g, "")));
      expect(body, `raw envelope of ${id}`).toBeDefined();
      expect(body).toContain(`"release":"${RELEASE}"`);
      expect(listed.objects.find((o) => o.key.includes(`/${projectId}/`))).toBeDefined();
    }
  });

  it("groups the events into issues with the release, the same failure into the same issue", {
    timeout: 120_000,
  }, async () => {
    const list = async () =>
      ((await system.asOperator(`/api/admin/companies/${companyId}/error-issues`)) as { issues: Issue[] })
        .issues;
    const first = await poll(list, (issues) => issues.length >= 2, "grouping into two issues");
    const exception = first.find((issue) => issue.type === "TypeError");
    const message = first.find((issue) => issue.type === null);
    expect(exception).toMatchObject({
      level: "error",
      times_seen: 1,
      first_release: RELEASE,
      last_release: RELEASE,
    });
    expect(exception?.title).toContain("TypeError");
    expect(message).toMatchObject({
      level: "warning",
      title: "Printer queue stalled",
      last_release: RELEASE,
    });

    // The same failure with another count: the same issue, seen twice.
    captureSyncFailure(7);
    expect(await Sentry.flush(10_000)).toBe(true);
    const again = await poll(
      list,
      (issues) => issues.find((issue) => issue.id === exception?.id)?.times_seen === 2,
      "the second occurrence counted",
    );
    expect(again).toHaveLength(2);
  });

  it("counts the sessions in the release's health", { timeout: 120_000 }, async () => {
    const health = await poll(
      async () =>
        (
          (await system.asOperator(
            `/api/admin/companies/${companyId}/release-health?project_id=${projectId}`,
          )) as { releases: { release: string; sessions: number; errored: number }[] }
        ).releases,
      (releases) => (releases.find((release) => release.release === RELEASE)?.sessions ?? 0) >= 1,
      "the session counted",
    );
    expect(health.find((release) => release.release === RELEASE)).toMatchObject({ sessions: 1, errored: 1 });
  });
});
