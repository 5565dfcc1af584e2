// Tenant D1: one database per company, holding that company's business data and nothing else.
// Later features (machines, telemetry, documents, CRM) add their tables here.
import { sql } from "drizzle-orm";
import { check, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// The owner of the database, in a single row written when the database is claimed and checked
// whenever the API opens it, so a mis-mapped binding can never serve another company's data.
export const tenantInfo = sqliteTable(
  "tenant_info",
  {
    id: integer("id").primaryKey().default(1),
    companyId: text("company_id").notNull(),
    claimedAt: integer("claimed_at", { mode: "timestamp_ms" })
      .notNull()
      .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
  },
  (t) => [check("tenant_info_single_row", sql`${t.id} = 1`)],
);
