import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../src/index.ts";
import {
  count,
  deliverErrors,
  errorProject,
  errorsMessage,
  eventItems,
  exceptionEvent,
  issues,
} from "./errors-helpers.ts";
import { company } from "./tenants.ts";

const DAY = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

describe("error retention (the daily cron)", () => {
  it("drops events and hourly counts past 90 days and raw envelopes past 30, keeping issues", async () => {
    const acme = await company("TENANT_DB_0001", 0);
    const project = await errorProject(acme.id);
    const now = Date.now();
    const event = () => exceptionEvent("Error", "old", { timestamp: new Date(now + DAY).toISOString() });
    await deliverErrors([
      errorsMessage(acme.id, project, eventItems([event(), event()]), "other", now - 100 * DAY),
      errorsMessage(acme.id, project, eventItems([event()]), "other", now - 10 * DAY),
    ]);
    expect(await count(acme.db, "SELECT count(*) AS n FROM error_events")).toBe(3);
    expect(await count(acme.db, "SELECT count(*) AS n FROM error_issue_hours")).toBe(2);
    // The applied-message marks: one from before any retry could still come, and today's two.
    await acme.db
      .prepare("INSERT INTO error_batches (key, items, processed_at) VALUES ('errors:old', 1, ?)")
      .bind(now - 9 * DAY)
      .run();

    const raw = (ageDays: number) =>
      `companies/${acme.id}/errors/raw/${day(now - ageDays * DAY)}/${project}/${ageDays}.gz`;
    const keys = [raw(40), raw(31), raw(29), raw(0)];
    const kept = `companies/${acme.id}/errors/source-maps/${project}/app.js.map`;
    for (const key of [...keys, kept]) await env.ERRORS.put(key, "x");

    await worker.scheduled(createScheduledController({ cron: "41 3 * * *", scheduledTime: now }), env);

    expect(await count(acme.db, "SELECT count(*) AS n FROM error_events")).toBe(1);
    expect(await count(acme.db, "SELECT count(*) AS n FROM error_issue_hours")).toBe(1);
    expect((await issues(acme.db))[0]?.times_seen).toBe(3);
    expect(await count(acme.db, "SELECT count(*) AS n FROM error_batches")).toBe(2);
    const left = await env.ERRORS.list({ prefix: `companies/${acme.id}/` });
    expect(left.objects.map((object) => object.key).sort()).toEqual([raw(0), raw(29), kept].sort());
  });
});
