// Members on the live socket: dashboards get every project's status; a user who may read only their
// assigned projects (installers) gets a socket limited to those jobs — their status and chat, decided
// at send time from the assignments of the moment — and none of the company's presence or relay.
import { env } from "cloudflare:workers";
import type { Project, ServerMessage } from "@nexus/contracts";
import { beforeEach, describe, expect, it } from "vitest";
import {
  callAsOperator,
  json,
  type LiveConnection,
  openLive,
  registerCompany,
  validatedMachine,
} from "../../../test/helpers.ts";
import { companyMember, companyOwner } from "../../../test/users.ts";
import { notifyUsers } from "../../services/hub.ts";
import { authCallAdmin, company, project, showroom, userId } from "../projects/fixtures.ts";
import { syncCall } from "../sync/fixtures.ts";

let companyId: string;
let companyCode: string;
let owner: string;
let installer: string;
let fitter: string;
let mine: Project;
let other: Project;

beforeEach(async () => {
  const acme = await registerCompany({ admin_email: "own@scoped.example" });
  companyId = acme.company_id;
  companyCode = acme.company_code;
  owner = await companyOwner(companyId, "own@scoped.example");
  installer = await companyMember(owner, companyId, "fitter@scoped.example", "installer");
  fitter = await userId("fitter@scoped.example");
  const room = await showroom(companyId, { member_ids: [fitter] });
  mine = await project(companyId, room, { assignments: { installer: fitter } });
  other = await project(companyId, room);
});

const live = (cookie: string) => openLive({ cookie, query: `?company_id=${companyId}` });
const setStatus = async (projectId: string, body: Record<string, unknown>) => {
  const response = await callAsOperator(`${company(companyId)}/projects/${projectId}`, {
    method: "PATCH",
    body,
  });
  expect(response.status, await response.clone().text()).toBe(200);
};

/** The next project.status frame about `projectId` (others are skipped, and collected). */
async function statusOf(socket: LiveConnection, projectId: string) {
  for (;;) {
    const frame = await socket.next("project.status", 10_000);
    if (frame.project_id === projectId) return frame;
  }
}

/** The next company-wide relay frame (conversation messages, which dashboards also get, are skipped). */
async function relayed(socket: LiveConnection) {
  for (;;) {
    const frame = await socket.next("chat.message", 10_000);
    if (!frame.conversation_id) return frame;
  }
}

const framesAbout = (socket: LiveConnection, projectId: string) =>
  socket.messages.filter((m: ServerMessage) => m.type === "project.status" && m.project_id === projectId);

describe("installers on /api/live", () => {
  it("connects an installer with a socket limited to the jobs assigned to them", async () => {
    const installerLive = await live(installer);
    expect(await installerLive.next("welcome", 10_000)).toEqual({
      type: "welcome",
      role: "dashboard",
      company_id: companyId,
      user_id: fitter,
      scope: "assigned",
    });
    const ownerLive = await live(owner);
    expect(await ownerLive.next("welcome", 10_000)).toMatchObject({ scope: "company" });

    // The other job changes first, then the installer's: the hub sends in order, so once the
    // installer has their job's frame, the other job's would have come before it.
    await setStatus(other.id, { status: "on_hold" });
    await setStatus(mine.id, { status: "on_hold" });
    expect(await statusOf(ownerLive, other.id)).toMatchObject({ stage: other.stage, status: "on_hold" });
    expect(await statusOf(ownerLive, mine.id)).toMatchObject({ status: "on_hold" });
    expect(await statusOf(installerLive, mine.id)).toMatchObject({ project_id: mine.id, status: "on_hold" });
    expect(framesAbout(installerLive, other.id)).toEqual([]);

    // Assigned now: the very next change reaches them, without reconnecting.
    await setStatus(other.id, { assignments: { installer: fitter } });
    await setStatus(other.id, { status: "active" });
    expect(await statusOf(installerLive, other.id)).toMatchObject({ status: expect.any(String) });
    installerLive.ws.close();
    ownerLive.ws.close();
  });

  it("keeps other jobs' chat, the company's presence and its relay away from an installer", async () => {
    const joined = await validatedMachine(companyCode, "machine-1");
    const installerLive = await live(installer);
    const ownerLive = await live(owner);
    await installerLive.next("welcome", 10_000);
    await ownerLive.next("welcome", 10_000);

    const chatOf = async (projectId: string) =>
      (
        await json<{ conversation: { id: string } }>(
          await authCallAdmin(`${company(companyId)}/projects/${projectId}/chat`, undefined, owner, "GET"),
        )
      ).conversation.id;
    const otherChat = await chatOf(other.id);
    const mineChat = await chatOf(mine.id);
    const say = (conversationId: string, body: string) =>
      authCallAdmin(`${company(companyId)}/chat/conversations/${conversationId}/messages`, { body }, owner);
    expect((await say(otherChat, "Other job: price is 12k")).status).toBe(201);
    expect((await say(mineChat, "Your job: bring the tiles")).status).toBe(201);
    expect(await installerLive.next("chat.message", 10_000)).toMatchObject({
      conversation_id: mineChat,
      text: "Your job: bring the tiles",
    });
    expect(
      installerLive.messages.filter((m) => m.type === "chat.message" && m.conversation_id === otherChat),
    ).toEqual([]);
    // Typing about a job that is not theirs is refused like a conversation that does not exist.
    installerLive.ws.send(JSON.stringify({ type: "chat.typing", conversation_id: otherChat }));
    expect(await installerLive.next("error", 10_000)).toMatchObject({ code: "CHAT_CONVERSATION_NOT_FOUND" });

    // The desktop app's company-wide relay still works between installations and dashboards…
    const app = await openLive({ query: `?token=${joined.installation.token}` });
    await app.next("welcome", 10_000);
    expect(await ownerLive.next("installation.presence", 10_000)).toMatchObject({ status: "online" });
    app.ws.send(JSON.stringify({ type: "chat.send", text: "Server restarts at noon" }));
    expect(await relayed(ownerLive)).toMatchObject({
      from: { type: "installation", id: joined.installation.id },
      text: "Server restarts at noon",
    });
    expect(await relayed(app)).toMatchObject({ text: "Server restarts at noon" });
    // …but the installer is in neither: no presence, no relay, and may not send into it.
    installerLive.ws.send(JSON.stringify({ type: "chat.send", text: "hello all" }));
    expect(await installerLive.next("error", 10_000)).toMatchObject({ code: "FORBIDDEN" });
    expect(
      installerLive.messages.filter(
        (m) => m.type === "installation.presence" || (m.type === "chat.message" && !m.conversation_id),
      ),
    ).toEqual([]);
    for (const socket of [installerLive, ownerLive, app]) socket.ws.close();
  });

  it("pushes in-app notifications to the named users' sockets only (notifyUsers)", async () => {
    const installerLive = await live(installer);
    const ownerLive = await live(owner);
    await installerLive.next("welcome", 10_000);
    await ownerLive.next("welcome", 10_000);
    const notification = {
      id: "n-1",
      workflow: "project.assigned",
      category: "projects",
      subject: "New job",
      body: "You are on P-000001",
      data: { project_id: mine.id },
      created_at: new Date().toISOString(),
      read_at: null,
      archived_at: null,
    };
    const reached = await notifyUsers(env, companyId, [fitter, "nobody-online"], {
      type: "notification.new",
      notification,
    });
    expect(reached).toEqual([fitter]);
    expect(await installerLive.next("notification.new", 10_000)).toEqual({
      type: "notification.new",
      notification,
    });
    // The owner's socket was open and got nothing: sendToUsers goes by the user tag, not to everyone.
    await setStatus(mine.id, { status: "completed" });
    await statusOf(ownerLive, mine.id);
    expect(ownerLive.messages.filter((m) => m.type === "notification.new")).toEqual([]);
    installerLive.ws.close();
    ownerLive.ws.close();
  });

  it("publishes a job status the installer's phone synced, and nothing for a mutation it was refused", async () => {
    const installerLive = await live(installer);
    const ownerLive = await live(owner);
    await installerLive.next("welcome", 10_000);
    await ownerLive.next("welcome", 10_000);
    const pushed = await syncCall(
      "push",
      {
        company_id: companyId,
        device_id: "device-fitter-1",
        mutations: [
          { id: 1, name: "job.setStatus", args: { job_id: other.id, status: "cancelled" } },
          { id: 2, name: "job.setStatus", args: { job_id: mine.id, status: "on_hold" } },
        ],
      },
      installer,
    );
    expect(await json(pushed)).toMatchObject({ last_mutation_id: 2, rejected: [{ mutation_id: 1 }] });
    expect(await statusOf(ownerLive, mine.id)).toMatchObject({ status: "on_hold" });
    expect(await statusOf(installerLive, mine.id)).toMatchObject({ status: "on_hold" });
    expect(framesAbout(ownerLive, other.id)).toEqual([]);
    installerLive.ws.close();
    ownerLive.ws.close();
  });
});
