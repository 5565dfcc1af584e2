// Through the real local queues: the producer sends, the queue broker delivers to this worker,
// retries what it retries, and moves what keeps failing to the dead-letter queue.
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { company, rollups, samplesMessage, totalCount, until } from "./tenants.ts";

it("rolls up good messages at once and dead-letters a poison one after its retries", async () => {
  const acme = await company("TENANT_DB_0001");
  const machine = acme.machines[0] as string;
  const ts = Date.now() - 60_000;
  await env.TELEMETRY_QUEUE.sendBatch([
    { body: { kind: "samples", company_id: acme.id, key: 42 } }, // poison: a key that is not a string
    { body: samplesMessage(acme.id, "k:1", [{ machine_id: machine, metric: "rpm", value: 1200, ts }]) },
    {
      body: samplesMessage(acme.id, "k:2", [{ machine_id: machine, metric: "rpm", value: 1300, ts: ts + 1 }]),
    },
  ]);
  const rows = await until(
    () => rollups(acme.db, "minute"),
    (r) => totalCount(r) === 2,
    "the good samples",
  );
  expect(rows[0]).toMatchObject({ count: 2, min: 1200, max: 1300, last: 1300 });

  const dead = await until(
    () => env.CENTRAL_DB.prepare("SELECT queue, company_id, body, attempts FROM dead_letters").all(),
    (result) => result.results.length > 0,
    "the dead letter",
  );
  expect(dead.results).toHaveLength(1);
  expect(dead.results[0]).toMatchObject({ queue: "nexus-telemetry-dlq", company_id: acme.id });
  expect(JSON.parse(String(dead.results[0]?.body))).toMatchObject({ key: 42 });
  // Nothing was counted twice while the poison message was being retried.
  expect(totalCount(await rollups(acme.db, "day"))).toBe(2);
});
