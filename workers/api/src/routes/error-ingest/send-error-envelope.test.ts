import { env } from "cloudflare:workers";
import { ErrorsQueueMessageSchema, SubscriptionTierSchema } from "@nexus/contracts";
import { describe, expect, it, vi } from "vitest";
import { callAsOperator, expectError, registerCompany } from "../../../test/helpers.ts";
import { PROJECT_CACHE_TTL_MS } from "../../services/errors/ingest/project-keys.ts";
import {
  createErrorProject,
  envelope,
  gunzip,
  gzip,
  ingestStats,
  postIngest,
  sentryAuth,
  sentryEvent,
  uuidHex,
} from "./fixtures.ts";

const path = (projectId: number | string) => `/api/${projectId}/envelope/`;

async function project(options: Parameters<typeof createErrorProject>[1] = {}) {
  const company = await registerCompany();
  return createErrorProject(company.company_id, options);
}

const sessionUpdate = (overrides: Record<string, unknown> = {}) => ({
  sid: crypto.randomUUID(),
  did: "machine-7",
  init: true,
  started: new Date().toISOString(),
  timestamp: new Date().toISOString(),
  status: "ok",
  errors: 0,
  attrs: { release: "nexus-desktop@1.4.2", environment: "production" },
  ...overrides,
});

describe("POST /api/{projectId}/envelope/", () => {
  it("queues a gzipped envelope's event and session as one message, keeps the raw body and answers the event id", async () => {
    const dsn = await project();
    const event = sentryEvent();
    const body = envelope({ event_id: event.event_id, sent_at: new Date().toISOString() }, [
      { type: "event", payload: event },
      { type: "session", payload: sessionUpdate(), withLength: false },
      { type: "attachment", payload: "binary\nbytes\u0000here", extra: { filename: "log.txt" } },
      { type: "client_report", payload: { discarded_events: [] } },
    ]);
    const { response, queued } = await postIngest(path(dsn.id), await gzip(body), {
      ...sentryAuth(dsn.publicKey),
      "content-encoding": "gzip",
      "cf-connecting-ip": "203.0.113.9",
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toEqual({ id: event.event_id });
    expect(queued).toHaveLength(1);
    const message = ErrorsQueueMessageSchema.parse(queued[0]);
    expect(message).toMatchObject({ company_id: dsn.companyId, project_id: dsn.id, app: "desktop" });
    expect(message.items.map((item) => item.type)).toEqual(["event", "session"]);
    const [first, second] = message.items;
    if (first?.type !== "event" || second?.type !== "session") throw new Error("unexpected items");
    expect(first.event).toMatchObject({
      event_id: event.event_id,
      release: "nexus-desktop@1.4.2",
      level: "error",
      tags: { os: "windows", build: "1234", beta: "true" },
      user: { id: "u-1", ip_address: "203.0.113.9" },
    });
    expect(first.event.exceptions[0]?.frames.at(-1)).toMatchObject({ function: "loadOrders", in_app: true });
    expect(second.session).toMatchObject({ init: true, status: "ok", release: "nexus-desktop@1.4.2" });
    // The raw body, gzipped, under the company's prefix.
    expect(message.raw_key).toMatch(
      new RegExp(`^companies/${dsn.companyId}/errors/raw/\\d{4}-\\d{2}-\\d{2}/${dsn.id}/[0-9a-f-]+\\.gz$`),
    );
    const stored = await env.ERRORS.get(message.raw_key ?? "");
    expect(await gunzip(new Uint8Array(await (stored as R2ObjectBody).arrayBuffer()))).toBe(body);
  });

  it("reads deflate bodies, items without lengths and envelopes without a trailing newline", async () => {
    const dsn = await project({ app: "mobile" });
    const event = sentryEvent({
      event_id: undefined,
      exception: undefined,
      message: "Sync finished 3 times",
    });
    const body = envelope({ event_id: uuidHex() }, [
      { type: "event", payload: event, withLength: false },
    ]).trimEnd();
    const { response, queued } = await postIngest(path(dsn.id), await gzip(body, "deflate"), {
      ...sentryAuth(dsn.publicKey),
      "content-encoding": "deflate",
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const { id } = (await response.json()) as { id: string };
    // No id in the event: the envelope header's is used.
    expect(id).toBe(JSON.parse(body.split("\n")[0] ?? "{}").event_id);
    const item = queued[0]?.items[0];
    expect(queued[0]?.app).toBe("mobile");
    expect(item?.type === "event" && item.event.message).toBe("Sync finished 3 times");
  });

  it("answers {} and queues nothing for envelopes without events or sessions, and keeps no raw body for sessions", async () => {
    const dsn = await project();
    const reports = envelope({}, [{ type: "client_report", payload: { discarded_events: [] } }]);
    const empty = await postIngest(path(dsn.id), reports, sentryAuth(dsn.publicKey));
    expect(await empty.response.json()).toEqual({});
    expect(empty.queued).toEqual([]);
    const sessions = envelope({}, [
      {
        type: "sessions",
        payload: {
          aggregates: [{ started: new Date().toISOString(), exited: 5, crashed: 1 }],
          attrs: { release: "nexus-desktop@1.4.2" },
        },
      },
      // No release: dropped, as Sentry's Relay does.
      { type: "session", payload: sessionUpdate({ attrs: {} }) },
    ]);
    const { response, queued } = await postIngest(path(dsn.id), sessions, sentryAuth(dsn.publicKey));
    expect(await response.json()).toEqual({});
    expect(queued).toHaveLength(1);
    expect(queued[0]?.raw_key).toBeNull();
    expect(queued[0]?.items).toEqual([
      {
        type: "sessions",
        sessions: {
          release: "nexus-desktop@1.4.2",
          environment: null,
          aggregates: [expect.objectContaining({ exited: 5, crashed: 1, errored: 0, abnormal: 0 })],
        },
      },
    ]);
  });

  it("takes the key from ?sentry_key= and from the envelope header's dsn", async () => {
    const dsn = await project();
    const viaQuery = await postIngest(
      `${path(dsn.id)}?sentry_key=${dsn.publicKey}&sentry_version=7`,
      envelope({}, []),
    );
    expect(viaQuery.response.status).toBe(200);
    const body = envelope({ dsn: dsn.dsn }, [{ type: "event", payload: sentryEvent() }]);
    const viaDsn = await postIngest(path(dsn.id), await gzip(body), { "content-encoding": "gzip" });
    expect(viaDsn.response.status, await viaDsn.response.clone().text()).toBe(200);
    expect(viaDsn.queued).toHaveLength(1);
  });

  it("refuses a missing or wrong key, another project's key and a DSN for another project (401)", async () => {
    const dsn = await project();
    const other = await project();
    const body = envelope({}, [{ type: "event", payload: sentryEvent() }]);
    const missing = await postIngest(path(dsn.id), body);
    await expectError(missing.response, 401, "UNAUTHORIZED");
    const wrong = await postIngest(path(dsn.id), body, sentryAuth("0".repeat(32)));
    const wrongError = await expectError(wrong.response, 401, "UNAUTHORIZED");
    // Another company's valid key for this project id.
    const stolen = await postIngest(path(dsn.id), body, sentryAuth(other.publicKey));
    await expectError(stolen.response, 401, "UNAUTHORIZED");
    const crossed = await postIngest(path(dsn.id), envelope({ dsn: other.dsn }, []));
    await expectError(crossed.response, 401, "UNAUTHORIZED");
    // An unknown project answers like a wrong key.
    const unknown = await postIngest(path(999), body, sentryAuth(dsn.publicKey));
    const unknownError = await expectError(unknown.response, 401, "UNAUTHORIZED");
    expect(unknownError.message.replace("999", "N")).toBe(wrongError.message.replace(String(dsn.id), "N"));
    for (const attempt of [missing, wrong, stolen, crossed, unknown]) expect(attempt.queued).toEqual([]);
  });

  it("refuses a revoked DSN (401) and a suspended company's (403)", async () => {
    const revoked = await project({ revoked: true });
    const body = envelope({}, [{ type: "event", payload: sentryEvent() }]);
    const refused = await postIngest(path(revoked.id), body, sentryAuth(revoked.publicKey));
    const error = await expectError(refused.response, 401, "UNAUTHORIZED");
    expect(error.message).toMatch(/revoked/);
    const dsn = await project();
    await env.CENTRAL_DB.prepare("UPDATE companies SET suspended_at = ? WHERE id = ?")
      .bind(Date.now(), dsn.companyId)
      .run();
    const suspended = await postIngest(path(dsn.id), body, sentryAuth(dsn.publicKey));
    await expectError(suspended.response, 403, "COMPANY_SUSPENDED");
    expect([...refused.queued, ...suspended.queued]).toEqual([]);
  });

  it("refuses a DSN revoked after its project was cached once the cache's 10 s are over", async () => {
    const dsn = await project();
    const body = envelope({}, [{ type: "event", payload: sentryEvent() }]);
    expect((await postIngest(path(dsn.id), body, sentryAuth(dsn.publicKey))).response.status).toBe(200);
    await env.CENTRAL_DB.prepare("UPDATE error_projects SET revoked_at = ? WHERE id = ?")
      .bind(Date.now(), dsn.id)
      .run();
    const now = Date.now();
    const clock = vi.spyOn(Date, "now");
    try {
      clock.mockReturnValue(now + PROJECT_CACHE_TTL_MS - 1000);
      expect((await postIngest(path(dsn.id), body, sentryAuth(dsn.publicKey))).response.status).toBe(200);
      clock.mockReturnValue(now + PROJECT_CACHE_TTL_MS + 1);
      const refused = await postIngest(path(dsn.id), body, sentryAuth(dsn.publicKey));
      expect((await expectError(refused.response, 401, "UNAUTHORIZED")).message).toMatch(/revoked/);
    } finally {
      clock.mockRestore();
    }
  });

  it("answers malformed envelopes 400 and counts them", async () => {
    const dsn = await project();
    const cases = [
      "not json\n",
      "",
      '{}\n{"length":2}\n{}\n',
      '{}\n{"type":"event","length":500}\n{}\n',
      '{}\n{"type":"event","length":2}\n{}xx\n',
      '{}\n{"type":"event"}\nnot an event\n',
      '{}\n{"type":"event"}\n[1,2]\n',
      '{}\n{"type":"session"}\n{"sid":\n',
    ];
    for (const body of cases) {
      const { response, queued } = await postIngest(path(dsn.id), body, sentryAuth(dsn.publicKey));
      await expectError(response, 400, "ENVELOPE_INVALID");
      expect(queued).toEqual([]);
    }
    const badGzip = await postIngest(path(dsn.id), new Uint8Array([0x1f, 0x8b, 1, 2, 3]), {
      ...sentryAuth(dsn.publicKey),
      "content-encoding": "gzip",
    });
    await expectError(badGzip.response, 400, "ENVELOPE_INVALID");
    // Counts are written at most once a second per isolate: the first refusal at once.
    const [stats] = await ingestStats(dsn.id);
    expect(stats?.malformed).toBeGreaterThanOrEqual(1);
    expect(stats?.rateLimited).toBe(0);
  });

  it("refuses oversized events (413), unknown encodings (415) and odd project ids (400)", async () => {
    const dsn = await project();
    const big = sentryEvent({ extra: { blob: "x".repeat(1024 * 1024) } });
    const tooLarge = await postIngest(
      path(dsn.id),
      envelope({}, [{ type: "event", payload: big }]),
      sentryAuth(dsn.publicKey),
    );
    await expectError(tooLarge.response, 413, "PAYLOAD_TOO_LARGE");
    const bomb = await gzip(new Uint8Array(51 * 1024 * 1024));
    const expanded = await postIngest(path(dsn.id), bomb, {
      ...sentryAuth(dsn.publicKey),
      "content-encoding": "gzip",
    });
    await expectError(expanded.response, 413, "PAYLOAD_TOO_LARGE");
    const brotli = await postIngest(path(dsn.id), "x", {
      ...sentryAuth(dsn.publicKey),
      "content-encoding": "br",
    });
    await expectError(brotli.response, 415, "UNSUPPORTED_MEDIA_TYPE");
    const odd = await postIngest(path("12abc"), envelope({}, []), sentryAuth(dsn.publicKey));
    await expectError(odd.response, 400, "VALIDATION_FAILED");
  });

  it("limits envelopes per project with Sentry's rate-limit headers, and counts the refusals", async () => {
    // Before the company exists: its hub reads its tier's limits when it first starts.
    for (const tier of SubscriptionTierSchema.options) {
      const set = await callAsOperator(`/api/admin/rate-limits/${tier}/error_events`, {
        method: "PUT",
        body: { limit: 2, window_seconds: 3600 },
      });
      expect(set.status).toBe(200);
    }
    const dsn = await project();
    const body = envelope({}, [{ type: "event", payload: sentryEvent() }]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await postIngest(path(dsn.id), body, sentryAuth(dsn.publicKey))).response.status);
    }
    expect(statuses).toEqual([200, 200, 429]);
    const { response, queued } = await postIngest(path(dsn.id), body, sentryAuth(dsn.publicKey));
    expect(response.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
    expect(response.headers.get("x-sentry-rate-limits")).toBe(
      `${response.headers.get("retry-after")}::project`,
    );
    await expectError(response, 429, "RATE_LIMITED");
    expect(queued).toEqual([]);
    const [stats] = await ingestStats(dsn.id);
    expect(stats?.rateLimited).toBeGreaterThanOrEqual(1);
  });

  it("answers browsers' preflights and lets any origin read the answer and its rate-limit headers", async () => {
    const dsn = await project();
    const preflight = await postIngest(
      path(dsn.id),
      "",
      {
        origin: "https://app.example.com",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, x-sentry-auth",
      },
      "OPTIONS",
    );
    expect(preflight.response.status).toBe(204);
    expect(preflight.response.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.response.headers.get("access-control-allow-headers")).toContain("x-sentry-auth");
    const posted = await postIngest(path(dsn.id), envelope({}, []), {
      ...sentryAuth(dsn.publicKey),
      origin: "https://app.example.com",
    });
    expect(posted.response.headers.get("access-control-allow-origin")).toBe("*");
    expect(posted.response.headers.get("access-control-expose-headers")).toContain("X-Sentry-Rate-Limits");
    const refused = await postIngest(path(dsn.id), envelope({}, []), { origin: "https://app.example.com" });
    expect(refused.response.status).toBe(401);
    expect(refused.response.headers.get("access-control-allow-origin")).toBe("*");
  });
});
