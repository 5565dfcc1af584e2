import { routes } from "@nexus/contracts";
import { registrationTokens } from "@nexus/db/central";
import { sha256Hex } from "@nexus/security";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { newId, newSecretToken } from "../../lib/ids.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";

const contract = routes.createRegistrationToken;

export const registrationTokenAdminRoutes = new Hono<AppEnv>().post(
  honoPath(contract.path),
  jsonBody(contract.body),
  async (c) => {
    const { label, expires_in_hours } = c.req.valid("json");
    const id = newId();
    const token = newSecretToken("nxr");
    const expiresAt = new Date(Date.now() + expires_in_hours * 3_600_000);
    const db = c.get("db");
    await db.batch([
      db
        .insert(registrationTokens)
        .values({ id, tokenHash: await sha256Hex(token), label: label ?? null, expiresAt }),
      auditStatement(c, {
        companyId: null,
        action: "registration_token.created",
        targetType: "registration_token",
        targetId: id,
        details: { label: label ?? null, expires_at: expiresAt.toISOString() },
      }),
    ]);
    return c.json(
      { success: true as const, id, token, label: label ?? null, expires_at: expiresAt.toISOString() },
      contract.status,
    );
  },
);
