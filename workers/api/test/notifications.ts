// Notification delivery in tests: message rows inserted directly (as the trigger would store them),
// the consumer run through the worker's real queue() handler, and the provider stand-ins
// (scripts/notify-stand-ins) reached over the outbound service.
import { env } from "cloudflare:workers";
import { notificationAttempts, notificationMessages } from "@nexus/db/tenant";
import { asc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import {
  NOTIFY_STAND_IN_TEST_ORIGIN,
  RESEND_STAND_IN_API_KEY,
} from "../../../scripts/notify-stand-ins/handler.ts";
import type { StandInWebhook } from "../../../scripts/notify-stand-ins/webhooks.ts";
import worker from "../src/index.ts";
import { tenantDatabase } from "../src/services/tenant-db.ts";
import { call, registerCompany } from "./helpers.ts";

export async function notificationCompany(): Promise<{ companyId: string; db: D1Database }> {
  const company = await registerCompany();
  return { companyId: company.company_id, db: await tenantDatabase(env, company.company_id) };
}

let counter = 0;

/** A queued message row, as the trigger stores it after rendering. */
export async function insertMessage(
  db: D1Database,
  values: Partial<typeof notificationMessages.$inferInsert> & { channel: string },
): Promise<string> {
  counter += 1;
  const id = values.id ?? `msg_test_${Date.now().toString(36)}_${counter}`;
  await drizzle(db)
    .insert(notificationMessages)
    .values({
      workflowKey: "project.assigned",
      category: "projects",
      recipientKey: "email:someone@example.com",
      subject: "You were assigned",
      body: "<p>Project <b>Roof 12</b> is yours.</p>",
      payload: { project_id: "p1" },
      ...values,
      id,
    });
  return id;
}

export async function messageRow(db: D1Database, id: string) {
  const [row] = await drizzle(db).select().from(notificationMessages).where(eq(notificationMessages.id, id));
  if (!row) throw new Error(`no message ${id}`);
  return row;
}

export function attemptRows(db: D1Database, id: string) {
  return drizzle(db)
    .select()
    .from(notificationAttempts)
    .where(eq(notificationAttempts.messageId, id))
    .orderBy(asc(notificationAttempts.attempt), asc(notificationAttempts.createdAt));
}

export interface DeliveryRun {
  /** The delay the consumer asked for on each retry, in order. */
  delays: number[];
  /** Queue deliveries it took until the message was acked. */
  deliveries: number;
}

/** Email through the Resend stand-in alone unless a test names its chain. */
const RESEND_STAND_IN = { RESEND_API_KEY: RESEND_STAND_IN_API_KEY, NOTIFY_EMAIL_PROVIDERS: "resend" };

/** One queue message whose ack or retry (with its delay) the test can read afterwards. */
function recordedMessage(body: unknown, attempts: number) {
  const verdict: { acked: boolean; retried: boolean; delaySeconds: number | undefined } = {
    acked: false,
    retried: false,
    delaySeconds: undefined,
  };
  const message: Message = {
    id: `q-${attempts}`,
    timestamp: new Date(),
    body,
    attempts,
    ack: () => {
      verdict.acked = true;
    },
    retry: (options) => {
      verdict.retried = true;
      verdict.delaySeconds = options?.delaySeconds;
    },
  };
  return { message, verdict };
}

/**
 * Runs a deliver message through the worker's queue() handler as the queue would: each retry comes
 * back as the next delivery (attempts + 1), until it is acked or `maxDeliveries` is reached. (The
 * plugin's createMessageBatch does not report a retry's delay, so the batch here records it.)
 */
export async function runDelivery(
  companyId: string,
  messageId: string,
  /** Vars to change for this run (e.g. NOTIFY_EMAIL_PROVIDERS), as wrangler would pass them. */
  overrides: Record<string, string> = {},
  maxDeliveries = 10,
  firstDelivery = 1,
): Promise<DeliveryRun> {
  const delays: number[] = [];
  for (let attempts = firstDelivery; attempts < firstDelivery + maxDeliveries; attempts += 1) {
    const { message, verdict } = recordedMessage(
      { kind: "deliver", company_id: companyId, message_id: messageId },
      attempts,
    );
    const batch: MessageBatch = {
      queue: "nexus-notifications",
      messages: [message],
      metadata: { metrics: { backlogCount: 1, backlogBytes: 0 } },
      ackAll: () => message.ack(),
      retryAll: (options) => message.retry(options),
    };
    await worker.queue(batch, { ...env, ...RESEND_STAND_IN, ...overrides } as Env);
    if (!verdict.retried) return { delays, deliveries: attempts - firstDelivery + 1 };
    delays.push(verdict.delaySeconds ?? 0);
  }
  return { delays, deliveries: maxDeliveries };
}

/** A request to the stand-ins (through the outbound service, as the worker's own fetches go). */
export async function standIn<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(`${NOTIFY_STAND_IN_TEST_ORIGIN}${path}`, init);
  if (!response.ok) throw new Error(`stand-in ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

export async function standInWebhooks(
  provider: string,
  providerMessageId: string,
): Promise<StandInWebhook[]> {
  const query = new URLSearchParams({ provider, message_id: providerMessageId });
  return (await standIn<{ webhooks: StandInWebhook[] }>(`/_stand-in/webhooks?${query}`)).webhooks;
}

/** Posts a kept webhook to the worker as the provider would (same path, headers and body). */
export function forward(hook: StandInWebhook, tamper?: (body: string) => string): Promise<Response> {
  return call(new URL(hook.url, "http://nexus.test").pathname, {
    method: "POST",
    headers: hook.headers,
    body: tamper ? tamper(hook.body) : hook.body,
  });
}

export const uniqueAddress = (prefix: string) =>
  `${prefix}+${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}@example.com`;
