import { routes } from "@nexus/contracts";
import { idempotencyKeys } from "@nexus/db/central";
import { and, eq, lt } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath } from "../../lib/route.ts";
import {
  abandonIdempotent,
  beginIdempotent,
  findReplay,
  type IdempotencySlot,
  idempotencySlot,
} from "../../services/idempotency.ts";
import {
  authorizeRegistration,
  createCompany,
  registeredCompany,
  STALE_CLAIM_MS,
} from "../../services/registration.ts";

const contract = routes.register;

/**
 * A key left "in progress" by a registration that died would answer 409 for a day; past the time a
 * registration can take, its retry takes the key over (the dead attempt wrote nothing central).
 */
async function releaseAbandonedKey(c: Context<AppEnv>, slot: IdempotencySlot): Promise<void> {
  await c
    .get("db")
    .delete(idempotencyKeys)
    .where(
      and(
        eq(idempotencyKeys.scope, slot.scope),
        eq(idempotencyKeys.key, slot.key),
        eq(idempotencyKeys.status, "in_progress"),
        lt(idempotencyKeys.createdAt, new Date(Date.now() - STALE_CLAIM_MS)),
      ),
    );
}

export const registerRoute = new Hono<AppEnv>().post(
  honoPath(contract.path),
  jsonBody(contract.body),
  async (c) => {
    const input = c.req.valid("json");
    const slot = await idempotencySlot(c, input);
    if (slot) await releaseAbandonedKey(c, slot);
    // A replay is looked up before the credential is checked: a registration token is spent by the
    // first request, and its retry must still get the first response.
    const earlier = slot && (await findReplay(c, slot));
    if (earlier) return earlier;
    const plan = await authorizeRegistration(c, input);
    // The token already registered a company: a retry whose response was lost gets it again.
    if (plan.kind === "registered") {
      return c.json(await registeredCompany(c, plan.companyId, input), contract.status);
    }
    const concurrent = slot && (await beginIdempotent(c, slot));
    if (concurrent) return concurrent;
    try {
      return c.json(await createCompany(c, input, plan.grant, slot), contract.status);
    } catch (error) {
      if (slot) await abandonIdempotent(c, slot);
      throw error;
    }
  },
);
