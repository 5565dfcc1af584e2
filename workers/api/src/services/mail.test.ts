import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mailerFor, RESEND_API_URL, resendMailer } from "./mail.ts";

describe("the Resend mailer", () => {
  it("posts Resend's /emails JSON with the bearer key", async () => {
    const sent: Request[] = [];
    const fakeResend = (async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(new Request(input, init));
      return Response.json({ id: "49a3999c-0ce1-4ea6-ab68-afcd6dc2e794" });
    }) as typeof fetch;
    await resendMailer("re_test_key", "Nexus <no-reply@example.com>", fakeResend).send({
      to: "ada@example.com",
      subject: "Hello",
      text: "Body",
    });
    const [request] = sent;
    expect(request?.url).toBe(RESEND_API_URL);
    expect(request?.method).toBe("POST");
    expect(request?.headers.get("authorization")).toBe("Bearer re_test_key");
    expect(await request?.json()).toEqual({
      from: "Nexus <no-reply@example.com>",
      to: ["ada@example.com"],
      subject: "Hello",
      text: "Body",
    });
  });

  it("turns Resend's error answers into errors that name the problem but not the key", async () => {
    const refusing = (async () =>
      Response.json(
        { statusCode: 422, name: "validation_error", message: "Invalid `from` field." },
        { status: 422 },
      )) as unknown as typeof fetch;
    const failure = resendMailer("re_secret_key", "bad", refusing).send({
      to: "a@b.c",
      subject: "s",
      text: "t",
    });
    await expect(failure).rejects.toThrow("HTTP 422 validation_error Invalid `from` field.");
    await expect(failure).rejects.not.toThrow("re_secret_key");
  });

  it("needs the API key when MAIL_MODE=resend", () => {
    expect(() => mailerFor({ ...env, MAIL_MODE: "resend" } as Env, {} as never)).toThrow("RESEND_API_KEY");
  });
});
