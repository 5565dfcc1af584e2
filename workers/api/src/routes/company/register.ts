import { routes } from "@nexus/contracts";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath } from "../../lib/route.ts";
import {
  abandonIdempotent,
  beginIdempotent,
  findReplay,
  idempotencySlot,
} from "../../services/idempotency.ts";
import { authorizeRegistration, createCompany } from "../../services/registration.ts";

const contract = routes.register;

export const registerRoute = new Hono<AppEnv>().post(
  honoPath(contract.path),
  jsonBody(contract.body),
  async (c) => {
    const input = c.req.valid("json");
    const slot = await idempotencySlot(c, input);
    // A replay is looked up before the credential is checked: a registration token is spent by the
    // first request, and its retry must still get the first response.
    const earlier = slot && (await findReplay(c, slot));
    if (earlier) return earlier;
    const { tokenId } = await authorizeRegistration(c, input);
    const concurrent = slot && (await beginIdempotent(c, slot));
    if (concurrent) return concurrent;
    try {
      return c.json(await createCompany(c, input, tokenId, slot), contract.status);
    } catch (error) {
      if (slot) await abandonIdempotent(c, slot);
      throw error;
    }
  },
);
