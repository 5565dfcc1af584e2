// The shared crypto helpers against the reference implementations: what we sign, the
// `standardwebhooks` library verifies, and the other way round; and the webhook URL policy.
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { endpointUrlProblem } from "./endpoint-url.ts";
import { newWebhookSecret, signStandardWebhook, verifyStandardWebhook } from "./standard-webhooks.ts";

describe("Standard Webhooks", () => {
  const body = JSON.stringify({ type: "company.settings_changed", data: { a: 1 } });

  it("signs so the reference library verifies, and verifies what the library signs", async () => {
    const secret = newWebhookSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = await signStandardWebhook([secret], { id: "msg_1", timestamp, body });
    const headers = {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signature,
    };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));

    const theirs = new Webhook(secret).sign("msg_2", new Date(timestamp * 1000), body);
    const verdict = await verifyStandardWebhook(
      [secret],
      { id: "msg_2", timestamp: String(timestamp), signature: theirs },
      body,
    );
    expect(verdict).toEqual({ ok: true });
  });

  it("refuses another secret, a changed id or body, and a timestamp more than 5 minutes off", async () => {
    const secret = newWebhookSecret();
    const now = Math.floor(Date.now() / 1000);
    const signature = await signStandardWebhook([secret], { id: "msg_1", timestamp: now, body });
    const check = (secrets: string[], id: string, at: number, text: string, clock = now) =>
      verifyStandardWebhook(secrets, { id, timestamp: String(at), signature }, text, clock);
    expect((await check([newWebhookSecret()], "msg_1", now, body)).ok).toBe(false);
    expect((await check([secret], "msg_9", now, body)).ok).toBe(false);
    expect((await check([secret], "msg_1", now, `${body} `)).ok).toBe(false);
    expect((await check([secret], "msg_1", now, body, now + 301)).ok).toBe(false);
    expect((await check([secret], "msg_1", now, body, now - 301)).ok).toBe(false);
    // Any configured secret may match (rotation on the sender's side).
    expect((await check([newWebhookSecret(), secret], "msg_1", now, body)).ok).toBe(true);
  });
});

describe("webhook URL policy", () => {
  it.each([
    "https://hooks.example.com/nexus",
    "https://hooks.example.com:8443/x?y=1",
    "https://93.184.216.34/x",
    "https://[2606:4700::1111]/x",
  ])("allows the public URL %s", (url) => {
    expect(endpointUrlProblem(url, "public")).toBeNull();
  });

  it.each([
    "http://hooks.example.com/",
    "ftp://hooks.example.com/",
    "https://localhost/",
    "https://api.localhost/",
    "https://intranet/",
    "https://db.internal/",
    "https://printer.local/",
    "https://127.0.0.1/",
    "https://127.1/",
    "https://0x7f000001/",
    "https://0177.0.0.1/",
    "https://0.0.0.0/",
    "https://10.0.0.8/",
    "https://172.20.1.1/",
    "https://192.168.1.1/",
    "https://100.64.0.1/",
    "https://169.254.169.254/",
    "https://224.0.0.1/",
    "https://[::1]/",
    "https://[::]/",
    "https://[fd00::1]/",
    "https://[fe80::1]/",
    "https://[::ffff:10.0.0.1]/",
    "https://[64:ff9b::a00:1]/",
    "https://user:secret@hooks.example.com/",
    "hooks.example.com/no-scheme",
  ])("refuses %s", (url) => {
    expect(endpointUrlProblem(url, "public")).not.toBeNull();
  });

  it("allows http and local hosts only under the local policy", () => {
    expect(endpointUrlProblem("http://127.0.0.1:9000/hooks", "local")).toBeNull();
    expect(endpointUrlProblem("file:///etc/passwd", "local")).not.toBeNull();
  });
});
