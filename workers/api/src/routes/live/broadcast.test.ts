import type { ValidateResponse } from "@nexus/contracts";
import { beforeEach, describe, expect, it } from "vitest";
import {
  adminToken,
  call,
  callAsOperator,
  expectError,
  openLive,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";

let companyId: string;
let joined: ValidateResponse;

beforeEach(async () => {
  const company = await registerCompany();
  companyId = company.company_id;
  joined = await validatedMachine(company.company_code, "machine-1");
});

const dashboard = () => openLive({ token: adminToken(), query: `?company_id=${companyId}` });

describe("POST /api/admin/companies/{companyId}/broadcast", () => {
  it("relays chat between a company's connections, and operator broadcasts to all", async () => {
    const app = await openLive({ token: joined.installation.token });
    const watcher = await dashboard();
    await app.next("welcome");
    await watcher.next("welcome");
    watcher.ws.send(JSON.stringify({ type: "chat.send", text: "Line 3 is down" }));
    expect(await app.next("chat.message")).toMatchObject({
      text: "Line 3 is down",
      from: { type: "dashboard" },
    });
    const response = await callAsOperator(`/api/admin/companies/${companyId}/broadcast`, {
      body: { text: "Maintenance at 22:00" },
    });
    expect(await response.json()).toEqual({ success: true, delivered: 2 });
    expect(await app.next("admin.broadcast")).toMatchObject({ text: "Maintenance at 22:00" });
    expect(await watcher.next("admin.broadcast")).toMatchObject({ text: "Maintenance at 22:00" });
    app.ws.close(1000);
    watcher.ws.close(1000);
  });

  it("keeps another company's connections out of the conversation", async () => {
    const other = await registerCompany();
    const stranger = await validatedMachine(other.company_code, "stranger");
    const strangerLive = await openLive({ token: stranger.installation.token });
    const app = await openLive({ token: joined.installation.token });
    await strangerLive.next("welcome");
    await app.next("welcome");
    app.ws.send(JSON.stringify({ type: "chat.send", text: "internal only" }));
    await app.next("chat.message");
    await callAsOperator(`/api/admin/companies/${companyId}/broadcast`, { body: { text: "ours" } });
    await app.next("admin.broadcast");
    expect(strangerLive.messages.map((message) => message.type)).toEqual(["welcome"]);
    strangerLive.ws.close(1000);
    app.ws.close(1000);
  });

  it("lets only the company's operators and members allowed to send messages broadcast", async () => {
    const path = `/api/admin/companies/${companyId}/broadcast`;
    const body = { text: "from whom?" };
    const app = await openLive({ token: joined.installation.token });
    await app.next("welcome");
    await expectError(await call(path, { body }), 401, "UNAUTHORIZED");
    // The company's own installation may listen, not speak for the company.
    await expectError(await call(path, { body, token: joined.installation.token }), 401, "UNAUTHORIZED");
    const owned = await registerCompany({ admin_email: "speaker@live.example" });
    const owner = await companyOwner(owned.company_id, "speaker@live.example");
    // Another company's owner does not learn that this company exists.
    await expectError(await call(path, { body, headers: { cookie: owner } }), 404, "COMPANY_NOT_FOUND");
    const member = await companyMember(owner, owned.company_id, "listener@live.example");
    await expectError(
      await call(`/api/admin/companies/${owned.company_id}/broadcast`, { body, headers: { cookie: member } }),
      403,
      "FORBIDDEN",
    );
    const allowed = await call(`/api/admin/companies/${owned.company_id}/broadcast`, {
      body,
      headers: { cookie: owner },
    });
    expect(await allowed.json()).toEqual({ success: true, delivered: 0 });
    expect(app.messages.map((message) => message.type)).toEqual(["welcome"]);
    // Bad bodies are refused once the caller is known.
    await expectError(await callAsOperator(path, { body: { text: " " } }), 400, "VALIDATION_FAILED");
    app.ws.close(1000);
  });
});
