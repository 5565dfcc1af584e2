// The gateway's daily housekeeping in each company's database: prompts and outputs kept with
// `store_content` lose their text once their retention has passed (the usage figures stay), and
// expired cache entries go.

import { forEachTenantCompany, openTenantDatabase } from "@nexus/db";
import { llmCache, llmCalls } from "@nexus/db/tenant";
import { lt } from "drizzle-orm";
import { tenantOrm } from "../machines.ts";

export async function purgeLlmContent(
  env: Env,
  now = Date.now(),
): Promise<{ cleared: number; failed: number }> {
  let cleared = 0;
  const { failed } = await forEachTenantCompany(env.CENTRAL_DB, "llm_content_purge", async (companyId) => {
    const orm = tenantOrm(await openTenantDatabase(env, env.CENTRAL_DB, companyId));
    const [calls] = await orm.batch([
      orm
        .update(llmCalls)
        .set({ prompt: null, output: null, contentExpiresAt: null })
        .where(lt(llmCalls.contentExpiresAt, now)),
      orm.delete(llmCache).where(lt(llmCache.expiresAt, now)),
    ]);
    cleared += calls.meta.changes;
  });
  return { cleared, failed };
}
