import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { HeartbeatResponse, ValidateResponse } from "@nexus/contracts";
import { generateKeyPair, SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import {
  adminToken,
  call,
  expectError,
  json,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { signInstallationToken } from "../../../test/installation-tokens.ts";
import { installersFor, publishRelease } from "../../../test/releases.ts";
import { companyHub } from "../../services/hub.ts";
import { issueInstallationToken } from "../../services/installation-tokens.ts";

let companyCode: string;
let companyId: string;
let joined: ValidateResponse;

function heartbeat(token: string | undefined, overrides: Record<string, unknown> = {}) {
  return call("/api/company/heartbeat", {
    ...(token ? { token } : {}),
    body: { company_code: companyCode, machine_id: "machine-1", app_version: "1.2.0", ...overrides },
  });
}

beforeEach(async () => {
  const company = await registerCompany();
  companyCode = company.company_code;
  companyId = company.company_id;
  joined = await validatedMachine(companyCode, "machine-1");
});

describe("POST /api/company/heartbeat", () => {
  it("records the heartbeat and reports nothing to do", async () => {
    const response = await heartbeat(joined.installation.token);
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({
      success: true,
      force_update: false,
      settings_changed: false,
      settings_version: 1,
    });
    const stored = () =>
      env.CENTRAL_DB.prepare("SELECT app_version, last_heartbeat_at FROM installations WHERE id = ?")
        .bind(joined.installation.id)
        .first<{ app_version: string; last_heartbeat_at: number | null }>();
    // The company's hub holds the heartbeat until its alarm writes it to D1.
    expect(await stored()).toEqual({ app_version: "1.0.0", last_heartbeat_at: null });
    expect(await runDurableObjectAlarm(companyHub(env, companyId))).toBe(true);
    const row = await stored();
    expect(row?.app_version).toBe("1.2.0");
    expect(row?.last_heartbeat_at).toBeGreaterThan(Date.now() - 60_000);
  });

  it("reports settings_changed once after an operator changes settings, with the new settings", async () => {
    const update = await call(`/api/admin/companies/${companyId}/settings`, {
      method: "PUT",
      token: adminToken(),
      body: { settings: { theme: "dark" } },
    });
    expect(update.status).toBe(200);
    const changed = await json<HeartbeatResponse>(await heartbeat(joined.installation.token));
    expect(changed).toMatchObject({
      settings_changed: true,
      settings: { theme: "dark" },
      settings_version: 2,
    });
    const next = await json<HeartbeatResponse>(await heartbeat(joined.installation.token));
    expect(next.settings_changed).toBe(false);
    expect(next.settings).toBeUndefined();
  });

  it("keeps reporting a change to an app whose settings_version is behind (a lost response)", async () => {
    await call(`/api/admin/companies/${companyId}/settings`, {
      method: "PUT",
      token: adminToken(),
      body: { settings: { theme: "dark" } },
    });
    await heartbeat(joined.installation.token, { settings_version: 1 });
    const retried = await json<HeartbeatResponse>(
      await heartbeat(joined.installation.token, { settings_version: 1 }),
    );
    expect(retried).toMatchObject({
      settings_changed: true,
      settings: { theme: "dark" },
      settings_version: 2,
    });
    const applied = await json<HeartbeatResponse>(
      await heartbeat(joined.installation.token, { settings_version: 2 }),
    );
    expect(applied.settings_changed).toBe(false);
  });

  it("asks for an update when the app is below the company's minimum version", async () => {
    await call(`/api/admin/companies/${companyId}`, {
      method: "PATCH",
      token: adminToken(),
      body: { minimum_app_version: "1.10.0" },
    });
    expect((await json<HeartbeatResponse>(await heartbeat(joined.installation.token))).force_update).toBe(
      true,
    );
    const current = await heartbeat(joined.installation.token, { app_version: "1.10.0" });
    expect((await json<HeartbeatResponse>(current)).force_update).toBe(false);
  });

  it("needs the installation token", async () => {
    const error = await expectError(await heartbeat(undefined), 401, "UNAUTHORIZED");
    expect(error.details).toEqual({ action: "revalidate" });
  });

  it("refuses a garbage token", async () => {
    await expectError(await heartbeat("not.a.jwt"), 401, "INVALID_TOKEN");
  });

  it("refuses a token signed with a key that is not ours", async () => {
    const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
    // Claims the kid of our real signing key, so only the signature can give it away.
    const [{ kid }] = JSON.parse(env.JWT_SIGNING_KEYS) as [{ kid: string }];
    const forged = await new SignJWT({ cid: companyId })
      .setProtectedHeader({ alg: "EdDSA", kid })
      .setIssuer("nexus-central")
      .setAudience("nexus-installation")
      .setSubject(joined.installation.id)
      .setExpirationTime("1h")
      .sign(privateKey);
    await expectError(await heartbeat(forged), 401, "INVALID_TOKEN");
  });

  it("refuses a correctly signed token without exp: it would never expire", async () => {
    const eternal = await signInstallationToken({
      installationId: joined.installation.id,
      companyId,
      exp: null,
    });
    const error = await expectError(await heartbeat(eternal), 401, "INVALID_TOKEN");
    expect(error.details?.action).toBe("revalidate");
    // The same key and claims with an exp are accepted, so only the missing exp refused it.
    const mortal = await signInstallationToken({ installationId: joined.installation.id, companyId });
    expect((await heartbeat(mortal)).status).toBe(200);
  });

  it("refuses an unsigned (alg none) token", async () => {
    const [, payload, signature] = joined.installation.token.split(".");
    const header = btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "");
    await expectError(await heartbeat(`${header}.${payload}.${signature}`), 401, "INVALID_TOKEN");
  });

  it("answers 401 TOKEN_EXPIRED for an expired token", async () => {
    const expired = await issueInstallationToken(
      env.JWT_SIGNING_KEYS,
      { installationId: joined.installation.id, companyId },
      -120,
    );
    const error = await expectError(await heartbeat(expired.token), 401, "TOKEN_EXPIRED");
    expect(error.details).toEqual({ action: "revalidate" });
  });

  it("refuses one machine's token used for another machine", async () => {
    await validatedMachine(companyCode, "machine-2");
    await expectError(
      await heartbeat(joined.installation.token, { machine_id: "machine-2" }),
      401,
      "INVALID_TOKEN",
    );
  });

  it("refuses a token of one company used with another company's code", async () => {
    const other = await registerCompany();
    await expectError(
      await heartbeat(joined.installation.token, { company_code: other.company_code }),
      401,
      "INVALID_TOKEN",
    );
  });

  it("tells a deactivated installation to validate again", async () => {
    const deactivate = await call(
      `/api/admin/companies/${companyId}/installations/${joined.installation.id}/deactivate`,
      { method: "POST", token: adminToken() },
    );
    expect(deactivate.status).toBe(200);
    const error = await expectError(
      await heartbeat(joined.installation.token),
      403,
      "INSTALLATION_DEACTIVATED",
    );
    expect(error.details).toEqual({ action: "revalidate" });
  });

  it("answers 404 INSTALLATION_NOT_FOUND for a validly signed token of an unknown installation", async () => {
    const stray = await issueInstallationToken(
      env.JWT_SIGNING_KEYS,
      { installationId: "01a1ffff-0000-7000-8000-000000000000", companyId },
      60,
    );
    const error = await expectError(await heartbeat(stray.token), 404, "INSTALLATION_NOT_FOUND");
    expect(error.details).toEqual({ action: "revalidate" });
  });

  it("refuses heartbeats of a suspended company", async () => {
    await call(`/api/admin/companies/${companyId}/suspend`, { token: adminToken(), body: {} });
    await expectError(await heartbeat(joined.installation.token), 403, "COMPANY_SUSPENDED");
  });

  it("validates the body", async () => {
    await expectError(
      await heartbeat(joined.installation.token, { app_version: 7 }),
      400,
      "VALIDATION_FAILED",
    );
    await expectError(
      await call("/api/company/heartbeat", { token: joined.installation.token, body: "{oops" }),
      400,
      "MALFORMED_JSON",
    );
  });

  it("hands out a fresh token when the current one ages out, and the fresh one works", async () => {
    expect(
      (await json<HeartbeatResponse>(await heartbeat(joined.installation.token))).installation,
    ).toBeUndefined();
    const aging = await issueInstallationToken(
      env.JWT_SIGNING_KEYS,
      { installationId: joined.installation.id, companyId },
      120,
    );
    const answer = await json<HeartbeatResponse>(await heartbeat(aging.token));
    expect(answer.installation?.id).toBe(joined.installation.id);
    const expires = Date.parse(answer.installation?.token_expires_at ?? "");
    expect(expires - Date.now()).toBeGreaterThan(3000 * 1000);
    expect((await heartbeat(answer.installation?.token)).status).toBe(200);
  });

  it("reports the newest release everyone on the company's channel receives as latest_version", async () => {
    expect(
      (await json<HeartbeatResponse>(await heartbeat(joined.installation.token))).latest_version,
    ).toBeUndefined();
    await publishRelease("1.3.0");
    await publishRelease("1.4.0", {
      rollout: { percent: 20 },
      files: installersFor("1.4.0", 9),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await json<HeartbeatResponse>(await heartbeat(joined.installation.token))).latest_version).toBe(
      "1.3.0",
    );
  });
});

describe("concurrent heartbeats of one company", () => {
  it("answers each from the hub's memory, and refuses a deactivated installation on every request", async () => {
    const others = await Promise.all(
      ["pc-a", "pc-b"].map((machine) => validatedMachine(companyCode, machine)),
    );
    const revoked = others[1]?.installation.id ?? "";
    const deactivated = await call(`/api/admin/companies/${companyId}/installations/${revoked}/deactivate`, {
      method: "POST",
      token: adminToken(),
    });
    expect(deactivated.status).toBe(200);
    const senders = [
      { token: joined.installation.token, machine: "machine-1" },
      { token: others[0]?.installation.token ?? "", machine: "pc-a" },
      { token: others[1]?.installation.token ?? "", machine: "pc-b" },
    ];
    const order = Array.from({ length: 24 }, (_, i) => i % 3);
    const responses = await Promise.all(
      order.map((index) => {
        const sender = senders[index];
        return heartbeat(sender?.token, { machine_id: sender?.machine });
      }),
    );
    for (const [i, response] of responses.entries()) {
      if (order[i] === 2) await expectError(response, 403, "INSTALLATION_DEACTIVATED");
      else expect(response.status).toBe(200);
    }
  });
});
