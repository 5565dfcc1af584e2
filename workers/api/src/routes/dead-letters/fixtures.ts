// What the dead-letters tests share: letters kept by the real dead-letter consumer (workers/consumers)
// from a few sample messages, and the operator's list and replay calls.
import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { DeadLetter } from "@nexus/contracts";
import telemetryWorker from "../../../../consumers/src/index.ts";
import { adminToken, callAsOperator, callWithEnv, json } from "../../../test/helpers.ts";

/** Hands messages to the real dead-letter consumer, as the queue does after the last retry. */
export async function deadLetter(queue: string, bodies: unknown[]) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body) => ({ id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 6, body })),
  );
  await telemetryWorker.queue(batch, env as never);
}

export interface LetterList {
  dead_letters: DeadLetter[];
  next_cursor: string | null;
}

export const list = async (query = "") =>
  json<LetterList>(await callAsOperator(`/api/admin/dead-letters${query}`)).then((body) => body);

export const samples = (companyId: string, key: string) => ({
  kind: "samples",
  company_id: companyId,
  key,
  installation_id: null,
  samples: [],
  usage: [],
});

export async function seed() {
  await deadLetter("nexus-telemetry-dlq", [samples("company-a", "k:1"), samples("company-b", "k:2")]);
  await deadLetter("nexus-events-dlq", [
    { kind: "delivery", delivery_id: "del-1", company_id: "company-a" },
    { kind: "inbound", provider: "docusign", event_id: "msg_dead" },
  ]);
  return (await list()).dead_letters;
}

export const replayVia = (queues: Partial<Env>, path: string, body?: unknown) =>
  callWithEnv(queues, path, { method: "POST", token: adminToken(), ...(body ? { body } : {}) });
