// In-app notification fan-out (`--routes notify-fanout`, `--sockets N`): N signed-in users of the
// bench company each hold a live socket (`/api/live`), one trigger of an in-app workflow goes to all
// of them (`to: [{ role }]`), and every socket's time from sending the trigger to receiving its
// `notification.new` frame is measured. The path measured is the real one: the trigger route renders
// and stores one message per user and queues one `deliver` message each, the API's own queue
// consumer (wrangler.toml [[queues.consumers]], run by Miniflare) claims each row and pushes the frame
// through the company's hub to the user's sockets.
//
// The users are written into the central D1 directly (user, member, session: better-auth's tables),
// not signed up through the API: a sign-up hashes a password (scrypt) and mails a link, a few hundred
// ms each on 2 cores, and the bench measures the fan-out, not sign-ups. Their session cookies are
// signed the way better-auth signs them (better-call's HMAC-SHA256 of the token with
// BETTER_AUTH_SECRET), checked first against the seed's owner, who signed in through the API.
import { createHmac, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import type { Miniflare } from "miniflare";
import { routes } from "../packages/contracts/src/routes.ts";
import type { ReportRow } from "./report.ts";
import type { BenchRoute, SeedContext } from "./routes.ts";
import { tenantBinding } from "./search.ts";

type D1Database = Awaited<ReturnType<Miniflare["getD1Database"]>>;

export const NOTIFY_BENCH = {
  /** The issue's figure, and the default of `--sockets`. */
  sockets: 1000,
  /** Triggers measured, one after another; a warm-up trigger before them is not counted. */
  rounds: 5,
  warmupRounds: 1,
  /**
   * The role the users get: installers have no installations:read, so their sockets are limited
   * `member` sockets (5 per user), outside the 50 dashboards a company may hold open.
   */
  role: "installer",
  /** A company workflow with the in-app channel only, created by the bench. */
  workflow: "bench.fanout",
  /** Sockets opening at once (each upgrade reads the session and the membership from D1). */
  connectConcurrency: 16,
  /** Users (and their members and sessions) per INSERT … SELECT over json_each. */
  seedChunk: 250,
  /** A round ends when every socket has its frame, or no frame came for this long, or at the cap. */
  stallSeconds: 20,
  roundCapSeconds: 180,
  /** Pause between rounds, so the previous round's last queue batches and writes are done. */
  pauseSeconds: 2,
} as const;

/** Seconds the fan-out may take (seed, connect, rounds), for the run's time budget. */
export const notifyBudgetSeconds = (sockets: number) =>
  60 + sockets * 0.2 + (NOTIFY_BENCH.rounds + NOTIFY_BENCH.warmupRounds) * NOTIFY_BENCH.roundCapSeconds;

export const notifyFanoutRoute: BenchRoute = {
  name: "notify-fanout",
  description: `POST ${routes.triggerNotification.path} (in-app, to a role of N users with live sockets): trigger to notification.new on every socket`,
  method: "POST",
  // Measured by measureNotifyFanout (run.ts), not by the load generator: this is its trigger.
  request: (context) => ({
    path: routes.triggerNotification.path.replace("{companyId}", context.companyId),
    headers: { authorization: `Bearer ${context.adminSecret}` },
    body: { workflow: NOTIFY_BENCH.workflow, to: [{ role: NOTIFY_BENCH.role }], payload: {} },
  }),
};

// ---- session cookies ---------------------------------------------------------------------------

/** better-call's signed cookie value: `token.base64(HMAC-SHA256(secret, token))`, URI-encoded. */
export function signedSessionValue(token: string, secret: string): string {
  const signature = createHmac("sha256", secret).update(token).digest("base64");
  return encodeURIComponent(`${token}.${signature}`);
}

/**
 * The session cookie's name and the check that we sign like better-auth: the seed's owner signed in
 * through the API, so re-signing their token must give their cookie's value.
 */
export function sessionCookieName(ownerCookie: string, secret: string): string {
  for (const pair of ownerCookie.split(";")) {
    const [name = "", ...rest] = pair.trim().split("=");
    if (!name.endsWith("session_token")) continue;
    const value = rest.join("=");
    const token = decodeURIComponent(value).split(".")[0] ?? "";
    if (signedSessionValue(token, secret) !== value) {
      throw new Error(
        "notify: re-signing the owner's session token does not give better-auth's cookie: its cookie signing changed (bench/notify.ts signedSessionValue)",
      );
    }
    return name;
  }
  throw new Error(`notify: the owner's cookie has no session token: ${ownerCookie.slice(0, 80)}`);
}

// ---- seeding -----------------------------------------------------------------------------------

export interface SeededUser {
  userId: string;
  cookie: string;
}

/** N users of the company with the bench role and a session each, written in chunks. */
export async function seedUsers(
  mf: Miniflare,
  companyId: string,
  count: number,
  secret: string,
  cookieName: string,
): Promise<SeededUser[]> {
  const central: D1Database = await mf.getD1Database("CENTRAL_DB");
  const now = Date.now();
  const run = randomBytes(4).toString("hex");
  const rows = Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(5, "0");
    return {
      user_id: `bench-fan-${run}-${n}`,
      member_id: `bench-fan-m-${run}-${n}`,
      session_id: `bench-fan-s-${run}-${n}`,
      token: randomBytes(24).toString("hex"),
      name: `Installer ${n}`,
      email: `installer-${run}-${n}@bench.example.com`,
    };
  });
  // One JSON parameter per statement: D1 binds at most 100 parameters.
  for (let start = 0; start < rows.length; start += NOTIFY_BENCH.seedChunk) {
    const chunk = JSON.stringify(rows.slice(start, start + NOTIFY_BENCH.seedChunk));
    const each = "FROM json_each(?1) AS j";
    const field = (name: string) => `json_extract(j.value, '$.${name}')`;
    await central.batch([
      central
        .prepare(
          `INSERT INTO user (id, name, email, email_verified, created_at, updated_at)
           SELECT ${field("user_id")}, ${field("name")}, ${field("email")}, 1, ?2, ?2 ${each}`,
        )
        .bind(chunk, now),
      central
        .prepare(
          `INSERT INTO member (id, organization_id, user_id, role, created_at)
           SELECT ${field("member_id")}, ?2, ${field("user_id")}, ?3, ?4 ${each}`,
        )
        .bind(chunk, companyId, NOTIFY_BENCH.role, now),
      central
        .prepare(
          `INSERT INTO session (id, expires_at, token, created_at, updated_at, user_id, active_organization_id)
           SELECT ${field("session_id")}, ?2, ${field("token")}, ?3, ?3, ${field("user_id")}, ?4 ${each}`,
        )
        .bind(chunk, now + 24 * 3600 * 1000, now, companyId),
    ]);
  }
  return rows.map((row) => ({
    userId: row.user_id,
    cookie: `${cookieName}=${signedSessionValue(row.token, secret)}`,
  }));
}

// ---- sockets -----------------------------------------------------------------------------------

/** Node's WebSocket (undici) takes request headers; the Workers types in scope do not say so. */
type NodeWebSocket = new (url: string, init: { headers: Record<string, string> }) => WebSocket;

interface Frame {
  type?: string;
  code?: string;
  message?: string;
  notification?: { data?: { run?: unknown; round?: unknown } };
}

export class FanoutSockets {
  readonly #sockets: WebSocket[] = [];
  /** Per round, per socket: ms from the trigger to the frame (undefined: not yet). */
  readonly #latencies = new Map<number, (number | undefined)[]>();
  readonly #sentAt = new Map<number, number>();
  #lastFrameAt = 0;
  #closing = false;
  duplicates = 0;
  closedEarly = 0;
  readonly closeReasons = new Map<string, number>();

  readonly run: string;

  constructor(run: string) {
    this.run = run;
  }

  get size(): number {
    return this.#sockets.length;
  }

  /** Opens one socket per user, `concurrency` at a time; each must get its `welcome` frame. */
  async open(baseUrl: URL, companyId: string, users: readonly SeededUser[], concurrency: number) {
    const url = new URL(`${routes.liveSocket.path}?company_id=${encodeURIComponent(companyId)}`, baseUrl);
    url.protocol = "ws:";
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < users.length) {
        const index = next++;
        const user = users[index];
        if (!user) break;
        try {
          this.#sockets[index] = await this.#connect(url.href, baseUrl.origin, user.cookie, index);
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (failures.length > 0) {
      const first = users[0];
      const answer = first ? await upgradeAnswer(url.href, baseUrl.origin, first.cookie) : "";
      throw new Error(
        `notify: ${failures.length} of ${users.length} sockets did not open; first: ${failures[0]}; the API answers the first user's upgrade with ${answer}`,
      );
    }
  }

  /** With the Origin a browser sends: the API refuses a cookie without one (cross-site WebSocket hijacking). */
  #connect(url: string, origin: string, cookie: string, index: number): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new (WebSocket as unknown as NodeWebSocket)(url, { headers: { cookie, origin } });
      let welcomed = false;
      const timer = setTimeout(() => {
        reject(new Error(`socket ${index}: no welcome within 30 s`));
        socket.close();
      }, 30_000);
      socket.addEventListener("message", (event) => {
        let frame: Frame;
        try {
          frame = JSON.parse(String(event.data)) as Frame;
        } catch {
          frame = { type: "unparsable" };
        }
        if (!welcomed) {
          clearTimeout(timer);
          if (frame.type === "welcome") {
            welcomed = true;
            resolve(socket);
          } else reject(new Error(`socket ${index}: first frame ${String(event.data).slice(0, 200)}`));
          return;
        }
        if (frame.type === "notification.new") this.#received(index, frame);
      });
      socket.addEventListener("close", (event) => {
        clearTimeout(timer);
        if (!welcomed) {
          reject(new Error(`socket ${index}: closed before welcome (${event.code} ${event.reason})`));
          return;
        }
        if (this.#closing) return;
        this.closedEarly++;
        const key = `${event.code} ${event.reason}`;
        this.closeReasons.set(key, (this.closeReasons.get(key) ?? 0) + 1);
      });
      socket.addEventListener("error", () => {
        clearTimeout(timer);
        if (!welcomed) reject(new Error(`socket ${index}: the upgrade failed (is the route answering 101?)`));
      });
    });
  }

  #received(index: number, frame: Frame): void {
    const now = performance.now();
    const data = frame.notification?.data;
    if (data?.run !== this.run || typeof data.round !== "number") return;
    const latencies = this.#latencies.get(data.round);
    const sentAt = this.#sentAt.get(data.round);
    if (!latencies || sentAt === undefined) return;
    if (latencies[index] !== undefined) {
      this.duplicates++;
      return;
    }
    latencies[index] = now - sentAt;
    this.#lastFrameAt = now;
  }

  /** Starts a round's clock; call right before sending its trigger. */
  start(round: number): void {
    this.#latencies.set(round, new Array<number | undefined>(this.#sockets.length).fill(undefined));
    this.#lastFrameAt = performance.now();
    this.#sentAt.set(round, this.#lastFrameAt);
  }

  arrived(round: number): number {
    return (this.#latencies.get(round) ?? []).filter((value) => value !== undefined).length;
  }

  /** Waits until every socket has the round's frame, frames stop coming, or the cap. */
  async settle(round: number): Promise<"all" | "stalled" | "cap"> {
    const began = performance.now();
    for (;;) {
      if (this.arrived(round) >= this.#sockets.length) return "all";
      const now = performance.now();
      if (now - this.#lastFrameAt > NOTIFY_BENCH.stallSeconds * 1000) return "stalled";
      if (now - began > NOTIFY_BENCH.roundCapSeconds * 1000) return "cap";
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  latencies(round: number): (number | undefined)[] {
    return this.#latencies.get(round) ?? [];
  }

  close(): void {
    this.#closing = true;
    for (const socket of this.#sockets) socket?.close(1000, "bench done");
  }
}

/** The status and body the API answers an upgrade with (a WebSocket client only says it failed). */
function upgradeAnswer(wsUrl: string, origin: string, cookie: string): Promise<string> {
  const url = new URL(wsUrl);
  url.protocol = "http:";
  return new Promise((resolve) => {
    const request = httpRequest(url, {
      headers: {
        cookie,
        origin,
        connection: "Upgrade",
        upgrade: "websocket",
        "sec-websocket-version": "13",
        "sec-websocket-key": randomBytes(16).toString("base64"),
      },
      timeout: 10_000,
    });
    request.on("upgrade", (_response, socket) => {
      socket.destroy();
      resolve("101 (it upgrades now)");
    });
    request.on("response", (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on("end", () => resolve(`${response.statusCode}: ${body.slice(0, 500)}`));
    });
    request.on("error", (error) => resolve(`no answer (${error.message})`));
    request.end();
  });
}

// ---- the figures (pure) ------------------------------------------------------------------------

/** Nearest rank, as the other bench figures are computed. */
export function percentile(values: readonly number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] ?? null;
}

export interface LatencySummary {
  /** Frames expected (sockets × rounds) and received. */
  expected: number;
  arrived: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** Pools the rounds' per-socket latencies; a socket without its frame counts as missing, not as a time. */
export function summarize(rounds: readonly (readonly (number | undefined)[])[]): LatencySummary {
  const times = rounds.flatMap((round) => round.filter((value): value is number => value !== undefined));
  return {
    expected: rounds.reduce((sum, round) => sum + round.length, 0),
    arrived: times.length,
    p50Ms: percentile(times, 0.5),
    p99Ms: percentile(times, 0.99),
    maxMs: times.length === 0 ? null : Math.max(...times),
  };
}

// ---- the run -----------------------------------------------------------------------------------

export interface FanoutRound extends LatencySummary {
  round: number;
  /** The trigger route's own round trip (render, store and queue N messages). */
  triggerMs: number;
  triggerStatus: number;
  /** The first socket's frame. */
  firstMs: number | null;
  ended: "all" | "stalled" | "cap";
  /** Message rows of the round by status (and reason), read from the tenant database afterwards. */
  statuses: Record<string, number>;
}

export interface NotifyFanout {
  sockets: number;
  role: string;
  workflow: string;
  seedSeconds: number;
  connectSeconds: number;
  /** What the company's hub counts as open member/dashboard sockets once all are open. */
  hubSockets: number | null;
  rounds: FanoutRound[];
  total: LatencySummary;
  /** GET /health/live, one at a time, while the rounds ran: how the API answered during the fan-out. */
  noopDuring: { requests: number; p50Ms: number | null; p99Ms: number | null };
  duplicates: number;
  closedEarly: number;
  closeReasons: Record<string, number>;
}

async function operatorCall(baseUrl: URL, adminSecret: string, method: string, path: string, body?: unknown) {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: { authorization: `Bearer ${adminSecret}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(120_000),
  });
  return { status: response.status, text: await response.text() };
}

/** The bench's in-app-only workflow and its English in-app template. */
async function createWorkflow(baseUrl: URL, context: SeedContext): Promise<void> {
  const company = (path: string) => path.replace("{companyId}", context.companyId);
  const created = await operatorCall(
    baseUrl,
    context.adminSecret,
    "POST",
    company(routes.createNotificationWorkflow.path),
    {
      key: NOTIFY_BENCH.workflow,
      name: "Bench fan-out",
      category: "bench",
      channels: ["in_app"],
    },
  );
  if (created.status !== 201) {
    throw new Error(
      `notify: creating workflow ${NOTIFY_BENCH.workflow} -> ${created.status}: ${created.text}`,
    );
  }
  const template = await operatorCall(
    baseUrl,
    context.adminSecret,
    "PUT",
    company(routes.saveNotificationTemplate.path)
      .replace("{workflowKey}", NOTIFY_BENCH.workflow)
      .replace("{channel}", "in_app")
      .replace("{locale}", "en"),
    {
      subject: "Round {{ payload.round }}",
      body: "Fan-out round {{ payload.round }} of bench run {{ payload.run }}.",
    },
  );
  if (template.status < 200 || template.status > 201) {
    throw new Error(`notify: saving the in-app template -> ${template.status}: ${template.text}`);
  }
}

async function roundStatuses(tenant: D1Database, key: string): Promise<Record<string, number>> {
  const { results } = await tenant
    .prepare(
      "SELECT status, coalesce(status_reason, '') AS reason, count(*) AS n FROM notification_messages WHERE idempotency_key = ?1 GROUP BY 1, 2",
    )
    .bind(key)
    .all<{ status: string; reason: string; n: number }>();
  return Object.fromEntries(
    results.map((row) => [row.reason ? `${row.status} (${row.reason})` : row.status, row.n]),
  );
}

/** Sequential no-op requests until `done` resolves; their round trips. */
async function probeNoop(baseUrl: URL, done: Promise<unknown>): Promise<number[]> {
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  const times: number[] = [];
  const url = new URL(routes.live.path, baseUrl);
  while (!finished) {
    const began = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    if (response.ok) times.push(performance.now() - began);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return times;
}

export async function measureNotifyFanout(
  mf: Miniflare,
  baseUrl: URL,
  context: SeedContext,
  options: { sockets: number; betterAuthSecret: string; onSockets: (sockets: FanoutSockets) => void },
  log: (line: string) => void,
): Promise<NotifyFanout> {
  const cookieName = sessionCookieName(context.ownerCookie, options.betterAuthSecret);
  await createWorkflow(baseUrl, context);
  let began = performance.now();
  const users = await seedUsers(mf, context.companyId, options.sockets, options.betterAuthSecret, cookieName);
  const seedSeconds = (performance.now() - began) / 1000;
  log(
    `notify: ${users.length} users (role ${NOTIFY_BENCH.role}) with sessions written in ${seedSeconds.toFixed(1)} s`,
  );

  const run = randomBytes(6).toString("hex");
  const sockets = new FanoutSockets(run);
  options.onSockets(sockets);
  began = performance.now();
  await sockets.open(baseUrl, context.companyId, users, NOTIFY_BENCH.connectConcurrency);
  const connectSeconds = (performance.now() - began) / 1000;
  const hub = await operatorCall(
    baseUrl,
    context.adminSecret,
    "GET",
    routes.hubStats.path.replace("{companyId}", context.companyId),
  );
  const hubSockets =
    hub.status === 200
      ? ((JSON.parse(hub.text) as { sockets?: { dashboards?: number } }).sockets?.dashboards ?? null)
      : null;
  log(
    `notify: ${sockets.size} sockets open in ${connectSeconds.toFixed(1)} s (${(sockets.size / connectSeconds).toFixed(0)}/s); the hub counts ${hubSockets ?? "?"} member/dashboard sockets`,
  );

  const tenant = await tenantBinding(mf, context.companyId);
  const trigger = notifyFanoutRoute.request(context);
  const rounds: FanoutRound[] = [];
  const measuredLatencies: (number | undefined)[][] = [];
  const noop: number[] = [];
  const total = NOTIFY_BENCH.warmupRounds + NOTIFY_BENCH.rounds;
  for (let round = 0; round < total; round++) {
    const warmup = round < NOTIFY_BENCH.warmupRounds;
    const key = `bench-fanout-${run}-${round}`;
    sockets.start(round);
    const sent = performance.now();
    const response = await fetch(new URL(trigger.path, baseUrl), {
      method: "POST",
      headers: { ...trigger.headers, "content-type": "application/json", "idempotency-key": key },
      body: JSON.stringify({ ...(trigger.body as object), payload: { run, round } }),
      signal: AbortSignal.timeout(NOTIFY_BENCH.roundCapSeconds * 1000),
    });
    const text = await response.text();
    const triggerMs = performance.now() - sent;
    if (response.status !== 202) {
      throw new Error(
        `notify: round ${round}: the trigger answered ${response.status}: ${text.slice(0, 500)}`,
      );
    }
    const queued = (JSON.parse(text) as { messages?: { status: string }[] }).messages ?? [];
    const settled = sockets.settle(round);
    const probes = probeNoop(baseUrl, settled);
    const ended = await settled;
    if (!warmup) noop.push(...(await probes));
    else await probes;
    const latencies = sockets.latencies(round);
    const summary = summarize([latencies]);
    const statuses = await roundStatuses(tenant, key);
    const arrivedTimes = latencies.filter((value): value is number => value !== undefined);
    rounds.push({
      round,
      ...summary,
      triggerMs,
      triggerStatus: response.status,
      firstMs: arrivedTimes.length === 0 ? null : Math.min(...arrivedTimes),
      ended,
      statuses,
    });
    log(
      `notify: ${warmup ? "warm-up" : "round"} ${round}: trigger ${response.status} in ${triggerMs.toFixed(0)} ms (${queued.length} messages), ` +
        `${summary.arrived}/${summary.expected} frames, p50 ${ms(summary.p50Ms)} p99 ${ms(summary.p99Ms)} max ${ms(summary.maxMs)}; ` +
        `rows ${JSON.stringify(statuses)}${ended === "all" ? "" : ` (${ended})`}`,
    );
    if (summary.arrived === 0) {
      throw new Error(
        `notify: round ${round}: no socket got its notification.new within ${NOTIFY_BENCH.stallSeconds} s; the round's message rows: ${JSON.stringify(statuses)} ` +
          "(all queued: the queue consumer did not deliver; delivered: the hub push did not reach the sockets)",
      );
    }
    if (!warmup) measuredLatencies.push(latencies);
    await new Promise((resolve) => setTimeout(resolve, NOTIFY_BENCH.pauseSeconds * 1000));
  }
  sockets.close();
  return {
    sockets: sockets.size,
    role: NOTIFY_BENCH.role,
    workflow: NOTIFY_BENCH.workflow,
    seedSeconds,
    connectSeconds,
    hubSockets,
    rounds,
    total: summarize(measuredLatencies),
    noopDuring: { requests: noop.length, p50Ms: percentile(noop, 0.5), p99Ms: percentile(noop, 0.99) },
    duplicates: sockets.duplicates,
    closedEarly: sockets.closedEarly,
    closeReasons: Object.fromEntries(sockets.closeReasons),
  };
}

const ms = (value: number | null | undefined) => (value == null ? "n/a" : `${value.toFixed(1)} ms`);
const times = (value: number | null, base: number | null | undefined) =>
  value == null || base == null || base <= 0 ? "n/a" : `${(value / base).toFixed(0)}x`;

export function formatNotifyFanout(fanout: NotifyFanout, rows: readonly ReportRow[]): string {
  const baseline = rows.find((row) => row.route === "baseline");
  const { total } = fanout;
  const measured = fanout.rounds.filter((round) => round.round >= NOTIFY_BENCH.warmupRounds);
  return [
    `notify-fanout: ${fanout.sockets} sockets of one company (role ${fanout.role}, one per user), ${measured.length} triggers of an in-app workflow one after another (after ${NOTIFY_BENCH.warmupRounds} warm-up)`,
    `  trigger -> notification.new: ${total.arrived}/${total.expected} frames, p50 ${ms(total.p50Ms)}, p99 ${ms(total.p99Ms)}, max ${ms(total.maxMs)}`,
    `  vs the no-op of the same run (the table's baseline row, under the load generator): p50 ${ms(baseline?.p50Ms)} -> ${times(total.p50Ms, baseline?.p50Ms)}, p99 ${ms(baseline?.p99Ms)} -> ${times(total.p99Ms, baseline?.p99Ms)}`,
    `  no-op during the fan-out (one request at a time, ${fanout.noopDuring.requests} requests): p50 ${ms(fanout.noopDuring.p50Ms)}, p99 ${ms(fanout.noopDuring.p99Ms)}`,
    ...measured.map(
      (round) =>
        `  round ${round.round}: trigger answered in ${ms(round.triggerMs)}; first frame ${ms(round.firstMs)}, p50 ${ms(round.p50Ms)}, p99 ${ms(round.p99Ms)}, last ${ms(round.maxMs)}; ${round.arrived}/${round.expected}${round.ended === "all" ? "" : ` (${round.ended})`}`,
    ),
    `  sockets opened in ${fanout.connectSeconds.toFixed(1)} s (hub counted ${fanout.hubSockets ?? "?"}); duplicates ${fanout.duplicates}; closed during the run ${fanout.closedEarly}${fanout.closedEarly > 0 ? ` ${JSON.stringify(fanout.closeReasons)}` : ""}`,
  ].join("\n");
}
