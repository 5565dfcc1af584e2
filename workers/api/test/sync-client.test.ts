// The reference sync client simulating field devices against the real API worker, its tenant D1
// and R2 (issue 11's "Done when"). Devices are signed-in installers (session cookies) unless a test
// needs a role that may move stages; the fetch between them and the worker loses, drops and cuts
// requests where a test says so. It lives on the worker's side because it reads and seeds the tenant
// database directly (packages never import workers).
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  createSyncClient,
  type FetchLike,
  memorySyncStore,
  NexusNetworkError,
  NexusSyncError,
  type SyncChange,
  type SyncClient,
  type SyncClientOptions,
  type SyncCredential,
  type SyncMutation,
  type SyncMutationInput,
  type SyncMutationName,
  type SyncRejection,
  type SyncStore,
  sha256Hex,
} from "../../../packages/client/src/index.ts";
import {
  answer,
  BASE_URL,
  errorEnvelope,
  rejection,
  sleep,
  toWorker,
  waitFor,
} from "../../../packages/client/test/harness.ts";
import { tenantDatabase } from "../src/services/tenant-db.ts";
import { callAsOperator, json, registerCompany } from "./helpers.ts";
import { companyMember, companyOwner } from "./users.ts";

const MiB = 1024 * 1024;
const GPS = { lat: 53.8, lng: -1.55 };
const admin = (companyId: string) => `/api/admin/companies/${companyId}`;

async function asOperator<T>(path: string, options: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await callAsOperator(path, options);
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return json<T>(response);
}

/**
 * A company with a showroom; members sign up for real, jobs are created by the operator. The owner
 * signs up only to invite the first member: the API allows 3 sign-ups per 10 seconds, and each test
 * starts with empty databases, so a test may have 3 signed-up users in all.
 */
async function setupCompany() {
  const ownerEmail = `owner-${crypto.randomUUID()}@sync.example`;
  const { company_id: companyId } = await registerCompany({ admin_email: ownerEmail });
  let owner: Promise<string> | undefined;
  const { showroom } = await asOperator<{ showroom: { id: string } }>(`${admin(companyId)}/showrooms`, {
    body: { name: "Leeds", type: "retail" },
  });
  return {
    companyId,
    async member(role: "installer" | "member") {
      const email = `${role}-${crypto.randomUUID()}@sync.example`;
      owner ??= companyOwner(companyId, ownerEmail);
      const cookie = await companyMember(await owner, companyId, email, role);
      const user = await env.CENTRAL_DB.prepare("SELECT id FROM user WHERE email = ?")
        .bind(email)
        .first<{ id: string }>();
      if (!user) throw new Error(`no user ${email}`);
      return { credential: { cookie } as SyncCredential, userId: user.id };
    },
    async job(title: string, assignments: Record<string, string> = {}) {
      const created = await asOperator<{ project: { id: string } }>(`${admin(companyId)}/projects`, {
        body: { title, client: { name: "Client" }, showroom_id: showroom.id, assignments },
      });
      return created.project.id;
    },
    reassign: (jobId: string, assignments: Record<string, string>) =>
      asOperator(`${admin(companyId)}/projects/${jobId}`, { method: "PATCH", body: { assignments } }),
    device: (credential: SyncCredential, overrides: Partial<SyncClientOptions> = {}) =>
      createSyncClient({
        baseUrl: BASE_URL,
        fetch: toWorker,
        companyId,
        deviceId: `device-${crypto.randomUUID()}`,
        credential,
        backoff: 1,
        ...overrides,
      }),
    db: () => tenantDatabase(env, companyId),
  };
}
type Company = Awaited<ReturnType<typeof setupCompany>>;

/** A company with one installer, Alice, and a job assigned to her. */
async function installerWithJob(title: string) {
  const company = await setupCompany();
  const alice = await company.member("installer");
  return { company, alice, jobId: await company.job(title, { installer: alice.userId }) };
}
const operator: SyncCredential = { bearer: env.NEXUS_ADMIN_SECRET };

/** A device's view as `entity:id` → row. */
async function viewOf(device: SyncClient) {
  return Object.fromEntries((await device.view.list()).map((row) => [`${row.entity}:${row.id}`, row.data]));
}

/** What the server shows this user: the view of a new device after its first full pull. */
async function serverView(company: Company, credential: SyncCredential) {
  const fresh = company.device(credential);
  await fresh.pull();
  return viewOf(fresh);
}

async function activityIds(company: Company, type: string): Promise<string[]> {
  const { results } = await (await company.db())
    .prepare("SELECT id FROM activities WHERE type = ? ORDER BY id")
    .bind(type)
    .all<{ id: string }>();
  return results.map((row) => row.id);
}

interface PullPage {
  reset: boolean;
  changes: SyncChange[];
  has_more: boolean;
  last_mutation_id: number;
}

type Fault = "drop" | "lose-answer" | FetchLike;

/**
 * The worker behind a fetch that records each request (path and JSON body) and every pull answer,
 * and injects faults, each once, into the first request whose path contains its `match`: `drop`
 * fails before the API sees it, `lose-answer` lets the API handle it and then loses the answer, a
 * FetchLike answers in the worker's place.
 */
function wire(base: FetchLike = toWorker) {
  const sent: { path: string; body: unknown }[] = [];
  const pages: PullPage[] = [];
  const faults: { match: string; fault: Fault }[] = [];
  const fetch: FetchLike = async (input, init) => {
    const path = new URL(input).pathname;
    sent.push({ path, body: typeof init.body === "string" ? JSON.parse(init.body) : undefined });
    const index = faults.findIndex((entry) => path.includes(entry.match));
    const fault = index < 0 ? undefined : faults.splice(index, 1)[0]?.fault;
    if (fault === "drop") throw new TypeError("fetch failed: connection reset");
    if (typeof fault === "function") return fault(input, init);
    const response = await base(input, init);
    if (fault === "lose-answer") {
      await response.arrayBuffer();
      throw new TypeError("fetch failed: connection reset after the request was handled");
    }
    if (path === "/api/sync/pull" && response.ok) pages.push((await response.clone().json()) as PullPage);
    return response;
  };
  return {
    fetch,
    sent,
    pages,
    fail: (match: string, ...fault: Fault[]) => faults.push(...fault.map((f) => ({ match, fault: f }))),
    pushes: () =>
      sent
        .filter((r) => r.path === "/api/sync/push")
        .map((r) => (r.body as { mutations: SyncMutation[] }).mutations),
  };
}

/** Deterministic: a failing run repeats with its seed. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const uuid = () =>
    "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) =>
      (c === "x" ? int(16) : 8 + int(4)).toString(16),
    );
  return { next, int, pick, uuid };
}
type Random = ReturnType<typeof prng>;

type Edit = { [N in SyncMutationName]: { name: N; args: SyncMutationInput<N> } }[SyncMutationName];

/** An installer's everyday edit of one of `jobs`: fields, status, check-in or note. */
function randomEdit(random: Random, jobs: readonly string[], label: string): Edit {
  const job_id = random.pick(jobs);
  switch (random.int(6)) {
    case 0:
      return { name: "job.updateFields", args: { job_id, fields: { title: `${label} title` } } };
    case 1: {
      const checklist = { [random.pick(["tiles", "plumbing", "electrics"])]: random.next() < 0.5 };
      return { name: "job.updateFields", args: { job_id, fields: { checklist } } };
    }
    case 2: {
      const expected_completion = `2027-0${1 + random.int(9)}-1${random.int(10)}`;
      return { name: "job.updateFields", args: { job_id, fields: { expected_completion } } };
    }
    case 3:
      return {
        name: "job.setStatus",
        args: { job_id, status: random.pick(["active", "on_hold", "completed"]) },
      };
    case 4:
      return { name: "checkin.create", args: { id: random.uuid(), job_id, gps: GPS, note: label } };
    default:
      return { name: "note.create", args: { id: random.uuid(), job_id, body: label } };
  }
}

const mutate = (device: SyncClient, edit: Edit) =>
  device.mutate(edit.name, edit.args as Parameters<typeof device.mutate>[1]);

describe("push", () => {
  it("pushes the same batch twice: the second time changes nothing", async () => {
    const { company, alice, jobId } = await installerWithJob("Bathroom");
    // The app dies between the push's answer and saving it, so it sends the same batch again.
    const memory = memorySyncStore();
    let crashes = 1;
    const store: SyncStore = {
      ...memory,
      async commit(write) {
        const acknowledging = write.state?.lastAcknowledgedId !== undefined && !("cursor" in write.state);
        if (acknowledging && crashes-- > 0) throw new Error("app killed before saving the answer");
        return memory.commit(write);
      },
    };
    const w = wire();
    const device = company.device(alice.credential, { fetch: w.fetch, store });
    await device.pull();
    await device.mutate("checkin.create", { job_id: jobId, gps: GPS });
    await device.mutate("note.create", { job_id: jobId, body: "Tiles delivered" });
    await device.mutate("job.setStatus", { job_id: jobId, status: "on_hold" });
    await device.mutate("job.updateFields", {
      job_id: jobId,
      fields: { title: "Bathroom refit", checklist: { tiles: true } },
    });
    expect(await rejection(device.push())).toMatchObject({ message: "app killed before saving the answer" });
    expect(await device.pending()).toHaveLength(4);

    // Another device of the same user holds the server's state and a cursor at its end.
    const observer = company.device(alice.credential);
    await observer.pull();
    const before = await viewOf(observer);
    expect(before[`job:${jobId}`]).toMatchObject({ title: "Bathroom refit", status: "on_hold" });

    expect(await device.push()).toEqual({ requests: 1, acknowledged: 4, rejected: [] });
    const [first, second] = w.pushes();
    expect(second).toEqual(first);
    expect(second?.map((m) => m.id)).toEqual([1, 2, 3, 4]);
    // Any write to a job or an activity would be in the change log that a pull reads.
    expect(await observer.pull()).toMatchObject({ changes: 0, complete: true });
    expect(await viewOf(observer)).toEqual(before);
    await device.pull();
    expect(await viewOf(device)).toEqual(before);
    expect(await device.pending()).toEqual([]);
    expect(await activityIds(company, "check_in")).toHaveLength(1);
  });

  it("retries a push whose answer was lost (and a 429, a 503) without duplicating anything", async () => {
    const { company, alice, jobId } = await installerWithJob("Kitchen");
    const w = wire();
    const device = company.device(alice.credential, { fetch: w.fetch });
    await device.pull();
    const checkIns = [crypto.randomUUID(), crypto.randomUUID()];
    for (const id of checkIns) await device.mutate("checkin.create", { id, job_id: jobId, gps: GPS });
    await device.mutate("note.create", { job_id: jobId, body: "Worktop measured" });
    w.fail(
      "/api/sync/push",
      answer(429, errorEnvelope("RATE_LIMITED"), { "retry-after": "0" }),
      answer(503, errorEnvelope("SERVICE_UNAVAILABLE")),
      "lose-answer",
    );
    expect(await device.push()).toMatchObject({ requests: 1, acknowledged: 3, rejected: [] });
    const pushes = w.pushes();
    expect(pushes).toHaveLength(4);
    for (const resent of pushes) expect(resent).toEqual(pushes[0]);

    // Lost again, with no retries left: the outbox keeps the batch for the next sync.
    await device.mutate("checkin.create", { job_id: jobId, gps: GPS });
    const impatient = company.device(alice.credential, { fetch: w.fetch, retries: 0 });
    await impatient.mutate("note.create", { job_id: jobId, body: "From a second phone" });
    w.fail("/api/sync/push", "lose-answer");
    expect(await rejection(impatient.push())).toBeInstanceOf(NexusNetworkError);
    expect(await impatient.pending()).toHaveLength(1);
    await impatient.sync();
    await device.sync();
    expect(await impatient.pending()).toEqual([]);

    expect(await activityIds(company, "check_in")).toHaveLength(3);
    expect(await activityIds(company, "check_in")).toEqual(expect.arrayContaining(checkIns));
    expect(await activityIds(company, "note")).toHaveLength(2);
    expect(await viewOf(device)).toEqual(await serverView(company, alice.credential));
  });

  it("resends from the server's last id after a gap, and sends a long outbox in order, 100 at a time", async () => {
    const { company, alice, jobId } = await installerWithJob("Loft");
    const w = wire();
    const device = company.device(alice.credential, { fetch: w.fetch });
    // A server that answered for 1–2 and then lost them (say, restored from a backup).
    w.fail("/api/sync/push", answer(200, { success: true, last_mutation_id: 2, rejected: [] }));
    await device.mutate("checkin.create", { job_id: jobId, gps: GPS });
    await device.mutate("checkin.create", { job_id: jobId, gps: GPS });
    await device.push();
    for (let i = 0; i < 118; i++) await device.mutate("note.create", { job_id: jobId, body: `note ${i}` });

    expect(await device.push()).toMatchObject({ requests: 3, rejected: [] });
    const ids = w.pushes().map((batch) => batch.map((m) => m.id));
    expect(ids.map((batch) => [batch[0], batch.at(-1)])).toEqual([
      [1, 2], // answered by the lost server
      [3, 102], // refused: SYNC_MUTATION_GAP, last_mutation_id 0
      [1, 100],
      [101, 120],
    ]);
    expect(await activityIds(company, "check_in")).toHaveLength(2);
    expect(await activityIds(company, "note")).toHaveLength(118);
    await device.pull();
    expect(await viewOf(device)).toEqual(await serverView(company, alice.credential));
  });

  it("stops with a NexusSyncError when the app must act: an old schema, or a device id from another store", async () => {
    const { company, alice, jobId } = await installerWithJob("Porch");
    const outdated = company.device(alice.credential, { schemaVersion: 0 });
    await outdated.mutate("note.create", { job_id: jobId, body: "Offline note" });
    for (const attempt of [outdated.push(), outdated.pull()]) {
      const error = await rejection(attempt);
      expect(error).toBeInstanceOf(NexusSyncError);
      expect(error).toMatchObject({ reason: "upgradeRequired", minSchemaVersion: 1 });
    }
    expect(await outdated.pending()).toHaveLength(1);

    // A reinstalled app that kept its device id but not its store would see its new mutations
    // acknowledged as the old ones, without effect: it is told instead.
    const deviceId = "device-reinstalled-1";
    const before = company.device(alice.credential, { deviceId });
    await before.mutate("note.create", { job_id: jobId, body: "Before the reinstall" });
    await before.mutate("note.create", { job_id: jobId, body: "Also before" });
    await before.push();
    const after = company.device(alice.credential, { deviceId });
    await after.mutate("note.create", { job_id: jobId, body: "After the reinstall" });
    for (const attempt of [after.pull(), after.push()]) {
      expect(await rejection(attempt)).toMatchObject({ name: "NexusSyncError", reason: "deviceReused" });
    }
  });
});

describe("conflicts", () => {
  it.each(["alice first", "bob first"])(
    "two devices make 50 offline edits each to shared jobs and sync (%s): both end equal to the server",
    async (order) => {
      const company = await setupCompany();
      const alice = await company.member("installer");
      const bob = await company.member("installer");
      const jobs = [
        await company.job("Bathroom", { installer: alice.userId, surveyor: bob.userId }),
        await company.job("Kitchen", { installer: alice.userId, surveyor: bob.userId }),
        await company.job("Utility", { installer: alice.userId, surveyor: bob.userId }),
      ];
      const devices = { alice: company.device(alice.credential), bob: company.device(bob.credential) };
      await devices.alice.pull();
      await devices.bob.pull();
      const initial = await viewOf(devices.alice);

      const random = prng(order === "alice first" ? 11 : 12);
      const edits = { alice: [] as Edit[], bob: [] as Edit[] };
      for (let i = 0; i < 100; i++) {
        const who = i % 2 === 0 ? "alice" : "bob";
        const edit = randomEdit(random, jobs, `${who} ${i}`);
        edits[who].push(edit);
        await mutate(devices[who], edit);
      }
      const [first, second] =
        order === "alice first" ? (["alice", "bob"] as const) : (["bob", "alice"] as const);
      expect((await devices[first].sync()).push.rejected).toEqual([]);
      expect((await devices[second].sync()).push.rejected).toEqual([]);
      await devices[first].pull();

      const truth = await serverView(company, alice.credential);
      expect(await viewOf(devices.alice)).toEqual(truth);
      expect(await viewOf(devices.bob)).toEqual(truth);
      expect(await serverView(company, bob.credential)).toEqual(truth);
      // Per field, the server's order decides: the edits of the device that pushed second win.
      for (const jobId of jobs) {
        const expected = structuredClone(initial[`job:${jobId}`]) as Record<string, unknown>;
        for (const edit of [...edits[first], ...edits[second]]) {
          const args = edit.args as Record<string, unknown> & { fields?: Record<string, unknown> };
          if (args.job_id !== jobId) continue;
          if (edit.name === "job.setStatus") expected.status = args.status;
          if (edit.name !== "job.updateFields" || !args.fields) continue;
          const { checklist, ...fields } = args.fields;
          Object.assign(expected, fields);
          expected.checklist = { ...(expected.checklist as object), ...(checklist as object) };
        }
        expect(truth[`job:${jobId}`]).toMatchObject({
          title: expected.title,
          status: expected.status,
          checklist: expected.checklist,
          expected_completion: expected.expected_completion,
        });
      }
      // Every check-in from both, exactly once.
      const made = [...edits.alice, ...edits.bob]
        .filter((edit) => edit.name === "checkin.create")
        .map((edit) => (edit.args as { id: string }).id);
      expect(made.length).toBeGreaterThan(5);
      expect(await activityIds(company, "check_in")).toEqual([...made].sort());
      expect(
        Object.keys(truth).filter((key) => (truth[key] as { type?: string }).type === "check_in"),
      ).toHaveLength(made.length);
    },
  );

  it("moves a reassigned job out of one installer's device and into another's", async () => {
    const company = await setupCompany();
    const alice = await company.member("installer");
    const bob = await company.member("installer");
    const moving = await company.job("Shower room", { installer: alice.userId });
    const staying = await company.job("Cloakroom", { installer: alice.userId });
    const devices = { alice: company.device(alice.credential), bob: company.device(bob.credential) };
    const firstVisit = await devices.alice.mutate("checkin.create", { job_id: moving, gps: GPS });
    await devices.alice.sync();
    await devices.bob.sync();
    expect(await devices.bob.view.list()).toEqual([]);

    // Offline, Alice edits the job while the office gives it to Bob.
    await devices.alice.mutate("job.updateFields", { job_id: moving, fields: { title: "Alice's title" } });
    await devices.alice.mutate("checkin.create", { job_id: moving, gps: GPS });
    await company.reassign(moving, { installer: bob.userId });

    const synced = await devices.alice.sync();
    expect(synced.push.rejected.map((r) => [r.mutation.id, r.code])).toEqual([
      [2, "NOT_ASSIGNED"],
      [3, "NOT_ASSIGNED"],
    ]);
    const aliceView = await viewOf(devices.alice);
    expect(Object.keys(aliceView).filter((key) => key.includes(moving))).toEqual([]);
    expect(
      Object.values(aliceView).filter((row) => (row as { project_id?: string }).project_id === moving),
    ).toEqual([]);
    expect(aliceView[`job:${staying}`]).toBeDefined();
    expect(aliceView).toEqual(await serverView(company, alice.credential));

    await devices.bob.pull();
    const bobView = await viewOf(devices.bob);
    expect(bobView[`job:${moving}`]).toMatchObject({
      title: "Shower room",
      assignments: { installer: bob.userId },
    });
    expect(bobView[`activity:${firstVisit.args.id}`]).toMatchObject({ type: "check_in", project_id: moving });
    expect(bobView[`job:${staying}`]).toBeUndefined();
    expect(bobView).toEqual(await serverView(company, bob.credential));
  });

  it("rejects an illegal stage change while the mutations after it apply, and says so", async () => {
    const company = await setupCompany();
    // A member may move jobs between stages (installers may not), so the pipeline's rules decide.
    const manager = await company.member("member");
    const jobId = await company.job("Wet room");
    const seen: SyncRejection[] = [];
    const device = company.device(manager.credential, { onRejected: (rejected) => seen.push(...rejected) });
    await device.pull();
    const stage = (await device.view.get("job", jobId))?.stage;
    const illegal = await device.mutate("job.setStage", { job_id: jobId, stage: "completion" });
    const checkIn = await device.mutate("checkin.create", { job_id: jobId, gps: GPS });
    await device.mutate("job.updateFields", { job_id: jobId, fields: { title: "Wet room, tanked" } });
    await device.mutate("job.setStatus", { job_id: jobId, status: "on_hold" });
    expect(await device.view.get("job", jobId)).toMatchObject({
      stage: "completion",
      title: "Wet room, tanked",
    });

    const pushed = await device.push();
    const expected = [{ mutation: illegal, code: "ILLEGAL_STAGE_CHANGE", message: expect.any(String) }];
    expect(pushed.rejected).toEqual(expected);
    expect(seen).toEqual(expected);
    expect(device.rejections()).toEqual(expected);
    // The refused stage leaves the view at once; the accepted edits stay, before any pull.
    expect(await device.view.get("job", jobId)).toMatchObject({
      stage,
      title: "Wet room, tanked",
      status: "on_hold",
    });
    await device.pull();
    const truth = await serverView(company, manager.credential);
    expect(await viewOf(device)).toEqual(truth);
    expect(truth[`job:${jobId}`]).toMatchObject({ stage, title: "Wet room, tanked", status: "on_hold" });
    expect(truth[`activity:${checkIn.args.id}`]).toMatchObject({ type: "check_in" });
  });

  // Fails against the server as committed: see the report of this change. A retried push skips the
  // mutations the first attempt applied (`if (mutation.id <= last) continue` in applyMutations) and
  // so answers `rejected: []` for them, although sync_mutation_log holds their rejection. The device
  // then drops the mutation at its next pull without ever learning why its edit vanished.
  it("still reports a rejection when the push's answer was lost and the retry is acknowledged", async () => {
    const company = await setupCompany();
    const manager = await company.member("member");
    const jobId = await company.job("En-suite");
    const w = wire();
    const device = company.device(manager.credential, { fetch: w.fetch });
    await device.pull();
    const illegal = await device.mutate("job.setStage", { job_id: jobId, stage: "completion" });
    await device.mutate("note.create", { job_id: jobId, body: "Screed poured" });
    w.fail("/api/sync/push", "lose-answer");
    const pushed = await device.push();
    expect(w.pushes()).toHaveLength(2);
    expect(
      pushed.rejected.map((r) => [r.mutation.id, r.code]),
      "server: a resent push answers rejected: [] for mutations its lost answer refused (see above)",
    ).toEqual([[illegal.id, "ILLEGAL_STAGE_CHANGE"]]);
  });

  it("lets no device clock order anything: two days ahead, the server's order still decides", async () => {
    const company = await setupCompany();
    const alice = await company.member("installer");
    const bob = await company.member("installer");
    const jobId = await company.job("Garden room", { installer: alice.userId, surveyor: bob.userId });
    const twoDays = 2 * 86_400_000;
    const w = wire();
    const ahead = company.device(alice.credential, { fetch: w.fetch, clock: () => Date.now() + twoDays });
    const onTime = company.device(bob.credential);
    await ahead.pull();
    await onTime.pull();
    const job = async () => (await serverView(company, alice.credential))[`job:${jobId}`];

    // Alice's clock says her edit is two days newer; Bob's reaches the server later, so it wins.
    await ahead.mutate("job.updateFields", { job_id: jobId, fields: { title: "From the fast clock" } });
    const checkIn = await ahead.mutate("checkin.create", { job_id: jobId, gps: GPS });
    await onTime.mutate("job.updateFields", { job_id: jobId, fields: { title: "From the right clock" } });
    await ahead.push();
    await onTime.push();
    const clientTime = Date.parse(w.pushes()[0]?.[0]?.client_time ?? "");
    expect(clientTime).toBeGreaterThan(Date.now() + twoDays - 60_000);
    expect(await job()).toMatchObject({ title: "From the right clock" });

    // And the other way round: the same clocks, the other order, the other winner.
    await onTime.mutate("job.updateFields", { job_id: jobId, fields: { title: "Right clock, first" } });
    await onTime.push();
    await ahead.mutate("job.updateFields", { job_id: jobId, fields: { title: "Fast clock, second" } });
    await ahead.push();
    expect(await job()).toMatchObject({ title: "Fast clock, second" });

    // The check-in happened now, by the server's clock, not two days from now.
    await ahead.pull();
    await onTime.pull();
    const occurred = Date.parse(
      (await ahead.view.get("activity", String(checkIn.args.id)))?.occurred_at ?? "",
    );
    expect(Math.abs(occurred - Date.now())).toBeLessThan(60_000);
    // Each overwritten value is logged, in the server's order.
    const { results } = await (await company.db())
      .prepare(
        "SELECT previous, value FROM sync_overwrites WHERE project_id = ? AND field = 'title' ORDER BY id",
      )
      .bind(jobId)
      .all<{ previous: string; value: string }>();
    expect(results.map((row) => JSON.parse(row.value))).toEqual([
      "From the fast clock",
      "From the right clock",
      "Right clock, first",
      "Fast clock, second",
    ]);
    const truth = await serverView(company, alice.credential);
    expect(await viewOf(ahead)).toEqual(truth);
    expect(await viewOf(onTime)).toEqual(truth);
  });
});

/** JPEG-looking bytes: the signature the API sniffs, then a pattern. */
function jpegBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + (i >>> 11)) & 255;
  bytes.set([0xff, 0xd8, 0xff, 0xe0]);
  return bytes;
}

describe("photos", () => {
  it("resumes a photo upload cut at 60% with a matching checksum, while data sync keeps working", {
    timeout: 60_000,
  }, async () => {
    const { company, alice, jobId } = await installerWithJob("Bathroom");
    const photo = jpegBytes(25 * MiB); // five parts of 5 MiB: the cut falls after the third
    // The network carries part bytes up to 60% of the photo, then fails every part request until
    // `reconnect`; after that the next part request waits for `release` (a paused upload).
    const network = { delivered: 0, cutAt: 0.6 * photo.length, connected: false, paused: false };
    let release = () => {};
    const w = wire(async (input, init) => {
      if (!/\/parts\/\d+$/.test(new URL(input).pathname)) return toWorker(input, init);
      const size = (init.body as Uint8Array).byteLength;
      if (!network.connected && network.delivered + size > network.cutAt) throw new TypeError("network lost");
      if (network.paused) await new Promise<void>((resume) => (release = resume));
      network.delivered += size;
      return toWorker(input, init);
    });
    const device = company.device(alice.credential, { fetch: w.fetch, retries: 2 });
    const parts = () =>
      w.sent.filter((r) => /\/parts\/\d+$/.test(r.path)).map((r) => r.path.split("/").at(-1));

    const { id, mutation } = await device.uploadPhoto({
      jobId,
      name: "before.jpg",
      content: photo,
      tags: ["site"],
    });
    expect(mutation.args).toMatchObject({
      id,
      job_id: jobId,
      size: photo.length,
      sha256: await sha256Hex(photo),
    });
    // Not registered yet: the bytes wait for the push, and the upload sends nothing.
    expect(await device.uploadPhotos()).toMatchObject({ uploaded: [], waiting: 1 });
    expect(w.sent).toEqual([]);
    await device.sync();
    expect(await device.view.get("document", id)).toMatchObject({ status: "uploading", project_id: jobId });

    const cut = await device.uploadPhotos();
    expect(cut.error).toBeInstanceOf(NexusNetworkError);
    expect(cut).toMatchObject({ uploaded: [], waiting: 1 });
    const stored = await asOperator<{ parts: { part_number: number; size: number }[] }>(
      `${admin(company.companyId)}/documents/${id}/parts`,
    );
    expect(stored.parts.map((p) => p.part_number)).toEqual([1, 2, 3]);
    expect(stored.parts.reduce((sum, p) => sum + p.size, 0)).toBe(0.6 * photo.length);

    // Data sync goes on while the photo cannot upload…
    const during = await device.mutate("checkin.create", { job_id: jobId, gps: GPS });
    expect((await device.sync()).push).toMatchObject({ acknowledged: 1, rejected: [] });
    expect(await device.view.get("activity", String(during.args.id))).toMatchObject({ type: "check_in" });

    // …and while an upload hangs.
    Object.assign(network, { connected: true, paused: true });
    const partsBefore = parts().length;
    const resuming = device.uploadPhotos();
    await waitFor(() => parts().length > partsBefore, 5_000, "the resumed part request");
    const meanwhile = await device.mutate("note.create", { job_id: jobId, body: "Upload still running" });
    const synced = await Promise.race([
      device.sync().then(() => "synced"),
      sleep(5_000).then(() => "blocked"),
    ]);
    expect(synced).toBe("synced");
    expect(await device.view.get("activity", String(meanwhile.args.id))).toMatchObject({ type: "note" });
    network.paused = false;
    release();

    const resumed = await resuming;
    expect(resumed).toMatchObject({ waiting: 0, refused: [] });
    expect(resumed.uploaded).toHaveLength(1);
    expect(resumed.uploaded[0]).toMatchObject({ id, status: "ready", sha256: await sha256Hex(photo) });
    // Only the parts the cut lost were sent again.
    expect(parts().slice(partsBefore)).toEqual(["4", "5"]);
    const download = await callAsOperator(`${admin(company.companyId)}/documents/${id}/content`);
    expect(download.status).toBe(200);
    expect(await sha256Hex(new Uint8Array(await download.arrayBuffer()))).toBe(await sha256Hex(photo));
    await device.pull();
    expect(await device.view.get("document", id)).toMatchObject({ status: "ready", size: photo.length });
    expect(await viewOf(device)).toEqual(await serverView(company, alice.credential));
  });

  it("registers a photo again when its registration went missing, so a refusal drops it instead of a stray upload", async () => {
    const { company, alice, jobId } = await installerWithJob("Cellar");
    const bob = await company.member("installer");
    const w = wire();
    const seen: SyncRejection[] = [];
    const device = company.device(alice.credential, { fetch: w.fetch, onRejected: (r) => seen.push(...r) });
    await device.pull();
    const { id } = await device.uploadPhoto({ jobId, name: "cellar.jpg", content: jpegBytes(4_096) });
    // The job goes to Bob, and the answer to the push that registers the photo is lost.
    await company.reassign(jobId, { installer: bob.userId });
    w.fail("/api/sync/push", "lose-answer");
    await device.sync();
    await device.uploadPhotos();
    await device.push();

    expect(seen.map((r) => [r.mutation.name, r.mutation.args.id, r.code])).toEqual([
      ["photo.register", id, "NOT_ASSIGNED"],
    ]);
    expect(await device.uploadPhotos()).toEqual({ uploaded: [], refused: [], waiting: 0 });
    // Never a document declared on its own, for a job that is not Alice's.
    expect(w.sent.filter((r) => r.path.includes("/documents"))).toEqual([]);
    const stored = await (await company.db())
      .prepare("SELECT count(*) AS n FROM documents")
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });
});

describe("pull", () => {
  it("converges over 200 random interleavings of edits, pushes and paged pulls, seeing only the user's rows", {
    timeout: 120_000,
  }, async () => {
    const seed = 20_261_121;
    const random = prng(seed);
    const company = await setupCompany();
    const rival = await setupCompany();
    const alice = await company.member("installer");
    const carol = await company.member("installer");
    const installerOf = new Map<string, string>();
    for (const [title, user] of [
      ["Bathroom", alice],
      ["Kitchen", alice],
      ["Utility", alice],
      ["Carol's loft", carol],
    ] as const) {
      const id = await company.job(title, { installer: user.userId });
      installerOf.set(id, user.userId);
    }
    const movable = [...installerOf.keys()];
    const unassigned = await company.job("Nobody's porch");
    const rivalJob = await rival.job("Rival's kitchen");
    const rivalOffice = rival.device(operator);
    const office = company.device(operator);
    const w = wire();
    const device = company.device(alice.credential, { fetch: w.fetch, pullLimit: 7, newId: random.uuid });
    const checkIns: string[] = [];

    /** Every change of every page is in Alice's scope at the time, and of her company. */
    let checkedPages = 0;
    const checkPages = () => {
      const mine = new Set([...installerOf].filter(([, user]) => user === alice.userId).map(([job]) => job));
      for (const page of w.pages.slice(checkedPages)) {
        for (const change of page.changes) {
          expect([unassigned, rivalJob]).not.toContain(change.id);
          if (change.op !== "put") continue;
          const data = change.data as { project_id?: string | null; assignments?: Record<string, string> };
          if (change.entity === "job") {
            expect(mine, `job ${change.id} in a page of seed ${seed}`).toContain(change.id);
            expect(Object.values(data.assignments ?? {})).toContain(alice.userId);
          } else {
            expect(mine, `${change.entity} ${change.id} in a page of seed ${seed}`).toContain(
              data.project_id,
            );
          }
        }
      }
      checkedPages = w.pages.length;
    };
    const converged = async (step: number) => {
      await device.sync();
      checkPages();
      expect(await device.pending(), `step ${step} of seed ${seed}`).toEqual([]);
      expect(await viewOf(device), `step ${step} of seed ${seed}`).toEqual(
        await serverView(company, alice.credential),
      );
    };

    await device.pull();
    for (let step = 1; step <= 200; step++) {
      const roll = random.next();
      // A flaky network: requests lost on the way (pushes too), answers lost on the way back (pulls
      // only: a push whose answer is lost loses its rejections, see the test above).
      if (random.next() < 0.05) w.fail("/api/sync/", "drop");
      if (random.next() < 0.05) w.fail("/api/sync/pull", "lose-answer");
      if (roll < 0.5) {
        // Any job of the company, so edits of jobs taken away meanwhile get rejected.
        const edit = randomEdit(random, movable, `alice ${step}`);
        const mutation = await mutate(device, edit);
        if (mutation.name === "checkin.create") checkIns.push(String(mutation.args.id));
      } else if (roll < 0.6) {
        await device.push();
      } else if (roll < 0.74) {
        await device.pull({ maxPages: 1 });
      } else if (roll < 0.8) {
        await device.pull();
      } else if (roll < 0.92) {
        // Other people's work: the office edits any job (unassigned ones too), a rival company its own.
        await mutate(office, randomEdit(random, [...movable, unassigned], `office ${step}`));
        await office.push();
        if (random.next() < 0.25) {
          await mutate(rivalOffice, randomEdit(random, [rivalJob], `rival ${step}`));
          await rivalOffice.push();
        }
      } else {
        const jobId = random.pick(movable);
        const next = installerOf.get(jobId) === alice.userId ? carol.userId : alice.userId;
        await company.reassign(jobId, { installer: next });
        installerOf.set(jobId, next);
      }
      checkPages();
      // A pull never hides an edit not pushed yet: the last pending title of a job shows.
      const titles = new Map<string, unknown>();
      for (const m of await device.pending()) {
        const fields = m.args.fields as { title?: string } | undefined;
        if (m.name === "job.updateFields" && fields?.title) titles.set(String(m.args.job_id), fields.title);
      }
      for (const [jobId, title] of titles) {
        const job = await device.view.get("job", jobId);
        if (job) expect(job.title, `step ${step} of seed ${seed}`).toBe(title);
      }
      if (step === 100) await converged(step);
    }
    await converged(200);
    // Paging really interleaved: pulls stopped with more to come, then other steps ran.
    expect(w.pages.filter((page) => page.has_more).length).toBeGreaterThan(5);
    // Every check-in Alice made is there once, unless the server refused it (its job was taken away).
    const refused = new Set(device.rejections().map((r) => String(r.mutation.args.id)));
    const kept = checkIns.filter((id) => !refused.has(id));
    expect(kept.length).toBeGreaterThan(0);
    const stored = await activityIds(company, "check_in");
    expect(stored.filter((id) => checkIns.includes(id)).sort()).toEqual([...kept].sort());
  });

  it("pages a first sync of 10,000 rows in 14 requests of 1,000", { timeout: 60_000 }, async () => {
    const company = await setupCompany();
    const jobId = await company.job("Big job");
    await (await company.db())
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
         INSERT INTO activities (id, project_id, type, body, data, actor_type, occurred_at, created_at)
         SELECT 'bulk-' || i, ?, 'note', 'imported', '{}', 'system', i, i FROM n`,
      )
      .bind(jobId)
      .run();
    const w = wire();
    const device = company.device(operator, { fetch: w.fetch, pullLimit: 1000 });
    expect(await device.pull()).toMatchObject({ pages: 14, complete: true });
    expect(w.pages).toHaveLength(14);
    expect(await device.view.list("activity")).toHaveLength(10_001);
    expect(await device.view.list("job")).toHaveLength(1);
  });
});
