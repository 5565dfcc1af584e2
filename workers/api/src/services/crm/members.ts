// Users named in CRM data (showroom staff, project assignments) must be members of the company.
import { member } from "@nexus/db/auth";
import { and, eq, inArray } from "drizzle-orm";
import type { CentralDb } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";

export async function requireMembers(
  central: CentralDb,
  companyId: string,
  userIds: string[],
): Promise<void> {
  const wanted = [...new Set(userIds)];
  if (wanted.length === 0) return;
  const rows = await central
    .select({ userId: member.userId })
    .from(member)
    .where(and(eq(member.organizationId, companyId), inArray(member.userId, wanted)));
  const found = new Set(rows.map((row) => row.userId));
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) {
    throw new ApiError(
      "VALIDATION_FAILED",
      `These users are not members of this company: ${missing.join(", ")}.`,
      {
        not_members: missing,
      },
    );
  }
}
