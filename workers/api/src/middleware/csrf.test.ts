// Cross-site request forgery with a dashboard user's session cookie (middleware/csrf.ts): writes and
// live sockets from another origin are refused and change nothing; the API's own origin and the
// dashboard's work; bearer credentials and cookie-less requests are untouched. better-auth's own
// endpoints check origins themselves, which the last tests confirm.
import { exports } from "cloudflare:workers";
import type { Company } from "@nexus/contracts";
import { describe, expect, it } from "vitest";
import {
  adminToken,
  BASE_URL,
  type CallOptions,
  call,
  callAsOperator,
  callWithEnv,
  expectError,
  ipFor,
  json,
  registerCompany,
  validatedMachine,
} from "../../test/helpers.ts";
import { authCall, companyOwner, cookieOf, PASSWORD, signUp } from "../../test/users.ts";

const DASHBOARD = "https://dashboard.nexus.example";
const ATTACKER = "https://attacker.example";
const withDashboard: Partial<Env> = { DASHBOARD_ORIGINS: `${DASHBOARD}, https://*.branch.nexus.example` };

let ownerCounter = 0;

/** A company and its owner's session cookie. */
async function ownedCompany(): Promise<{ companyId: string; cookie: string }> {
  ownerCounter += 1;
  const email = `owner${ownerCounter}@csrf.example`;
  const company = await registerCompany({ admin_email: email });
  return { companyId: company.company_id, cookie: await companyOwner(company.company_id, email) };
}

const settingsPath = (companyId: string) => `/api/admin/companies/${companyId}/settings`;

/** The settings write a forged form would attempt, with the headers a browser would send. */
const putSettings = (
  companyId: string,
  headers: Record<string, string>,
  body: unknown = { settings: { x: 1 } },
) => callWithEnv(withDashboard, settingsPath(companyId), { method: "PUT", headers, body });

/** Exactly these headers (the test helpers add the API's Origin to cookie calls, as a browser would). */
const withoutOrigin = (path: string, headers: Record<string, string>, init: RequestInit = {}) =>
  exports.default.fetch(new Request(`${BASE_URL}${path}`, { ...init, headers }));

async function settingsVersion(companyId: string): Promise<number> {
  const read = await callAsOperator(`/api/admin/companies/${companyId}`);
  return (await json<{ company: Company }>(read)).company.settings_version;
}

describe("cookie-authenticated writes", () => {
  it("refuses a foreign Origin with the session cookie, and nothing changes", async () => {
    const { companyId, cookie } = await ownedCompany();
    for (const origin of [
      ATTACKER,
      "null",
      "https://dashboard.nexus.example.attacker.example",
      "http://dashboard.nexus.example",
      "https://dashboard.nexus.example:8443",
    ]) {
      const error = await expectError(await putSettings(companyId, { cookie, origin }), 403, "FORBIDDEN");
      expect(error.message).toContain("session cookie");
      expect(error.details).toEqual({ origin });
    }
    // Other methods and routes too: a PATCH of the company, an invitation, a key.
    const forged: [string, CallOptions][] = [
      [`/api/admin/companies/${companyId}`, { method: "PATCH", body: { company_name: "Pwned" } }],
      [`/api/admin/companies/${companyId}/invitations`, { body: { email: "mole@attacker.example" } }],
      [`/api/admin/companies/${companyId}/api-keys`, { body: { name: "exfil", permissions: {} } }],
    ];
    for (const [path, options] of forged) {
      const response = await callWithEnv(withDashboard, path, {
        ...options,
        headers: { cookie, origin: ATTACKER },
      });
      await expectError(response, 403, "FORBIDDEN");
    }
    expect(await settingsVersion(companyId)).toBe(1);
    const company = await json<{ company: Company }>(
      await callAsOperator(`/api/admin/companies/${companyId}`),
    );
    expect(company.company.company_name).not.toBe("Pwned");
    const invitations = await json<{ invitations: unknown[] }>(
      await callAsOperator(`/api/admin/companies/${companyId}/invitations`),
    );
    expect(invitations.invitations).toHaveLength(1); // the owner's own, from registration
  });

  it("takes the same write from the dashboard's origin, a matching pattern and the API's own origin", async () => {
    const { companyId, cookie } = await ownedCompany();
    for (const origin of [DASHBOARD, "https://pr-42.branch.nexus.example", BASE_URL]) {
      const response = await putSettings(companyId, { cookie, origin });
      expect(response.status, await response.clone().text()).toBe(200);
    }
    expect(await settingsVersion(companyId)).toBe(4);
  });

  it("without an Origin, takes only what the browser marks same-origin", async () => {
    const { companyId, cookie } = await ownedCompany();
    const put = (headers: Record<string, string>) =>
      withoutOrigin(settingsPath(companyId), headers, {
        method: "PUT",
        body: JSON.stringify({ settings: { x: 1 } }),
      });
    const jsonType = { "content-type": "application/json" };
    const missing = await expectError(await put({ ...jsonType, cookie }), 403, "FORBIDDEN");
    expect(missing.message).toContain("no Origin header");
    for (const site of ["cross-site", "same-site", "none"]) {
      await expectError(await put({ ...jsonType, cookie, "sec-fetch-site": site }), 403, "FORBIDDEN");
    }
    expect(await settingsVersion(companyId)).toBe(1);
    const sameOrigin = await put({ ...jsonType, cookie, "sec-fetch-site": "same-origin" });
    expect(sameOrigin.status, await sameOrigin.clone().text()).toBe(200);
    // A same-origin page with a no-referrer policy sends `Origin: null`; Fetch Metadata vouches for it.
    const nullSameOrigin = await put({
      ...jsonType,
      cookie,
      origin: "null",
      "sec-fetch-site": "same-origin",
    });
    expect(nullSameOrigin.status, await nullSameOrigin.clone().text()).toBe(200);
    await expectError(
      await put({ ...jsonType, cookie, origin: "null", "sec-fetch-site": "cross-site" }),
      403,
      "FORBIDDEN",
    );
    // A named Origin decides over Fetch Metadata: a foreign page cannot claim same-origin.
    await expectError(
      await putSettings(companyId, { cookie, origin: ATTACKER, "sec-fetch-site": "same-origin" }),
      403,
      "FORBIDDEN",
    );
  });

  it("refuses a text/plain body (a CSRF simple request) even from a trusted origin", async () => {
    const { companyId, cookie } = await ownedCompany();
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "TEXT/PLAIN; charset=utf-8"]) {
      const response = await putSettings(
        companyId,
        { cookie, origin: DASHBOARD, "content-type": type },
        JSON.stringify({ settings: { x: 1 } }),
      );
      const error = await expectError(response, 415, "UNSUPPORTED_MEDIA_TYPE");
      expect(error.message).toContain("application/json");
    }
    expect(await settingsVersion(companyId)).toBe(1);
  });

  it("leaves bearer credentials and cookie-less requests alone, whatever the Origin and type", async () => {
    const { companyId, cookie } = await ownedCompany();
    // The operator secret, next to a session cookie and from another origin, as text/plain.
    const asOperator = await callWithEnv(withDashboard, settingsPath(companyId), {
      method: "PUT",
      token: adminToken(),
      headers: { cookie, origin: ATTACKER, "content-type": "text/plain" },
      body: JSON.stringify({ settings: { by: "operator" } }),
    });
    expect(asOperator.status, await asOperator.clone().text()).toBe(200);
    // The desktop app: text/plain JSON, no Origin it could vouch for, other cookies (e.g. Cloudflare's).
    const company = await json<{ company: Company }>(
      await callAsOperator(`/api/admin/companies/${companyId}`),
    );
    const validated = await call("/api/company/validate", {
      headers: {
        "content-type": "text/plain;charset=UTF-8",
        origin: "null",
        cookie: "__cf_bm=abc",
        "cf-connecting-ip": ipFor("csrf-machine"),
      },
      body: JSON.stringify({
        company_code: company.company.company_code,
        machine_id: "csrf-machine",
        hostname: "host-csrf",
        app_version: "1.0.0",
      }),
    });
    expect(validated.status, await validated.clone().text()).toBe(200);
    // An installation token from a foreign origin (the token is the credential, not a cookie).
    const { installation } = await json<{ installation: { token: string } }>(validated);
    const beat = await call("/api/company/heartbeat", {
      token: installation.token,
      headers: { origin: ATTACKER, cookie, "cf-connecting-ip": ipFor("csrf-machine") },
      body: { company_code: company.company.company_code, machine_id: "csrf-machine", app_version: "1.0.0" },
    });
    expect(beat.status, await beat.clone().text()).toBeLessThan(400);
  });
});

describe("live sockets with a session cookie", () => {
  const upgrade = (
    companyId: string,
    headers: Record<string, string>,
    overrides: Partial<Env> = withDashboard,
  ) =>
    callWithEnv(overrides, `/api/live?company_id=${companyId}`, {
      headers: { upgrade: "websocket", ...headers },
    });

  it("refuses an upgrade from a foreign origin and opens one from the dashboard's", async () => {
    const { companyId, cookie } = await ownedCompany();
    for (const origin of [ATTACKER, "null"]) {
      const error = await expectError(await upgrade(companyId, { cookie, origin }), 403, "FORBIDDEN");
      expect(error.message).toContain(origin);
    }
    await expectError(
      await withoutOrigin(`/api/live?company_id=${companyId}`, { upgrade: "websocket", cookie }),
      403,
      "FORBIDDEN",
    );
    for (const origin of [DASHBOARD, BASE_URL]) {
      const opened = await upgrade(companyId, { cookie, origin });
      expect(opened.status, origin).toBe(101);
      opened.webSocket?.accept();
      opened.webSocket?.close();
    }
  });

  it("leaves installations' sockets alone (a token is the credential)", async () => {
    const company = await registerCompany();
    const joined = await validatedMachine(company.company_code, "csrf-live-machine");
    const opened = await exports.default.fetch(
      new Request(`${BASE_URL}/api/live?token=${joined.installation.token}`, {
        headers: { upgrade: "websocket", origin: ATTACKER },
      }),
    );
    expect(opened.status).toBe(101);
    opened.webSocket?.accept();
    opened.webSocket?.close();
  });
});

describe("better-auth's endpoints (/api/auth/*) check origins themselves", () => {
  const fromOrigin = (path: string, origin: string, body: unknown, extra: Record<string, string> = {}) =>
    callWithEnv(withDashboard, `/api/auth${path}`, { body, headers: { origin, ...extra } });

  it("refuses a cookie-carrying POST from a foreign origin and keeps the session", async () => {
    const cookie = await signUp("victim@csrf.example", "Victim");
    const renamed = await fromOrigin("/update-user", ATTACKER, { name: "Pwned" }, { cookie });
    expect(renamed.status).toBe(403);
    const signedOut = await fromOrigin("/sign-out", ATTACKER, {}, { cookie });
    expect(signedOut.status).toBe(403);
    const session = await json<{ user: { name: string } }>(await authCall("/get-session", { cookie }));
    expect(session.user.name).toBe("Victim");
    // From the dashboard it works.
    const fromDashboard = await fromOrigin("/update-user", DASHBOARD, { name: "Still me" }, { cookie });
    expect(fromDashboard.status, await fromDashboard.clone().text()).toBe(200);
  });

  it("refuses a cross-site sign-in (login CSRF) and text/plain bodies", async () => {
    await signUp("login@csrf.example");
    const credentials = { email: "login@csrf.example", password: PASSWORD };
    const crossSite = await fromOrigin("/sign-in/email", ATTACKER, credentials, {
      "sec-fetch-site": "cross-site",
      "sec-fetch-mode": "cors",
    });
    expect(crossSite.status).toBe(403);
    expect(cookieOf(crossSite)).toBe("");
    const plain = await callWithEnv(withDashboard, "/api/auth/sign-in/email", {
      headers: { origin: DASHBOARD, "content-type": "text/plain" },
      body: JSON.stringify(credentials),
    });
    expect(plain.status).toBeGreaterThanOrEqual(400);
    expect(cookieOf(plain)).toBe("");
    const fine = await fromOrigin("/sign-in/email", DASHBOARD, credentials, {
      "sec-fetch-site": "same-origin",
    });
    expect(fine.status, await fine.clone().text()).toBe(200);
  });
});
