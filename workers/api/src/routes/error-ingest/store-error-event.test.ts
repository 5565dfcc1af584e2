import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expectError, registerCompany } from "../../../test/helpers.ts";
import { createErrorProject, gunzip, ingestStats, postIngest, sentryAuth, sentryEvent } from "./fixtures.ts";

const path = (projectId: number) => `/api/${projectId}/store/`;

async function project() {
  const company = await registerCompany();
  return createErrorProject(company.company_id, { app: "other" });
}

describe("POST /api/{projectId}/store/", () => {
  it("queues one JSON event, keeps its raw body and answers its id", async () => {
    const dsn = await project();
    const event = sentryEvent({
      level: "warn",
      timestamp: "2026-03-01T10:00:00",
      logentry: { message: "Order %s failed after %s tries", params: ["A-17", 3] },
      exception: undefined,
    });
    const body = JSON.stringify(event);
    const { response, queued } = await postIngest(path(dsn.id), body, {
      ...sentryAuth(dsn.publicKey),
      "content-type": "application/json",
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(await response.json()).toEqual({ id: event.event_id });
    expect(queued).toHaveLength(1);
    const item = queued[0]?.items[0];
    if (item?.type !== "event") throw new Error("no event queued");
    expect(item.event).toMatchObject({
      level: "warning",
      timestamp: "2026-03-01T10:00:00.000Z",
      message: "Order A-17 failed after 3 tries",
      exceptions: [],
    });
    const stored = await env.ERRORS.get(queued[0]?.raw_key ?? "");
    expect(await gunzip(new Uint8Array(await (stored as R2ObjectBody).arrayBuffer()))).toBe(body);
  });

  it("refuses a body that is not a JSON event (400, counted), a wrong key (401) and a large event (413)", async () => {
    const dsn = await project();
    const bad = await postIngest(path(dsn.id), "[1, 2", sentryAuth(dsn.publicKey));
    await expectError(bad.response, 400, "ENVELOPE_INVALID");
    expect((await ingestStats(dsn.id))[0]?.malformed).toBe(1);
    const wrong = await postIngest(path(dsn.id), JSON.stringify(sentryEvent()), sentryAuth("f".repeat(32)));
    await expectError(wrong.response, 401, "UNAUTHORIZED");
    const large = JSON.stringify(sentryEvent({ extra: { blob: "x".repeat(1024 * 1024) } }));
    const tooLarge = await postIngest(path(dsn.id), large, sentryAuth(dsn.publicKey));
    await expectError(tooLarge.response, 413, "PAYLOAD_TOO_LARGE");
    expect([...bad.queued, ...wrong.queued, ...tooLarge.queued]).toEqual([]);
  });
});
