import { LIVE_PING, LIVE_PONG } from "@nexus/contracts";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import {
  admin,
  BASE_URL,
  FakeSocket,
  joinedInstallation,
  sleep,
  waitFor,
  workerConnect,
} from "../test/harness.ts";
import {
  connectLive,
  type LiveConnection,
  type LiveOptions,
  type LiveStopReason,
  liveBackoffDelay,
  NexusApiError,
  type ServerMessage,
} from "./index.ts";

const opened: LiveConnection[] = [];
afterEach(() => {
  for (const connection of opened.splice(0)) connection.close();
});

/** A connection that records what it was told; closed after the test. */
function live(overrides: Partial<LiveOptions> & Pick<LiveOptions, "connect" | "getToken">) {
  const messages: ServerMessage[] = [];
  const errors: unknown[] = [];
  const stops: LiveStopReason[] = [];
  const connection = connectLive({
    baseUrl: BASE_URL,
    onMessage: (message) => messages.push(message),
    onError: (error) => errors.push(error),
    onStop: (reason) => stops.push(reason),
    backoffMs: 10,
    maxBackoffMs: 50,
    ...overrides,
  });
  opened.push(connection);
  const ofType = <T extends ServerMessage["type"]>(type: T) =>
    messages.filter((message): message is Extract<ServerMessage, { type: T }> => message.type === type);
  return { connection, messages, errors, stops, ofType };
}

describe("connectLive against the real API", () => {
  it("receives welcome and a settings change as typed messages, and relays chat", async () => {
    const { joined } = await joinedInstallation();
    const { connect, urls } = workerConnect();
    const { connection, ofType, errors } = live({ connect, getToken: async () => joined.installation.token });

    await waitFor(() => ofType("welcome").length === 1, 3_000, "welcome");
    expect(urls[0]).toBe("ws://nexus.test/api/live");
    expect(connection.state).toBe("open");
    expect(ofType("welcome")[0]).toEqual({
      type: "welcome",
      role: "installation",
      company_id: joined.company_id,
      installation_id: joined.installation.id,
    });

    await admin("PUT", `/api/admin/companies/${joined.company_id}/settings`, {
      settings: { shift: "night" },
    });
    await waitFor(() => ofType("settings.changed").length === 1, 3_000, "settings.changed");
    const changed = ofType("settings.changed")[0];
    expectTypeOf(changed).toEqualTypeOf<Extract<ServerMessage, { type: "settings.changed" }> | undefined>();
    expect(changed?.settings_version).toBe(joined.settings_version + 1);
    expect(changed?.settings).toMatchObject({ shift: "night" });

    expect(connection.send({ type: "chat.send", text: "hello from the client" })).toBe(true);
    await waitFor(() => ofType("chat.message").length === 1, 3_000, "chat.message");
    expect(ofType("chat.message")[0]?.text).toBe("hello from the client");
    expect(errors).toEqual([]);
  });

  it("reconnects after the socket drops and gets a second welcome", async () => {
    const { joined } = await joinedInstallation();
    const { connect, sockets } = workerConnect();
    let tokens = 0;
    const { ofType, stops } = live({
      connect,
      // The closing side hears no close event until the peer answers; the next ping finds it closed.
      pingIntervalMs: 50,
      getToken: async () => {
        tokens++;
        return joined.installation.token;
      },
    });
    await waitFor(() => ofType("welcome").length === 1, 3_000, "first welcome");
    sockets[0]?.close(1001, "network changed");

    await waitFor(() => ofType("welcome").length === 2, 3_000, "second welcome");
    expect(sockets).toHaveLength(2);
    expect(tokens).toBe(2);
    expect(stops).toEqual([]);
  });

  it("stops with a reason and does not reconnect when the installation is deactivated", async () => {
    const { joined } = await joinedInstallation();
    const { connect, sockets } = workerConnect();
    const { connection, ofType, stops } = live({ connect, getToken: async () => joined.installation.token });
    await waitFor(() => ofType("welcome").length === 1, 3_000, "welcome");

    await admin(
      "POST",
      `/api/admin/companies/${joined.company_id}/installations/${joined.installation.id}/deactivate`,
    );
    await waitFor(() => stops.length === 1, 3_000, "stop");
    expect(stops[0]).toMatchObject({ type: "closed", code: 4003 });
    expect(connection.state).toBe("stopped");
    await sleep(200); // several backoff periods
    expect(sockets).toHaveLength(1);
  });

  it("asks for a fresh token once after a refused token, then stops", async () => {
    const { connect, urls } = workerConnect();
    const asked: boolean[] = [];
    const { stops, connection } = live({
      connect,
      getToken: async ({ refresh }) => {
        asked.push(refresh);
        return "not.a.jwt";
      },
    });
    await waitFor(() => stops.length === 1, 3_000, "stop");
    expect(asked).toEqual([false, true]);
    expect(urls).toHaveLength(2);
    const reason = stops[0];
    expect(reason?.type).toBe("refused");
    if (reason?.type !== "refused") return;
    expect(reason.error).toBeInstanceOf(NexusApiError);
    expect(reason.error.code).toBe("INVALID_TOKEN");
    expect(connection.state).toBe("stopped");
  });
});

describe("connectLive with a scripted socket", () => {
  function scripted(overrides: Partial<LiveOptions> = {}) {
    const sockets: FakeSocket[] = [];
    const harness = live({
      connect: async () => {
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
      getToken: async () => "token",
      ...overrides,
    });
    return { ...harness, sockets };
  }

  it("reports invalid frames through onError, ignores pongs and keeps going", async () => {
    const { sockets, messages, errors, connection } = scripted();
    await waitFor(() => sockets.length === 1);
    const socket = sockets[0] ?? new FakeSocket();
    socket.receive("not json");
    socket.receive(JSON.stringify({ type: "welcome" }));
    socket.receive(JSON.stringify({ type: "no.such.type" }));
    socket.receive(new ArrayBuffer(4));
    socket.receive(LIVE_PONG);
    socket.receive(JSON.stringify({ type: "admin.broadcast", text: "hi", at: new Date().toISOString() }));
    expect(errors).toHaveLength(4);
    expect(messages.map((message) => message.type)).toEqual(["admin.broadcast"]);
    expect(connection.state).toBe("open");
  });

  it("survives an onMessage handler that throws", async () => {
    const { sockets, errors } = scripted({
      onMessage: () => {
        throw new Error("app bug");
      },
    });
    await waitFor(() => sockets.length === 1);
    sockets[0]?.receive(JSON.stringify({ type: "error", code: "X", message: "y" }));
    expect(errors).toEqual([new Error("app bug")]);
  });

  it("connects to /api/live under the base URL's path, over wss for https", async () => {
    const urls: string[] = [];
    const { sockets } = scripted({
      baseUrl: "https://central.example/nexus/",
      connect: async (url) => {
        urls.push(url);
        const socket = new FakeSocket();
        sockets.push(socket);
        return socket;
      },
    });
    await waitFor(() => sockets.length === 1);
    expect(urls).toEqual(["wss://central.example/nexus/api/live"]);
  });

  it("validates and size-checks outgoing messages", async () => {
    const { sockets, connection } = scripted();
    expect(connection.send({ type: "chat.send", text: "early" })).toBe(false);
    await waitFor(() => sockets.length === 1);
    expect(() => connection.send({ type: "chat.send", text: "   " })).toThrow(TypeError);
    // 1 999 characters fit the schema; 3 bytes each do not fit the frame limit.
    expect(() => connection.send({ type: "chat.send", text: "€".repeat(1999) })).toThrow(RangeError);
    expect(connection.send({ type: "chat.send", text: "hi" })).toBe(true);
    expect(sockets[0]?.sent).toEqual(['{"type":"chat.send","text":"hi"}']);
  });

  it("pings, and reconnects when nothing arrives within the liveness timeout", async () => {
    const { sockets } = scripted({ pingIntervalMs: 20, livenessTimeoutMs: 120 });
    await waitFor(() => sockets.length === 1);
    const first = sockets[0] ?? new FakeSocket();
    // Pongs keep it alive past the timeout.
    for (let i = 0; i < 4; i++) {
      await sleep(50);
      first.receive(LIVE_PONG);
    }
    expect(sockets).toHaveLength(1);
    expect(first.sent.filter((frame) => frame === LIVE_PING).length).toBeGreaterThanOrEqual(5);
    await waitFor(() => sockets.length === 2, 1_000, "reconnect after silence");
    expect(first.closedWith?.code).toBe(4000);
  });

  it("stops on 4008 (replaced) without reconnecting", async () => {
    const { sockets, stops } = scripted();
    await waitFor(() => sockets.length === 1);
    sockets[0]?.serverClose(4008, "replaced");
    expect(stops).toEqual([{ type: "closed", code: 4008, reason: "replaced" }]);
    await sleep(150);
    expect(sockets).toHaveLength(1);
  });

  it("close() stops reconnecting", async () => {
    const { sockets, connection, stops } = scripted();
    await waitFor(() => sockets.length === 1);
    connection.close();
    expect(sockets[0]?.closedWith?.code).toBe(1000);
    sockets[0]?.serverClose(1006);
    await sleep(150);
    expect(sockets).toHaveLength(1);
    expect(connection.state).toBe("stopped");
    expect(stops).toEqual([]);
  });
});

describe("reconnect backoff", () => {
  it("grows exponentially with full jitter up to the cap", () => {
    expect(liveBackoffDelay(1, 1_000, 60_000, () => 0.999)).toBeCloseTo(999);
    expect(liveBackoffDelay(3, 1_000, 60_000, () => 0.5)).toBe(2_000);
    expect(liveBackoffDelay(7, 1_000, 60_000, () => 0.999)).toBeCloseTo(60_000 * 0.999);
    expect(liveBackoffDelay(40, 1_000, 60_000, () => 1)).toBe(60_000);
    expect(liveBackoffDelay(2, 1_000, 60_000, () => 0)).toBe(0);
    const samples = Array.from({ length: 500 }, () => liveBackoffDelay(10, 1_000, 60_000));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThanOrEqual(60_000);
    // Jittered: spread over the range, not one value.
    expect(new Set(samples).size).toBeGreaterThan(400);
    expect(Math.max(...samples) - Math.min(...samples)).toBeGreaterThan(30_000);
  });

  it("retries a connect that always fails at a bounded rate", async () => {
    let attempts = 0;
    const { errors, connection } = live({
      connect: async () => {
        attempts++;
        throw new TypeError("network down");
      },
      getToken: async () => "token",
      backoffMs: 20,
      maxBackoffMs: 80,
      random: () => 0.5, // waits 10, 20, 40, 40, …
    });
    await sleep(450);
    connection.close();
    const seen = attempts;
    // Expected about 12 attempts in 450 ms; an unbounded loop would make thousands.
    expect(seen).toBeGreaterThanOrEqual(5);
    expect(seen).toBeLessThanOrEqual(14);
    expect(errors).toHaveLength(seen);
    expect(connection.state).toBe("stopped");
    await sleep(100);
    expect(attempts).toBe(seen);
  });
});
