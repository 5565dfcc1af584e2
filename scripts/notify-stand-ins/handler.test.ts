import { describe, expect, it } from "vitest";
import { handleNotifyStandIn, TWILIO_STAND_IN_ACCOUNT_SID } from "./handler.ts";

const origin = "http://stand-in.local";
const resend = (body: unknown, headers: Record<string, string> = { authorization: "Bearer re_test" }) =>
  handleNotifyStandIn(
    new Request(`${origin}/resend/emails`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
const mail = (to: string) => ({ from: "a@example.com", to: [to], subject: "s", html: "<p>h</p>" });

describe("Resend stand-in", () => {
  it("wants a bearer key and the required fields, as Resend does", async () => {
    expect((await resend(mail("x@example.com"), {})).status).toBe(401);
    const invalid = await resend({ from: "a@example.com", to: ["x@example.com"] });
    expect(invalid.status).toBe(422);
    expect(await invalid.json()).toMatchObject({ name: "validation_error" });
  });

  it("answers the same id for a repeated Idempotency-Key", async () => {
    const headers = { authorization: "Bearer re_test", "idempotency-key": `k-${Math.random()}` };
    const first = (await (await resend(mail("same@example.com"), headers)).json()) as { id: string };
    const second = (await (await resend(mail("same@example.com"), headers)).json()) as { id: string };
    expect(second.id).toBe(first.id);
  });

  it("fail-twice fails the first two sends of a message, then accepts it", async () => {
    const headers = { authorization: "Bearer re_test", "idempotency-key": `k-${Math.random()}` };
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await resend(mail("fail-twice@example.com"), headers)).status);
    expect(statuses).toEqual([500, 500, 200]);
  });
});

describe("Twilio stand-in", () => {
  const path = `/twilio/2010-04-01/Accounts/${TWILIO_STAND_IN_ACCOUNT_SID}/Messages.json`;
  const send = (auth: string | null) =>
    handleNotifyStandIn(
      new Request(`${origin}${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...(auth ? { authorization: `Basic ${btoa(auth)}` } : {}),
        },
        body: new URLSearchParams({ To: "+15551230009", From: "+15005550006", Body: "hi" }).toString(),
      }),
    );

  it("wants basic auth with the account SID of the path", async () => {
    expect((await send(null)).status).toBe(401);
    expect((await send("ACother:token")).status).toBe(401);
    const accepted = await send(`${TWILIO_STAND_IN_ACCOUNT_SID}:token`);
    expect(accepted.status).toBe(201);
    expect(await accepted.json()).toMatchObject({ status: "queued", to: "+15551230009" });
  });
});
