import { env } from "cloudflare:workers";
import {
  LIVE_CLOSE_DASHBOARD_LIMIT,
  LIVE_DASHBOARD_LIMIT_MESSAGE,
  LIVE_DASHBOARD_SOCKETS_PER_COMPANY,
  LIVE_MAX_MESSAGE_BYTES,
  LIVE_PING,
  LIVE_PONG,
  type ValidateResponse,
} from "@nexus/contracts";
import { beforeEach, describe, expect, it } from "vitest";
import {
  adminToken,
  call,
  callAsOperator,
  expectError,
  json,
  type LiveConnection,
  openLive,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { installersFor, publishRelease } from "../../../test/releases.ts";
import { companyOwner } from "../../../test/users.ts";
import { companyHub } from "../../services/hub.ts";

let companyId: string;
let companyCode: string;
let joined: ValidateResponse;

beforeEach(async () => {
  const company = await registerCompany();
  companyId = company.company_id;
  companyCode = company.company_code;
  joined = await validatedMachine(companyCode, "machine-1");
});

const dashboard = () => openLive({ token: adminToken(), query: `?company_id=${companyId}` });

describe("GET /api/live", () => {
  it("refuses an upgrade without a credential, with a bad token, and plain GETs", async () => {
    await expectError(await call("/api/live", { headers: { upgrade: "websocket" } }), 401, "UNAUTHORIZED");
    await expectError(
      await call("/api/live", { headers: { upgrade: "websocket" }, token: "nope" }),
      401,
      "INVALID_TOKEN",
    );
    await expectError(
      await call("/api/live?token=nope", { headers: { upgrade: "websocket" } }),
      401,
      "INVALID_TOKEN",
    );
    await expectError(await call("/api/live", { token: joined.installation.token }), 426, "UPGRADE_REQUIRED");
  });

  it("refuses a deactivated installation before the upgrade", async () => {
    await callAsOperator(
      `/api/admin/companies/${companyId}/installations/${joined.installation.id}/deactivate`,
      {
        method: "POST",
      },
    );
    await expectError(
      await call("/api/live", { headers: { upgrade: "websocket" }, token: joined.installation.token }),
      403,
      "INSTALLATION_DEACTIVATED",
    );
  });

  it("welcomes an installation (token in the query, as browsers must) and pushes a settings change", async () => {
    const live = await openLive({ query: `?token=${joined.installation.token}` });
    expect(await live.next("welcome")).toEqual({
      type: "welcome",
      role: "installation",
      company_id: companyId,
      installation_id: joined.installation.id,
    });
    const update = await callAsOperator(`/api/admin/companies/${companyId}/settings`, {
      method: "PUT",
      body: { settings: { theme: "dark" } },
    });
    expect(update.status).toBe(200);
    // The answer says how many connected installations were sent the change: this one.
    expect(await json<{ pushed_to: number | null }>(update)).toMatchObject({ pushed_to: 1 });
    expect(await live.next("settings.changed")).toEqual({
      type: "settings.changed",
      settings_version: 2,
      settings: { theme: "dark" },
    });
    live.ws.close(1000, "done");
  });

  it("pushes force_update to installations below a new minimum version", async () => {
    const live = await openLive({ token: joined.installation.token });
    await live.next("welcome");
    await callAsOperator(`/api/admin/companies/${companyId}`, {
      method: "PATCH",
      body: { minimum_app_version: "2.0.0" },
    });
    expect(await live.next("force_update")).toEqual({ type: "force_update", minimum_version: "2.0.0" });
    live.ws.close(1000);
  });

  it("pushes update.available to installations (the hook release publishing calls)", async () => {
    const app = await openLive({ token: joined.installation.token });
    const watcher = await dashboard();
    await app.next("welcome");
    await watcher.next("welcome");
    expect(await companyHub(env, companyId).updateAvailable(companyId, "1.5.0", "stable")).toBe(1);
    expect(await app.next("update.available")).toEqual({
      type: "update.available",
      version: "1.5.0",
      channel: "stable",
    });
    expect(watcher.messages.some((message) => message.type === "update.available")).toBe(false);
    app.ws.close(1000);
    watcher.ws.close(1000);
  });

  it("pushes update.available when a release the company receives is published, and not for other channels", async () => {
    const app = await openLive({ token: joined.installation.token });
    await app.next("welcome");
    await publishRelease("2.0.0-beta.1", { channel: "beta", files: installersFor("2.0.0-beta.1", 2) });
    await publishRelease("1.6.0", { minimum_version: "1.5.0" });
    expect(await app.next("update.available")).toEqual({
      type: "update.available",
      version: "1.6.0",
      channel: "stable",
    });
    // The release raised the channel's minimum above the app's 1.0.0.
    expect(await app.next("force_update")).toEqual({ type: "force_update", minimum_version: "1.5.0" });
    expect(app.messages.filter((message) => message.type === "update.available")).toHaveLength(1);
    app.ws.close(1000);
  });

  it("lets a company's signed-in members watch its live channel, and nobody else", async () => {
    const company = await registerCompany({ admin_email: "watcher@live.example" });
    const owner = await companyOwner(company.company_id, "watcher@live.example");
    const watcher = await openLive({ cookie: owner, query: `?company_id=${company.company_id}` });
    expect(await watcher.next("welcome")).toMatchObject({
      role: "dashboard",
      company_id: company.company_id,
    });
    const machine = await validatedMachine(company.company_code, "live-pc");
    const app = await openLive({ token: machine.installation.token });
    expect(await watcher.next("installation.presence")).toMatchObject({ status: "online" });
    // Another company's owner, and a signed-out browser, are refused before the upgrade.
    const other = await registerCompany({ admin_email: "other@live.example" });
    const otherOwner = await companyOwner(other.company_id, "other@live.example");
    await expectError(
      await call(`/api/live?company_id=${company.company_id}`, {
        headers: { upgrade: "websocket", cookie: otherOwner },
      }),
      404,
      "COMPANY_NOT_FOUND",
    );
    await expectError(
      await call(`/api/live?company_id=${company.company_id}`, { headers: { upgrade: "websocket" } }),
      401,
      "UNAUTHORIZED",
    );
    app.ws.close(1000);
    watcher.ws.close(1000);
  });

  it("caps a company's dashboard sockets, tells the one over the cap why, and frees a slot on close", async () => {
    const app = await openLive({ token: joined.installation.token });
    await app.next("welcome");
    const watchers: LiveConnection[] = await Promise.all(
      Array.from({ length: LIVE_DASHBOARD_SOCKETS_PER_COMPANY }, async () => {
        const watcher = await dashboard();
        await watcher.next("welcome");
        return watcher;
      }),
    );
    // Another company's dashboards have their own allowance.
    const other = await registerCompany();
    const elsewhere = await openLive({ token: adminToken(), query: `?company_id=${other.company_id}` });
    expect(await elsewhere.next("welcome")).toMatchObject({ company_id: other.company_id });

    const refused = await dashboard();
    expect(await refused.next("error")).toEqual({
      type: "error",
      code: "DASHBOARD_CONNECTION_LIMIT",
      message: LIVE_DASHBOARD_LIMIT_MESSAGE,
    });
    expect(await refused.closed).toEqual({
      code: LIVE_CLOSE_DASHBOARD_LIMIT,
      reason: `Too many dashboard connections for this company (limit ${LIVE_DASHBOARD_SOCKETS_PER_COMPANY}); close other tabs.`,
    });
    expect(refused.messages.some((message) => message.type === "welcome")).toBe(false);
    // The others stay open and still hear the company; the refused one took no slot.
    const broadcast = await callAsOperator(`/api/admin/companies/${companyId}/broadcast`, {
      body: { text: "still here?" },
    });
    expect(await broadcast.json()).toEqual({
      success: true,
      delivered: LIVE_DASHBOARD_SOCKETS_PER_COMPANY + 1,
    });
    for (const watcher of watchers) {
      expect(await watcher.next("admin.broadcast")).toMatchObject({ text: "still here?" });
      expect(watcher.ws.readyState).toBe(WebSocket.OPEN);
    }
    // Installations are bounded by seats, not by this cap.
    const second = await validatedMachine(companyCode, "machine-2");
    const secondApp = await openLive({ token: second.installation.token });
    expect(await secondApp.next("welcome")).toMatchObject({ role: "installation" });

    const leaving = watchers.pop();
    leaving?.ws.close(1000, "tab closed");
    await leaving?.closed;
    const returning = await dashboard();
    expect(await returning.next("welcome")).toMatchObject({ role: "dashboard", company_id: companyId });
    for (const live of [...watchers, returning, elsewhere, app, secondApp]) live.ws.close(1000);
  }, 30_000);

  it("tells dashboards when installations come and go", async () => {
    const watcher = await dashboard();
    expect(await watcher.next("welcome")).toMatchObject({ role: "dashboard", company_id: companyId });
    const app = await openLive({ token: joined.installation.token });
    expect(await watcher.next("installation.presence")).toMatchObject({
      installation_id: joined.installation.id,
      hostname: "host-machine-1",
      status: "online",
    });
    app.ws.close(1000, "bye");
    expect(await watcher.next("installation.presence")).toMatchObject({
      installation_id: joined.installation.id,
      status: "offline",
    });
    watcher.ws.close(1000);
  });

  it("tells dashboards an installation's heartbeats, since online means a recent heartbeat", async () => {
    const watcher = await dashboard();
    await watcher.next("welcome");
    // Connected but never heard from: the presence says so, and the dashboard shows it offline.
    const app = await openLive({ token: joined.installation.token });
    expect(await watcher.next("installation.presence")).toMatchObject({
      status: "online",
      last_heartbeat_at: null,
    });
    const beat = () =>
      call("/api/company/heartbeat", {
        token: joined.installation.token,
        body: { company_code: companyCode, machine_id: "machine-1", app_version: "1.0.0" },
      });
    const before = Date.now();
    expect((await beat()).status).toBe(200);
    // The first heartbeat makes it online: announced with its time. The next one changes nothing.
    const announced = await watcher.next("installation.presence");
    expect(announced).toMatchObject({ installation_id: joined.installation.id, status: "online" });
    expect(Date.parse(announced.last_heartbeat_at ?? "")).toBeGreaterThanOrEqual(before);
    expect((await beat()).status).toBe(200);
    await expect(watcher.next("installation.presence", 300)).rejects.toThrow(/no installation.presence/);
    // A socket opened later carries the heartbeat the hub holds.
    const again = await openLive({ token: joined.installation.token });
    const reconnected = await watcher.next("installation.presence");
    expect(Date.parse(reconnected.last_heartbeat_at ?? "")).toBeGreaterThanOrEqual(
      Date.parse(announced.last_heartbeat_at ?? ""),
    );
    for (const live of [again, app, watcher]) live.ws.close(1000);
  });

  it("answers bad messages with an error frame and stays open", async () => {
    const app = await openLive({ token: joined.installation.token });
    await app.next("welcome");
    app.ws.send("{not json");
    expect(await app.next("error")).toMatchObject({ code: "MALFORMED_JSON" });
    app.ws.send(JSON.stringify({ type: "delete.everything" }));
    expect(await app.next("error")).toMatchObject({ code: "INVALID_MESSAGE" });
    app.ws.send(JSON.stringify({ type: "chat.send", text: "x".repeat(LIVE_MAX_MESSAGE_BYTES) }));
    expect(await app.next("error")).toMatchObject({ code: "MESSAGE_TOO_LARGE" });
    app.ws.send(JSON.stringify({ type: "chat.send", text: "still here" }));
    expect(await app.next("chat.message")).toMatchObject({ text: "still here" });
    app.ws.close(1000);
  });

  it("answers pings", async () => {
    const app = await openLive({ token: joined.installation.token });
    await app.next("welcome");
    const pong = new Promise<string>((resolve) =>
      app.ws.addEventListener("message", (event) => {
        if (event.data === LIVE_PONG) resolve(String(event.data));
      }),
    );
    app.ws.send(LIVE_PING);
    expect(await pong).toBe(LIVE_PONG);
    app.ws.close(1000);
  });

  it("keeps at most two sockets per installation, closing the oldest", async () => {
    const first = await openLive({ token: joined.installation.token });
    const second = await openLive({ token: joined.installation.token });
    const third = await openLive({ token: joined.installation.token });
    expect(await first.closed).toMatchObject({ code: 4008 });
    const stats = (await (await callAsOperator(`/api/admin/companies/${companyId}/hub`)).json()) as {
      sockets: { installations: number };
    };
    expect(stats.sockets.installations).toBe(2);
    second.ws.close(1000);
    third.ws.close(1000);
  });

  it("closes an installation's socket when an operator deactivates it", async () => {
    const app = await openLive({ token: joined.installation.token });
    await app.next("welcome");
    await callAsOperator(
      `/api/admin/companies/${companyId}/installations/${joined.installation.id}/deactivate`,
      {
        method: "POST",
      },
    );
    expect(await app.closed).toMatchObject({ code: 4003 });
  });
});
