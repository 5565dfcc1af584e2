// The seconds-long memory of sessions and memberships (identity-cache.ts) against what must end them:
// each test reads first, so the answer is remembered, then revokes and tries again.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, expectError, json, registerCompany } from "../../test/helpers.ts";
import { authCall, companyMember, companyOwner, signUp } from "../../test/users.ts";
import { credentialKey, IDENTITY_CACHE_MS, IdentityCache, identityGeneration } from "./identity-cache.ts";

interface Member {
  id: string;
  email: string;
  role: string;
}

const installations = (companyId: string, cookie: string) =>
  call(`/api/admin/companies/${companyId}/installations?limit=50`, { headers: { cookie } });

async function expectReads(companyId: string, cookie: string) {
  for (let i = 0; i < 2; i++) {
    const response = await installations(companyId, cookie);
    expect(response.status, await response.text()).toBe(200);
  }
}

async function memberId(companyId: string, cookie: string, email: string): Promise<string> {
  const { members } = await json<{ members: Member[] }>(
    await call(`/api/admin/companies/${companyId}/members`, { headers: { cookie } }),
  );
  const id = members.find((m) => m.email === email)?.id;
  if (!id) throw new Error(`no member ${email}`);
  return id;
}

async function ownerAndMember(tag: string, role = "member") {
  const company = await registerCompany({ admin_email: `owner@${tag}.example` });
  const owner = await companyOwner(company.company_id, `owner@${tag}.example`);
  const member = await companyMember(owner, company.company_id, `member@${tag}.example`, role);
  return { companyId: company.company_id, owner, member, memberEmail: `member@${tag}.example` };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a remembered session", () => {
  it("stops working at once when it signs out", async () => {
    const { companyId, owner } = await ownerAndMember("signout");
    await expectReads(companyId, owner);
    const signedOut = await authCall("/sign-out", { body: {}, cookie: owner });
    expect(signedOut.status, await signedOut.text()).toBe(200);
    await expectError(await installations(companyId, owner), 401, "UNAUTHORIZED");
  });

  it("ends within IDENTITY_CACHE_MS when it is revoked elsewhere, and for writes at once", async () => {
    const { companyId, owner } = await ownerAndMember("elsewhere");
    await expectReads(companyId, owner);
    // Another isolate signing the session out: the row goes, this isolate hears nothing of it.
    const token = decodeURIComponent(/better-auth\.session_token=([^.;]+)/.exec(owner)?.[1] ?? "");
    const deleted = await env.CENTRAL_DB.prepare("DELETE FROM session WHERE token = ?").bind(token).run();
    expect(deleted.meta.changes).toBe(1);
    // The documented window: reads may still pass until the memory expires...
    expect((await installations(companyId, owner)).status).toBe(200);
    // ...but nothing is written with it.
    await expectError(
      await call(`/api/admin/companies/${companyId}/invitations`, {
        headers: { cookie: owner },
        body: { email: "late@elsewhere.example", role: "member" },
      }),
      401,
      "UNAUTHORIZED",
    );
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + IDENTITY_CACHE_MS + 1);
    await expectError(await installations(companyId, owner), 401, "UNAUTHORIZED");
  });
});

describe("a remembered membership", () => {
  it("goes at once when the member is removed, through our route or better-auth's", async () => {
    const { companyId, owner, member, memberEmail } = await ownerAndMember("removed");
    await expectReads(companyId, member);
    const id = await memberId(companyId, owner, memberEmail);
    const removed = await call(`/api/admin/companies/${companyId}/members/${id}/remove`, {
      method: "POST",
      headers: { cookie: owner },
    });
    expect(removed.status, await removed.text()).toBe(200);
    await expectError(await installations(companyId, member), 404, "COMPANY_NOT_FOUND");

    const second = await companyMember(owner, companyId, "second@removed.example");
    await expectReads(companyId, second);
    const viaAuth = await authCall("/organization/remove-member", {
      body: { memberIdOrEmail: "second@removed.example", organizationId: companyId },
      cookie: owner,
    });
    expect(viaAuth.status, await viaAuth.text()).toBe(200);
    await expectError(await installations(companyId, second), 404, "COMPANY_NOT_FOUND");
  });

  it("loses a demoted member's permissions at once, through our route or better-auth's", async () => {
    const { companyId, owner, member, memberEmail } = await ownerAndMember("demoted");
    await expectReads(companyId, member);
    const id = await memberId(companyId, owner, memberEmail);
    const demoted = await call(`/api/admin/companies/${companyId}/members/${id}`, {
      method: "PATCH",
      headers: { cookie: owner },
      body: { role: "installer" },
    });
    expect(demoted.status, await demoted.text()).toBe(200);
    await expectError(await installations(companyId, member), 403, "FORBIDDEN");

    const promoted = await authCall("/organization/update-member-role", {
      body: { memberId: id, role: "member", organizationId: companyId },
      cookie: owner,
    });
    expect(promoted.status, await promoted.text()).toBe(200);
    await expectReads(companyId, member);
    const demotedAgain = await authCall("/organization/update-member-role", {
      body: { memberId: id, role: "installer", organizationId: companyId },
      cookie: owner,
    });
    expect(demotedAgain.status, await demotedAgain.text()).toBe(200);
    await expectError(await installations(companyId, member), 403, "FORBIDDEN");
  });
});

describe("one user's memory", () => {
  it("is never another's: each cookie gets its own session, each user their own permissions", async () => {
    const { companyId, owner, member: installer } = await ownerAndMember("others", "installer");
    const outsider = await signUp("outsider@others.example");
    await expectReads(companyId, owner);
    await expectError(await installations(companyId, installer), 403, "FORBIDDEN");
    await expectError(await installations(companyId, outsider), 404, "COMPANY_NOT_FOUND");
    // The owner's token with someone else's signature, and the owner's signature on a made-up token.
    const [, ownerToken = "", ownerSignature = ""] =
      /better-auth\.session_token=([^.;]+)\.([^;]+)/.exec(owner) ?? [];
    const [, outsiderToken = "", outsiderSignature = ""] =
      /better-auth\.session_token=([^.;]+)\.([^;]+)/.exec(outsider) ?? [];
    for (const forged of [`${ownerToken}.${outsiderSignature}`, `${outsiderToken}x.${ownerSignature}`]) {
      await expectError(
        await installations(companyId, `better-auth.session_token=${forged}`),
        401,
        "UNAUTHORIZED",
      );
    }
    // The owner's membership of one company is not one of another.
    const other = await registerCompany({ admin_email: "owner@other.example" });
    await expectError(await installations(other.company_id, owner), 404, "COMPANY_NOT_FOUND");
    await expectReads(companyId, owner);
  });
});

describe("IdentityCache", () => {
  it("does not remember an answer read before a revocation", async () => {
    const cache = new IdentityCache<string>();
    const readAt = identityGeneration();
    // A sign-out elsewhere in this isolate while the answer was on its way from D1.
    await authCall("/sign-out", { body: {}, cookie: "better-auth.session_token=none" });
    cache.set("key", "stale", readAt);
    expect(cache.get("key")).toBeUndefined();
    cache.set("key", "fresh", identityGeneration());
    expect(cache.get("key")).toBe("fresh");
  });

  it("keys credentials by their SHA-256, never the credential itself", async () => {
    const key = await credentialKey("better-auth.session_token=secret.signature");
    const digest = await crypto.subtle.digest(
      "SHA-256",
      new TextEncoder().encode("better-auth.session_token=secret.signature"),
    );
    expect(key).toBe(btoa(String.fromCharCode(...new Uint8Array(digest))));
    expect(key).not.toContain("secret");
  });
});
