import { env } from "cloudflare:workers";
import type { ErrorEventData, ErrorsQueueMessage } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  count,
  deliverErrors,
  errorProject,
  errorsMessage,
  eventItems,
  exceptionEvent,
  issues,
  sessionAggregates,
  sessionUpdate,
  T0,
} from "./errors-helpers.ts";
import { MINIFIED, SOURCE_MAP } from "./fixtures/app-source-map.ts";
import { company, until } from "./tenants.ts";

const HOUR = 3_600_000;

describe("the errors consumer", () => {
  it("groups 10,000 events from concurrent batches into 3 issues with exact counts", async () => {
    const acme = await company("TENANT_DB_0001", 0);
    const project = await errorProject(acme.id);
    const kinds = [
      ["TypeError", "x is not a function", "render"],
      ["RangeError", "Invalid array length", "layout"],
      ["Error", "Request failed with status 502", "fetchOrders"],
    ] as const;
    const expected = [0, 0, 0];
    const bodies: ErrorsQueueMessage[] = [];
    for (let m = 0; m < 100; m++) {
      const events: ErrorEventData[] = [];
      for (let i = 0; i < 100; i++) {
        const n = m * 100 + i;
        const kind = n % 7 === 0 ? 2 : n % 2;
        expected[kind] = (expected[kind] ?? 0) + 1;
        const [type, value, fn] = kinds[kind] ?? kinds[0];
        events.push(
          exceptionEvent(
            type,
            value,
            {
              release: `app@1.0.${n % 3}`,
              timestamp: new Date(T0 + (n % 4) * HOUR).toISOString(),
              user: { id: `user-${n % 11}` },
            },
            fn,
          ),
        );
      }
      // Received after the last of them happened (a clock ahead of the server's is not believed).
      bodies.push(errorsMessage(acme.id, project, eventItems(events), "other", T0 + 4 * HOUR));
    }
    // Four batches of 25 messages at once: the upserts must add up whatever interleaves.
    const results = await Promise.all(
      [0, 1, 2, 3].map((part) => deliverErrors(bodies.slice(part * 25, part * 25 + 25))),
    );
    for (const { result, ids } of results) {
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks.sort()).toEqual([...ids].sort());
    }

    const rows = await issues(acme.db);
    expect(rows).toHaveLength(3);
    expect(rows.map((row) => row.times_seen).sort()).toEqual([...expected].sort());
    expect(rows.reduce((sum, row) => sum + row.times_seen, 0)).toBe(10_000);
    for (const row of rows) expect(row.users_seen).toBe(11);
    const titles = rows.map((row) => row.title).sort();
    expect(titles).toEqual([
      "Error: Request failed with status 502",
      "RangeError: Invalid array length",
      "TypeError: x is not a function",
    ]);
    expect(rows.find((row) => row.title.startsWith("TypeError"))?.culprit).toBe("render(~/dist/main.js)");
    expect(await count(acme.db, "SELECT count(*) AS n FROM error_events")).toBe(10_000);
    expect(await count(acme.db, "SELECT sum(count) AS n FROM error_issue_hours")).toBe(10_000);
    expect(await count(acme.db, "SELECT count(DISTINCT hour) AS n FROM error_issue_hours")).toBe(4);
    expect(await count(acme.db, "SELECT sum(times_seen) AS n FROM error_issue_releases")).toBe(10_000);
    expect(await count(acme.db, "SELECT count(*) AS n FROM error_issue_releases")).toBe(9);
    expect(
      await count(env.CENTRAL_DB, "SELECT events AS n FROM error_ingest_stats WHERE project_id = ?", project),
    ).toBe(10_000);
    // One created webhook per issue, not one per batch that saw it first.
    expect(
      await count(
        env.CENTRAL_DB,
        "SELECT count(*) AS n FROM webhook_events WHERE type = 'error.issue.created' AND company_id = ?",
        acme.id,
      ),
    ).toBe(3);
  }, 60_000);

  it("counts nothing twice when a message is redelivered, after full or partial success", async () => {
    const acme = await company("TENANT_DB_0001", 0);
    const project = await errorProject(acme.id);
    const repeated = exceptionEvent("TypeError", "boom", { release: "app@1.0.0" });
    const message = errorsMessage(acme.id, project, [
      ...eventItems([repeated, exceptionEvent("TypeError", "boom", { release: "app@1.0.0" })]),
      sessionUpdate({ did: "device-1" }),
    ]);
    await deliverErrors([message], ["msg-redelivered"]);
    // The same delivery again (a queue redelivers a message with its id).
    const again = await deliverErrors([message], ["msg-redelivered"], 2);
    expect(again.result.retryMessages).toEqual([]);
    // An SDK resending one of the events in another envelope.
    await deliverErrors([errorsMessage(acme.id, project, eventItems([repeated]))]);

    const [issue] = await issues(acme.db);
    expect(issue?.times_seen).toBe(2);
    expect(await count(acme.db, "SELECT count(*) AS n FROM error_events")).toBe(2);
    expect(await count(acme.db, "SELECT sum(started) AS n FROM error_sessions")).toBe(1);
    expect(await count(env.CENTRAL_DB, "SELECT events AS n FROM error_ingest_stats")).toBe(2);
    expect(await count(env.CENTRAL_DB, "SELECT sessions AS n FROM error_ingest_stats")).toBe(1);

    // Partial success: the central writes commit, the tenant's fail (its table is gone for a moment);
    // the retry must make the tenant writes without adding the central counts again.
    await acme.db.prepare("ALTER TABLE error_sessions RENAME TO error_sessions_away").run();
    const partial = errorsMessage(acme.id, project, [
      ...eventItems([exceptionEvent("TypeError", "boom", { release: "app@1.0.0" })]),
      sessionUpdate({ did: "device-2" }),
    ]);
    const failed = await deliverErrors([partial], ["msg-partial"]);
    expect(failed.result.retryMessages.map((retry) => retry.msgId)).toEqual(["msg-partial"]);
    expect(await count(env.CENTRAL_DB, "SELECT events AS n FROM error_ingest_stats")).toBe(3);
    expect((await issues(acme.db))[0]?.times_seen).toBe(2);
    await acme.db.prepare("ALTER TABLE error_sessions_away RENAME TO error_sessions").run();

    const retried = await deliverErrors([partial], ["msg-partial"], 2);
    expect(retried.result.retryMessages).toEqual([]);
    expect((await issues(acme.db))[0]?.times_seen).toBe(3);
    expect(await count(acme.db, "SELECT sum(started) AS n FROM error_sessions")).toBe(2);
    expect(await count(env.CENTRAL_DB, "SELECT events AS n FROM error_ingest_stats")).toBe(3);
    expect(await count(env.CENTRAL_DB, "SELECT sessions AS n FROM error_ingest_stats")).toBe(2);
  });

  it("reopens a resolved issue on an event from its resolved release or later, and tells webhooks", async () => {
    const acme = await company("TENANT_DB_0001", 0);
    const project = await errorProject(acme.id);
    const event = (release: string) => exceptionEvent("TypeError", "cart is undefined", { release });
    await deliverErrors([errorsMessage(acme.id, project, eventItems([event("app@1.2.0")]))]);
    const [created] = await issues(acme.db);
    if (!created) throw new Error("no issue");
    const resolvedAt = T0 + HOUR;
    await acme.db
      .prepare(
        "UPDATE error_issues SET status = 'resolved', resolved_in_release = 'app@1.3.0', resolved_at = ?",
      )
      .bind(resolvedAt)
      .run();

    // An older release still has the bug: counted, not a regression.
    await deliverErrors([
      errorsMessage(acme.id, project, eventItems([event("app@1.2.9")]), "other", T0 + 2 * HOUR),
    ]);
    expect((await issues(acme.db))[0]).toMatchObject({
      status: "resolved",
      times_seen: 2,
      regressed_at: null,
    });

    await deliverErrors([
      errorsMessage(acme.id, project, eventItems([event("app@1.10.0")]), "other", T0 + 3 * HOUR),
    ]);
    const [regressed] = await issues(acme.db);
    expect(regressed).toMatchObject({ status: "unresolved", times_seen: 3, last_release: "app@1.10.0" });
    expect(regressed?.regressed_at).toBeGreaterThan(0);

    const events = await env.CENTRAL_DB.prepare(
      "SELECT type, data FROM webhook_events WHERE company_id = ? ORDER BY type",
    )
      .bind(acme.id)
      .all<{ type: string; data: string }>();
    expect(events.results.map((row) => [row.type, JSON.parse(row.data)])).toEqual([
      [
        "error.issue.created",
        {
          issue_id: created.id,
          project_id: project,
          title: "TypeError: cart is undefined",
          level: "error",
          release: "app@1.2.0",
        },
      ],
      [
        "error.issue.regressed",
        {
          issue_id: created.id,
          project_id: project,
          title: "TypeError: cart is undefined",
          level: "error",
          release: "app@1.10.0",
        },
      ],
    ]);

    // Resolved without a release: any event received after the resolution regresses it.
    await acme.db
      .prepare("UPDATE error_issues SET status = 'resolved', resolved_in_release = NULL, resolved_at = ?")
      .bind(T0 + 4 * HOUR)
      .run();
    await deliverErrors([
      errorsMessage(acme.id, project, eventItems([event("app@1.0.0")]), "other", T0 + 4 * HOUR),
    ]);
    expect((await issues(acme.db))[0]?.status).toBe("resolved");
    await deliverErrors([
      errorsMessage(acme.id, project, eventItems([event("app@1.0.0")]), "other", T0 + 5 * HOUR),
    ]);
    expect((await issues(acme.db))[0]?.status).toBe("unresolved");

    // Ignored stays ignored.
    await acme.db.prepare("UPDATE error_issues SET status = 'ignored'").run();
    await deliverErrors([
      errorsMessage(acme.id, project, eventItems([event("app@9.0.0")]), "other", T0 + 6 * HOUR),
    ]);
    expect((await issues(acme.db))[0]).toMatchObject({ status: "ignored", times_seen: 6 });
  });

  it("symbolicates a minified stack with the source map uploaded for the release (through the real queue)", async () => {
    const acme = await company("TENANT_DB_0001", 0);
    const project = await errorProject(acme.id);
    const r2Key = `companies/${acme.id}/errors/source-maps/${project}/app.min.js.map`;
    await env.ERRORS.put(r2Key, SOURCE_MAP);
    await acme.db
      .prepare(
        "INSERT INTO error_source_maps (project_id, release, name, r2_key, size, sha256, uploaded_at) VALUES (?, 'web@2.0.0', '~/static/app.min.js', ?, ?, '', ?)",
      )
      .bind(project, r2Key, SOURCE_MAP.length, T0)
      .run();
    // Where V8 would report the frames in the minified file: the throw in `n`, the call of `n` in `o`.
    const throwColumn = MINIFIED.indexOf("new TypeError") + 1;
    const callColumn = MINIFIED.indexOf("n(r).toFixed") + 1;
    const url = "https://shop.example.com/static/app.min.js?v=2";
    const event = exceptionEvent("TypeError", "cart total is not a number", { release: "web@2.0.0" });
    const [exception] = event.exceptions;
    if (!exception) throw new Error("fixture");
    exception.frames = [
      { function: "o", filename: url, abs_path: url, lineno: 1, colno: callColumn, in_app: true },
      { function: "n", filename: url, abs_path: url, lineno: 1, colno: throwColumn, in_app: true },
    ];
    await env.ERRORS_QUEUE.send(errorsMessage(acme.id, project, eventItems([event])));

    const stored = await until(
      () =>
        acme.db
          .prepare("SELECT data FROM error_events WHERE event_id = ?")
          .bind(event.event_id)
          .first<{ data: string }>(),
      (row) => row !== null,
      "the symbolicated event",
    );
    const data = JSON.parse(stored?.data ?? "{}") as ErrorEventData;
    const [outer, inner] = data.exceptions[0]?.frames ?? [];
    expect(inner).toMatchObject({
      function: "cartTotal",
      filename: "src/app.ts",
      lineno: 12,
      colno: 11,
      context_line: '    throw new TypeError("cart total is not a number");',
      pre_context: [
        "  let total = 0;",
        "  for (const item of cart.items) {",
        "    total += item.price * item.quantity;",
        "  }",
        "  if (Number.isNaN(total)) {",
      ],
      post_context: ["  }", "  return total;", "}", "", "export function checkout(cart: Cart): string {"],
      minified: { abs_path: url, lineno: 1, colno: throwColumn },
    });
    expect(outer).toMatchObject({
      function: "checkout",
      filename: "src/app.ts",
      lineno: 18,
      context_line: "  const total = cartTotal(cart);",
      minified: { abs_path: url, lineno: 1, colno: callColumn },
    });
    const [issue] = await issues(acme.db);
    expect(issue?.culprit).toBe("cartTotal(~/src/app.ts)");
  });

  it("leaves frames as they were when the uploaded map cannot be parsed", async () => {
    const acme = await company("TENANT_DB_0001", 0);
    const project = await errorProject(acme.id);
    await env.ERRORS.put("broken.map", "{ not a source map");
    await acme.db
      .prepare(
        "INSERT INTO error_source_maps (project_id, release, name, r2_key, size, sha256, uploaded_at) VALUES (?, 'web@1', '~/app.js', 'broken.map', 1, '', ?)",
      )
      .bind(project, T0)
      .run();
    const event = exceptionEvent("Error", "x", { release: "web@1" }, "a", "https://example.com/app.js");
    const { result } = await deliverErrors([errorsMessage(acme.id, project, eventItems([event]))]);
    expect(result.retryMessages).toEqual([]);
    const stored = await acme.db.prepare("SELECT data FROM error_events").first<{ data: string }>();
    const frames = (JSON.parse(stored?.data ?? "{}") as ErrorEventData).exceptions[0]?.frames;
    expect(frames?.[1]).toMatchObject({ function: "a", lineno: 42, colno: 7 });
    expect(frames?.[1]?.minified).toBeUndefined();
  });

  it("counts sessions per release and hour, and the distinct users with their crashes", async () => {
    const acme = await company("TENANT_DB_0001", 0);
    const project = await errorProject(acme.id, "mobile");
    const started = new Date(T0 + 30 * 60_000).toISOString();
    const sid = "session-1";
    await deliverErrors([
      errorsMessage(acme.id, project, [
        sessionUpdate({ sid, did: "u1", started, status: "ok" }),
        sessionUpdate({ did: "u2", started, status: "exited", errors: 2 }),
        sessionUpdate({ did: "u3", started, status: "abnormal" }),
        sessionAggregates("app@1.0.0", [{ exited: 5, errored: 2, crashed: 1, did: "u4" }]),
      ]),
      errorsMessage(acme.id, project, [
        sessionUpdate({ sid, did: "u1", init: false, started, status: "crashed", errors: 1 }),
      ]),
    ]);
    const row = await acme.db
      .prepare(
        "SELECT hour, sum(started) AS started, sum(errored) AS errored, sum(crashed) AS crashed, sum(abnormal) AS abnormal FROM error_sessions GROUP BY hour",
      )
      .first();
    expect(row).toEqual({ hour: T0, started: 3 + 8, errored: 1 + 3 + 1, crashed: 2, abnormal: 1 });
    const users = await acme.db
      .prepare("SELECT user_key, crashed FROM error_session_users ORDER BY user_key")
      .all();
    expect(users.results).toEqual([
      { user_key: "u1", crashed: 1 },
      { user_key: "u2", crashed: 0 },
      { user_key: "u3", crashed: 0 },
      { user_key: "u4", crashed: 1 },
    ]);
    // Not the desktop app: nothing in the platform's release health.
    expect(await count(env.CENTRAL_DB, "SELECT count(*) AS n FROM release_health")).toBe(0);
    expect(await count(env.CENTRAL_DB, "SELECT sessions AS n FROM error_ingest_stats")).toBe(3 + 8 + 1);
  });
});
