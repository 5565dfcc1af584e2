import { operation } from "../../lib/operation.ts";
import { auditStatement } from "../../services/audit.ts";
import { companyHub } from "../../services/hub.ts";

export const broadcast = operation("broadcast", async (c, { params, body }) => {
  const { companyId } = params;
  const delivered = await companyHub(c.env, companyId).broadcast(companyId, body.text);
  await auditStatement(c, {
    companyId,
    action: "company.broadcast",
    targetType: "company",
    targetId: companyId,
    details: { delivered, length: body.text.length },
  });
  return { success: true, delivered };
});
