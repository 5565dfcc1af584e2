import { routes, tierLimits } from "@nexus/contracts";
import { companies, companyDatabases } from "@nexus/db/central";
import { and, desc, eq, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../../env.ts";
import { isUniqueViolation } from "../../lib/d1-errors.ts";
import { ApiError } from "../../lib/errors.ts";
import { jsonBody } from "../../lib/json-body.ts";
import { honoPath, pageOf, validParams, validQuery } from "../../lib/route.ts";
import { containsText } from "../../lib/search.ts";
import { auditStatement } from "../../services/audit.ts";
import { activeInstallationCount, getCompanyView, toCompanyView } from "../../services/companies.ts";
import { companyChanged } from "../../services/hub.ts";
import { requireChannel } from "../../services/updates/releases.ts";
import { dispatchEvents, eventStatement } from "../../services/webhook-events.ts";

const { listCompanies, getCompany, updateCompany, updateSettings, suspendCompany, resumeCompany } = routes;

export const companyAdminRoutes = new Hono<AppEnv>()
  .get(honoPath(listCompanies.path), validQuery(listCompanies.query), async (c) => {
    const { q, tier, status, limit, cursor } = c.req.valid("query");
    const rows = await c
      .get("db")
      .select({ company: companies, active: activeInstallationCount, provider: companyDatabases.provider })
      .from(companies)
      .leftJoin(companyDatabases, eq(companyDatabases.companyId, companies.id))
      .where(
        and(
          cursor ? lt(companies.id, cursor) : undefined,
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
        ),
      )
      .orderBy(desc(companies.id))
      .limit(limit + 1);
    const page = pageOf(
      rows.map((row) => toCompanyView(row.company, row.active, row.provider ?? "d1")),
      limit,
    );
    return c.json({ success: true as const, companies: page.items, next_cursor: page.nextCursor });
  })
  .get(honoPath(getCompany.path), validParams(getCompany.params), async (c) => {
    return c.json({
      success: true as const,
      company: await getCompanyView(c, c.req.valid("param").companyId),
    });
  })
  .patch(
    honoPath(updateCompany.path),
    validParams(updateCompany.params),
    jsonBody(updateCompany.body),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const input = c.req.valid("json");
      await getCompanyView(c, companyId);
      if (input.update_channel) await requireChannel(c.get("db"), input.update_channel);
      // A new tier brings its default limits, unless the same request sets limits explicitly.
      const tierDefaults = input.subscription_tier ? tierLimits[input.subscription_tier] : undefined;
      const db = c.get("db");
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
      await companyChanged(c, companyId);
      return c.json({ success: true as const, company: await getCompanyView(c, companyId) });
    },
  )
  .put(
    honoPath(updateSettings.path),
    validParams(updateSettings.params),
    jsonBody(updateSettings.body, 256 * 1024),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const { settings, mode } = c.req.valid("json");
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
          details: { mode, keys: Object.keys(settings) },
        }),
        event.statement,
      ]);
      await dispatchEvents(c.env, [event.id]);
      const pushedTo = await companyChanged(c, companyId);
      return c.json({
        success: true as const,
        company: await getCompanyView(c, companyId),
        pushed_to: pushedTo,
      });
    },
  )
  .post(
    honoPath(suspendCompany.path),
    validParams(suspendCompany.params),
    jsonBody(suspendCompany.body),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const { reason } = c.req.valid("json");
      await getCompanyView(c, companyId);
      const db = c.get("db");
      const now = new Date();
      await db.batch([
        db
          .update(companies)
          .set({ suspendedAt: now, suspendedReason: reason ?? null, updatedAt: now })
          .where(eq(companies.id, companyId)),
        auditStatement(c, {
          companyId,
          action: "company.suspended",
          targetType: "company",
          targetId: companyId,
          details: { reason: reason ?? null },
        }),
      ]);
      await companyChanged(c, companyId);
      return c.json({ success: true as const, company: await getCompanyView(c, companyId) });
    },
  )
  .post(honoPath(resumeCompany.path), validParams(resumeCompany.params), async (c) => {
    const { companyId } = c.req.valid("param");
    await getCompanyView(c, companyId);
    const db = c.get("db");
    await db.batch([
      db
        .update(companies)
        .set({ suspendedAt: null, suspendedReason: null, updatedAt: new Date() })
        .where(eq(companies.id, companyId)),
      auditStatement(c, { companyId, action: "company.resumed", targetType: "company", targetId: companyId }),
    ]);
    await companyChanged(c, companyId);
    return c.json({ success: true as const, company: await getCompanyView(c, companyId) });
  });
