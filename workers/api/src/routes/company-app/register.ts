import type { RegisterResponse } from "@nexus/contracts";
import { operation, withStatus } from "../../lib/operation.ts";
import {
  abandonIdempotent,
  beginIdempotent,
  findReplay,
  idempotencySlot,
  releaseAbandonedKey,
} from "../../services/idempotency.ts";
import {
  authorizeRegistration,
  createCompany,
  registeredCompany,
  STALE_CLAIM_MS,
} from "../../services/registration.ts";

// The `registration` scheme has no guard: who registers is decided here (authorizeRegistration), after
// an idempotent replay is answered, so a retry still gets its answer once the token is spent.
export const register = operation("register", async (c, { body }) => {
  const slot = await idempotencySlot(c, body);
  // A registration that died leaves its key "in progress"; past the time a registration can take,
  // its retry takes the key over (the dead attempt wrote nothing central).
  if (slot) await releaseAbandonedKey(c, slot, STALE_CLAIM_MS);
  // A replay is looked up before the credential is checked: a registration token is spent by the
  // first request, and its retry must still get the first response.
  const earlier = slot && (await findReplay<RegisterResponse>(c, slot));
  if (earlier) return withStatus(earlier.status, earlier.body);
  const plan = await authorizeRegistration(c, body);
  // The token already registered a company: a retry whose response was lost gets it again.
  if (plan.kind === "registered") return registeredCompany(c, plan.companyId, body);
  const concurrent = slot && (await beginIdempotent<RegisterResponse>(c, slot));
  if (concurrent) return withStatus(concurrent.status, concurrent.body);
  try {
    return await createCompany(c, body, plan.grant, slot);
  } catch (error) {
    if (slot) await abandonIdempotent(c, slot);
    throw error;
  }
});
