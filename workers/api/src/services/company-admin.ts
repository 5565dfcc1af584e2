// Operators' changes to companies (the list, plan and limits, settings, suspension). Each change is
// audited in the same batch and then told to the company's hub, which reloads the company and pushes
// it to the connected installations. Finding and showing a company stays in companies.ts.
import {
  type CompanyListQuerySchema,
  tierLimits,
  type UpdateCompanyRequestSchema,
  type UpdateSettingsRequestSchema,
} from "@nexus/contracts";
import { companies, companyDatabases } from "@nexus/db/central";
import { eq, isNotNull, isNull, or, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { z } from "zod";
import type { AppEnv, CentralDb } from "../env.ts";
import { isUniqueViolation } from "../lib/d1-errors.ts";
import { ApiError } from "../lib/errors.ts";
import { containsText } from "../lib/search.ts";
import { auditStatement } from "./audit.ts";
import { activeInstallationCount, getCompanyView, toCompanyView } from "./companies.ts";
import { companyChanged } from "./hub.ts";
import { listPage } from "./list-page.ts";
import { requireChannel } from "./updates/releases.ts";
import { dispatchEvents, eventStatement } from "./webhook-events.ts";

/** One page of companies, newest first, with their seat usage. */
export async function companyPage(db: CentralDb, query: z.output<typeof CompanyListQuerySchema>) {
  const { q, tier, status } = query;
  const page = await listPage(
    query,
    companies.id,
    [
      tier ? eq(companies.subscriptionTier, tier) : undefined,
      status === "suspended" ? isNotNull(companies.suspendedAt) : undefined,
      status === "active" ? isNull(companies.suspendedAt) : undefined,
      q
        ? or(
            containsText(companies.companyName, q),
            containsText(companies.companyCode, q),
            containsText(companies.adminEmail, q),
          )
        : undefined,
    ],
    ({ where, orderBy, limit }) =>
      db
        .select({ company: companies, active: activeInstallationCount, provider: companyDatabases.provider })
        .from(companies)
        .leftJoin(companyDatabases, eq(companyDatabases.companyId, companies.id))
        .where(where)
        .orderBy(orderBy)
        .limit(limit),
    (row) => row.company.id,
  );
  return {
    companies: page.items.map((row) => toCompanyView(row.company, row.active, row.provider ?? "d1")),
    nextCursor: page.nextCursor,
  };
}

/** After a change: the hub is told, and the company is read back as it is now. */
async function changed(c: Context<AppEnv>, companyId: string) {
  await companyChanged(c, companyId);
  return getCompanyView(c, companyId);
}

/** Changes a company's plan, limits, channel, minimum app version, expiry or billing customer. */
export async function updateCompanyPlan(
  c: Context<AppEnv>,
  companyId: string,
  input: z.output<typeof UpdateCompanyRequestSchema>,
) {
  await getCompanyView(c, companyId);
  const db = c.get("db");
  if (input.update_channel) await requireChannel(db, input.update_channel);
  // A new tier brings its default limits, unless the same request sets limits explicitly.
  const tierDefaults = input.subscription_tier ? tierLimits[input.subscription_tier] : undefined;
  try {
    await db.batch([
      db
        .update(companies)
        .set({
          companyName: input.company_name,
          adminEmail: input.admin_email,
          subscriptionTier: input.subscription_tier,
          maxInstallations: input.max_installations ?? tierDefaults?.maxInstallations,
          maxUsers: input.max_users ?? tierDefaults?.maxUsers,
          updateChannel: input.update_channel,
          minimumAppVersion: input.minimum_app_version,
          expiresAt:
            input.expires_at === undefined
              ? undefined
              : input.expires_at === null
                ? null
                : new Date(input.expires_at),
          stripeCustomerId: input.stripe_customer_id,
          updatedAt: new Date(),
        })
        .where(eq(companies.id, companyId)),
      auditStatement(c, {
        companyId,
        action: "company.updated",
        targetType: "company",
        targetId: companyId,
        details: { changes: input },
      }),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error, "companies.stripe_customer_id")) throw error;
    throw new ApiError(
      "STRIPE_CUSTOMER_TAKEN",
      `Another company is already billed through the Stripe customer ${input.stripe_customer_id}.`,
    );
  }
  return changed(c, companyId);
}

const pickKeys = (values: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((key) => key in values).map((key) => [key, values[key]]));

/**
 * Merges or replaces a company's settings and bumps their version; the company.settings_changed
 * event names the keys whose values changed. Answers the company and how many connected
 * installations the hub pushed the settings to.
 */
export async function updateCompanySettings(
  c: Context<AppEnv>,
  companyId: string,
  { settings, mode }: z.output<typeof UpdateSettingsRequestSchema>,
) {
  const current = await getCompanyView(c, companyId);
  const next: Record<string, unknown> = mode === "replace" ? {} : { ...current.settings };
  for (const [key, value] of Object.entries(settings)) {
    if (value === null && mode === "merge") delete next[key];
    else next[key] = value;
  }
  const db = c.get("db");
  const changedKeys = [...new Set([...Object.keys(current.settings), ...Object.keys(next)])].filter(
    (key) => JSON.stringify(current.settings[key]) !== JSON.stringify(next[key]),
  );
  const event = eventStatement(db, {
    companyId,
    type: "company.settings_changed",
    data: { settings_version: current.settings_version + 1, changed_keys: changedKeys },
  });
  await db.batch([
    db
      .update(companies)
      .set({
        settings: next,
        settingsVersion: sql`${companies.settingsVersion} + 1`,
        updatedAt: new Date(),
      })
      .where(eq(companies.id, companyId)),
    auditStatement(c, {
      companyId,
      action: "company.settings_changed",
      targetType: "company",
      targetId: companyId,
      // The changed keys' values before and after, so the audit log can show what changed.
      details: {
        mode,
        keys: Object.keys(settings),
        before: pickKeys(current.settings, changedKeys),
        after: pickKeys(next, changedKeys),
      },
    }),
    event.statement,
  ]);
  await dispatchEvents(c.env, [event.id]);
  const pushedTo = await companyChanged(c, companyId);
  return { company: await getCompanyView(c, companyId), pushedTo };
}

/**
 * Suspends a company (its installations are refused until it is resumed), with an optional reason;
 * `null` resumes it.
 */
export async function setCompanySuspension(
  c: Context<AppEnv>,
  companyId: string,
  suspension: { reason: string | null } | null,
) {
  await getCompanyView(c, companyId);
  const db = c.get("db");
  const now = new Date();
  await db.batch([
    db
      .update(companies)
      .set({
        suspendedAt: suspension ? now : null,
        suspendedReason: suspension?.reason ?? null,
        updatedAt: now,
      })
      .where(eq(companies.id, companyId)),
    auditStatement(c, {
      companyId,
      action: suspension ? "company.suspended" : "company.resumed",
      targetType: "company",
      targetId: companyId,
      ...(suspension ? { details: { reason: suspension.reason } } : {}),
    }),
  ]);
  return changed(c, companyId);
}
