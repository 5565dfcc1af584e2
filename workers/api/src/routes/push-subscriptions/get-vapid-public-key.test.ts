import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, callWithEnv, json } from "../../../test/helpers.ts";
import { getConfig } from "../../env.ts";

describe("GET /api/notifications/vapid-public-key", () => {
  it("answers the configured VAPID public key without sign-in, and null when push is not configured", async () => {
    const answer = await json<{ public_key: string | null }>(
      await call("/api/notifications/vapid-public-key"),
    );
    expect(answer.public_key).toBe(getConfig(env).VAPID_PUBLIC_KEY);
    expect(answer.public_key).toMatch(/^[A-Za-z0-9_-]{87}$/);
    const unset = await json<{ public_key: string | null }>(
      await callWithEnv({ VAPID_PUBLIC_KEY: "" } as Partial<Env>, "/api/notifications/vapid-public-key"),
    );
    expect(unset.public_key).toBeNull();
  });
});
