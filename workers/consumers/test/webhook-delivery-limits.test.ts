// What one company's endpoint can do to a batch of deliveries, and where deliveries may not go:
// huge, endless, trickling and silent replies are cut off by the size and time limits without holding
// up the others; host names are resolved (DNS over HTTPS, answered by the receiver in Cloudflare's
// JSON format) and a name leading to a private address is refused. Through the real queue handler.
import { env } from "cloudflare:workers";
import { WEBHOOK_DELIVERY } from "@nexus/contracts";
import { newId } from "@nexus/db";
import { encryptForCompany, newWebhookSecret } from "@nexus/security";
import { describe, expect, it } from "vitest";
import { BODY_PATTERN, type ReceivedRequest } from "./receiver.ts";
import { deliver } from "./tenants.ts";

let companies = 0;
async function company(): Promise<string> {
  companies += 1;
  const id = `limits-company-${companies}`;
  await env.CENTRAL_DB.prepare(
    "INSERT INTO companies (id, company_code, company_name, admin_email, updated_at) VALUES (?, ?, ?, ?, ?)",
  )
    .bind(id, `L${companies}M`, `Limits Company ${companies}`, "admin@example.com", Date.now())
    .run();
  return id;
}

/** An endpoint at `url` with one pending delivery; returns the queue message that attempts it. */
async function pendingDelivery(companyId: string, url: string) {
  const endpointId = newId();
  const secret = newWebhookSecret();
  const deliveryId = newId();
  await env.CENTRAL_DB.batch([
    env.CENTRAL_DB.prepare(
      `INSERT INTO webhook_endpoints (id, company_id, url, event_types, secret_prefix, encrypted_secret, updated_at)
       VALUES (?, ?, ?, '["company.settings_changed"]', ?, ?, ?)`,
    ).bind(
      endpointId,
      companyId,
      url,
      secret.slice(0, 12),
      await encryptForCompany(env.ENCRYPTION_KEYS, companyId, secret),
      Date.now(),
    ),
    env.CENTRAL_DB.prepare(
      "INSERT INTO webhook_deliveries (id, company_id, endpoint_id, event_id, event_type, payload) VALUES (?, ?, ?, ?, 'company.settings_changed', '{}')",
    ).bind(deliveryId, companyId, endpointId, deliveryId),
  ]);
  return { kind: "delivery" as const, delivery_id: deliveryId, company_id: companyId };
}

const delivery = (id: string) =>
  env.CENTRAL_DB.prepare(
    `SELECT d.status, d.attempts, d.last_status_code, d.last_error, d.next_attempt_at, a.attempted_at, a.response_body
     FROM webhook_deliveries d LEFT JOIN webhook_attempts a ON a.delivery_id = d.id AND a.attempt = d.attempts
     WHERE d.id = ?`,
  )
    .bind(id)
    .first<{
      status: string;
      attempts: number;
      last_status_code: number | null;
      last_error: string | null;
      next_attempt_at: number | null;
      attempted_at: number | null;
      response_body: string | null;
    }>();

const receiver = async <T>(path: string) =>
  (await (await fetch(`https://receiver.test/${path}`)).json()) as T;
const inbox = (name: string) => receiver<ReceivedRequest[]>(`inbox/${name}`);

/** Runs one batch of the `nexus-events` consumer and times it. */
async function batch(messages: { delivery_id: string }[], vars: Record<string, string> = {}) {
  const started = Date.now();
  const { ids, result } = await deliver(messages, "nexus-events", 1, undefined, vars);
  return { ids, result, elapsedMs: Date.now() - started };
}

const firstKiB = BODY_PATTERN.repeat(WEBHOOK_DELIVERY.maxLoggedResponseBytes / BODY_PATTERN.length);

describe("replies are read within limits", () => {
  it("keeps only the first 1 KiB of a huge or endless reply, at once, and the batch's other deliveries go through", async () => {
    const companyA = await company();
    const companyB = await company();
    const box = newId();
    const huge = await pendingDelivery(companyA, `https://hooks.example.com/huge/${box}-huge`);
    const endless = await pendingDelivery(companyA, `https://hooks.example.com/endless/${box}-endless`);
    const other = await pendingDelivery(companyB, `https://hooks.example.com/ok/${box}-ok`);
    // A time limit far above what reading 1 KiB takes: reading the whole reply would run into it.
    const { result, elapsedMs } = await batch([huge, endless, other], { WEBHOOK_TIMEOUT_SECONDS: "8" });

    expect(elapsedMs).toBeLessThan(4_000);
    expect(result.explicitAcks).toHaveLength(3);
    for (const id of [huge.delivery_id, endless.delivery_id]) {
      expect(await delivery(id)).toMatchObject({
        status: "succeeded",
        last_status_code: 200,
        response_body: firstKiB,
      });
    }
    expect(await delivery(other.delivery_id)).toMatchObject({ status: "succeeded", response_body: "thanks" });
    expect(await inbox(`${box}-ok`)).toHaveLength(1);
  });

  it("stops reading a trickling reply at the time limit and keeps what arrived", async () => {
    const box = newId();
    const trickle = await pendingDelivery(await company(), `https://hooks.example.com/trickle/${box}`);
    const { result, elapsedMs } = await batch([trickle], { WEBHOOK_TIMEOUT_SECONDS: "1" });
    expect(elapsedMs).toBeLessThan(4_000);
    expect(result.explicitAcks).toHaveLength(1);
    // The status decided the attempt; the body is only logged, as far as it came.
    const row = await delivery(trickle.delivery_id);
    expect(row).toMatchObject({ status: "succeeded", last_status_code: 200 });
    expect(firstKiB.startsWith(row?.response_body ?? "-")).toBe(true);
  });

  it("records an endpoint that never answers as a timed-out attempt, retried per the backoff, without delaying the others", async () => {
    const box = newId();
    const silent = await pendingDelivery(await company(), `https://hooks.example.com/hang/${box}`);
    const other = await pendingDelivery(await company(), `https://hooks.example.com/ok/${box}-ok`);
    const { ids, result, elapsedMs } = await batch([silent, other], {
      WEBHOOK_TIMEOUT_SECONDS: "1",
      WEBHOOK_RETRY_BASE_SECONDS: "10",
    });
    expect(elapsedMs).toBeLessThan(4_000);
    expect(result.explicitAcks).toEqual([ids[1]]);
    expect(result.retryMessages.map((message) => message.msgId)).toEqual([ids[0]]);
    const row = await delivery(silent.delivery_id);
    expect(row).toMatchObject({
      status: "pending",
      attempts: 1,
      last_status_code: null,
      last_error: "no answer within 1 s",
    });
    // Retried after the first backoff step: 10 s ±20% from the attempt.
    const retryInMs = (row?.next_attempt_at ?? 0) - (row?.attempted_at ?? 0);
    expect(retryInMs).toBeGreaterThanOrEqual(8_000);
    expect(retryInMs).toBeLessThanOrEqual(12_000);
    expect(await delivery(other.delivery_id)).toMatchObject({ status: "succeeded" });
  });
});

describe("the host's DNS answers", () => {
  it("refuses for good a name that resolves to a private, link-local or unique-local address, without sending", async () => {
    const companyId = await company();
    const box = newId();
    const cases = [
      { host: "private.example.net", address: "10.1.2.3" },
      { host: "dual.example.net", address: "fd00:ec2::254" }, // a public A beside a private AAAA
      { host: "alias.example.net", address: "169.254.169.254" }, // through a CNAME
    ];
    const messages = [];
    for (const { host } of cases) {
      messages.push(await pendingDelivery(companyId, `https://${host}/ok/${box}`));
    }
    const { result } = await batch(messages);
    expect(result.explicitAcks).toHaveLength(3); // not retried
    expect(result.retryMessages).toEqual([]);
    for (const [i, { host, address }] of cases.entries()) {
      expect(await delivery(messages[i]?.delivery_id ?? "")).toMatchObject({
        status: "failed",
        attempts: 1,
        last_status_code: null,
        last_error: `${host} resolves to ${address}, a private, loopback or reserved address`,
      });
    }
    expect(await inbox(box)).toEqual([]);
  });

  it("retries per the backoff when the name cannot be resolved", async () => {
    const companyId = await company();
    const box = newId();
    const servfail = await pendingDelivery(companyId, `https://broken-dns.example.net/ok/${box}`);
    const missing = await pendingDelivery(companyId, `https://no-such-host.example.net/ok/${box}`);
    const { result } = await batch([servfail, missing]);
    expect(result.retryMessages).toHaveLength(2);
    expect(await delivery(servfail.delivery_id)).toMatchObject({
      status: "pending",
      last_error: "could not resolve broken-dns.example.net: DNS lookup failed (SERVFAIL)",
    });
    expect(await delivery(missing.delivery_id)).toMatchObject({
      status: "pending",
      last_error: "could not resolve no-such-host.example.net: no A or AAAA record",
    });
    expect(await inbox(box)).toEqual([]);
  });

  it("asks once per host and batch, and again in the next batch", async () => {
    const companyId = await company();
    const box = newId();
    const queries = () => receiver<number>("dns-queries/cached.example.net");
    const before = await queries();
    const first = await pendingDelivery(companyId, `https://cached.example.net/ok/${box}`);
    const second = await pendingDelivery(companyId, `https://cached.example.net/ok/${box}`);
    await batch([first, second]);
    expect((await queries()) - before).toBe(2); // one A and one AAAA query for both deliveries
    expect(await inbox(box)).toHaveLength(2);
    await batch([await pendingDelivery(companyId, `https://cached.example.net/ok/${box}`)]);
    expect((await queries()) - before).toBe(4);
  });

  it("needs no lookup for an IP address, nor under the local policy", async () => {
    const companyId = await company();
    const box = newId();
    const literal = await pendingDelivery(companyId, `https://93.184.215.14/ok/${box}`);
    const local = await pendingDelivery(companyId, `https://private.example.net/ok/${box}-local`);
    const before = await receiver<number>("dns-queries/private.example.net");
    await batch([literal]);
    await batch([local], { WEBHOOK_URL_POLICY: "local" });
    expect(await inbox(box)).toHaveLength(1);
    expect(await inbox(`${box}-local`)).toHaveLength(1);
    expect(await receiver<number>("dns-queries/93.184.215.14")).toBe(0);
    expect(await receiver<number>("dns-queries/private.example.net")).toBe(before);
  });
});
