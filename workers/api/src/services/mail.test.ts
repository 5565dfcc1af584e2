import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { dashboardOrigin } from "../env.ts";
import { authMail, type MailMessage, mailerFor, RESEND_API_URL, resendMailer } from "./mail.ts";

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
    expect(() =>
      mailerFor({ ...env, MAIL_MODE: "resend", RESEND_API_KEY: undefined } as Env, {} as never),
    ).toThrow("RESEND_API_KEY");
  });
});

describe("links in mail", () => {
  it("take the dashboard's origin from the first DASHBOARD_ORIGINS entry that names one site", () => {
    const origin = (...origins: string[]) => dashboardOrigin({ DASHBOARD_ORIGINS: origins });
    expect(origin("https://dash.example.com/", "http://localhost:8788")).toBe("https://dash.example.com");
    expect(origin("http://127.0.0.1:8788")).toBe("http://127.0.0.1:8788");
    expect(origin()).toBeUndefined();
    // better-auth origin patterns and other schemes name no page to link to.
    expect(origin("https://*.example.com")).toBeUndefined();
    expect(origin("not a url")).toBeUndefined();
    expect(origin("javascript:alert(1)")).toBeUndefined();
  });

  it("give the deployment's mailer the dashboard origin", () => {
    const db = {} as never;
    expect(
      mailerFor({ ...env, DASHBOARD_ORIGINS: "https://dash.example.com, https://b.example" }, db),
    ).toMatchObject({
      dashboardOrigin: "https://dash.example.com",
    });
    expect(mailerFor({ ...env, DASHBOARD_ORIGINS: "" }, db).dashboardOrigin).toBeUndefined();
  });

  const invitation = {
    companyName: "Acme",
    role: "member",
    invitationId: "inv_123",
    inviter: "boss@acme.example",
  };
  const capture = (origin?: string) => {
    const sent: MailMessage[] = [];
    const mail = authMail({ send: async (message) => void sent.push(message), dashboardOrigin: origin });
    return { sent, mail };
  };

  it("link an invitation to its dashboard page, keeping its id for API clients", async () => {
    const { sent, mail } = capture("https://dash.example.com");
    await mail.invitation("new@acme.example", invitation);
    expect(sent[0]?.text).toContain("boss@acme.example invited you to join Acme as member.");
    expect(sent[0]?.text).toContain("\nhttps://dash.example.com/invitations/inv_123\n");
    expect(sent[0]?.text).toContain("Invitation id: inv_123");
  });

  it("explain an invitation in words when there is no dashboard origin", async () => {
    const { sent, mail } = capture();
    await mail.invitation("new@acme.example", invitation);
    expect(sent[0]?.text).not.toContain("http");
    expect(sent[0]?.text).toContain("Invitation id: inv_123\nSign up or sign in with this email address");
  });
});
