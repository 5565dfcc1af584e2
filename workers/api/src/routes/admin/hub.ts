import { routes } from "@nexus/contracts";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, validParams } from "../../lib/route.ts";
import { auditStatement } from "../../services/audit.ts";
import { getCompanyView } from "../../services/companies.ts";
import { companyHub } from "../../services/hub.ts";

const { broadcast, hubStats } = routes;

export const hubAdminRoutes = new Hono<AppEnv>()
  .post(honoPath(broadcast.path), validParams(broadcast.params), jsonBody(broadcast.body), async (c) => {
    const { companyId } = c.req.valid("param");
    const { text } = c.req.valid("json");
    await getCompanyView(c, companyId);
    const delivered = await companyHub(c.env, companyId).broadcast(companyId, text);
    await auditStatement(c, {
      companyId,
      action: "company.broadcast",
      targetType: "company",
      targetId: companyId,
      details: { delivered, length: text.length },
    });
    return c.json({ success: true as const, delivered });
  })
  .get(honoPath(hubStats.path), validParams(hubStats.params), async (c) => {
    const { companyId } = c.req.valid("param");
    await getCompanyView(c, companyId);
    return c.json({ success: true as const, ...(await companyHub(c.env, companyId).stats(companyId)) });
  });
