// Stripe drives billing. A verified event (recorded once by the API) changes the company billed
// through its customer: subscription status, tier and the tier's limits (plans as config), and the
// expiry. Events can arrive out of order, so one older than the last applied is ignored.
import { type SubscriptionTier, SubscriptionTierSchema, tierLimits } from "@nexus/contracts";
import { companies } from "@nexus/db/central";
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import { auditIfPreviousChanged } from "../audit.ts";
import { orm, type Statement } from "../db.ts";

export interface BillingEnv {
  CENTRAL_DB: D1Database;
  /** JSON: Stripe price id -> tier, e.g. {"price_1Pro":"professional"}. */
  STRIPE_PRICE_TIERS?: string;
  /** Days past the paid period before installations are refused (a renewal event may be late). */
  BILLING_GRACE_DAYS?: string;
}

const DAY_MS = 86_400_000;

const IdOrObject = z
  .union([z.string(), z.object({ id: z.string() })])
  .transform((v) => (typeof v === "string" ? v : v.id));

const PriceSchema = z.object({
  id: z.string(),
  lookup_key: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

const SubscriptionSchema = z.object({
  customer: IdOrObject,
  status: z.string(),
  metadata: z.record(z.string(), z.string()).nullish(),
  current_period_end: z.number().nullish(),
  trial_end: z.number().nullish(),
  ended_at: z.number().nullish(),
  items: z
    .object({ data: z.array(z.object({ price: PriceSchema, current_period_end: z.number().nullish() })) })
    .nullish(),
});

const InvoiceSchema = z.object({ customer: IdOrObject.nullish() });

const StripeEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  created: z.number(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

const STATUS: Record<string, string> = {
  active: "active",
  trialing: "trial",
  past_due: "past_due",
  unpaid: "unpaid",
  canceled: "canceled",
  incomplete: "incomplete",
  incomplete_expired: "canceled",
  paused: "paused",
};

interface BillingChange {
  customer: string;
  /** Links a company not yet mapped to a Stripe customer (subscription metadata `nexus_company_id`). */
  companyIdHint: string | null;
  status: string;
  tier: SubscriptionTier | null;
  /** undefined: leave as it is. */
  expiresAt: number | null | undefined;
}

function priceTiers(env: BillingEnv): Record<string, string> {
  try {
    return z.record(z.string(), z.string()).parse(JSON.parse(env.STRIPE_PRICE_TIERS ?? "{}"));
  } catch {
    console.error(JSON.stringify({ level: "error", event: "stripe_price_tiers_invalid" }));
    return {};
  }
}

/** The tier a price stands for: the configured map, else a lookup key or `nexus_tier` metadata naming one. */
function tierOf(env: BillingEnv, price: z.infer<typeof PriceSchema> | undefined): SubscriptionTier | null {
  if (!price) return null;
  for (const candidate of [priceTiers(env)[price.id], price.lookup_key, price.metadata?.nexus_tier]) {
    const tier = SubscriptionTierSchema.safeParse(candidate);
    if (tier.success) return tier.data;
  }
  return null;
}

function subscriptionChange(env: BillingEnv, type: string, object: unknown, created: number): BillingChange {
  const subscription = SubscriptionSchema.parse(object);
  const item = subscription.items?.data[0];
  const graceMs = Math.max(0, Number(env.BILLING_GRACE_DAYS ?? 3) || 0) * DAY_MS;
  const periodEnd = subscription.current_period_end ?? item?.current_period_end ?? subscription.trial_end;
  const ended = type === "customer.subscription.deleted";
  return {
    customer: subscription.customer,
    companyIdHint: subscription.metadata?.nexus_company_id ?? null,
    status: ended ? "canceled" : (STATUS[subscription.status] ?? subscription.status),
    tier: tierOf(env, item?.price),
    expiresAt: ended
      ? (subscription.ended_at ?? created) * 1000
      : periodEnd
        ? periodEnd * 1000 + graceMs
        : undefined,
  };
}

/** What an event changes, or null for types billing does not act on. */
function billingChange(env: BillingEnv, event: z.infer<typeof StripeEventSchema>): BillingChange | null {
  switch (event.type) {
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return subscriptionChange(env, event.type, event.data.object, event.created);
    case "invoice.payment_failed": {
      const customer = InvoiceSchema.parse(event.data.object).customer;
      return customer
        ? { customer, companyIdHint: null, status: "past_due", tier: null, expiresAt: undefined }
        : null;
    }
    default:
      return null;
  }
}

/**
 * The statements that apply a Stripe event, to run in one batch right after the statement that marks
 * it processed: the first one acts only if that mark changed a row (`changes()`), so an event queued
 * twice is applied once. Also the outcome to record. Malformed events are recorded as such rather
 * than retried forever.
 */
export async function stripeStatements(
  env: BillingEnv,
  payload: string,
): Promise<{ statements: Statement[]; outcome: string }> {
  const db = orm(env.CENTRAL_DB);
  let change: BillingChange | null;
  let event: z.infer<typeof StripeEventSchema>;
  try {
    event = StripeEventSchema.parse(JSON.parse(payload));
    change = billingChange(env, event);
  } catch {
    return { statements: [], outcome: "malformed" };
  }
  if (!change) return { statements: [], outcome: "ignored" };
  const byCustomer = db
    .select({ id: companies.id })
    .from(companies)
    .where(eq(companies.stripeCustomerId, change.customer));
  const hint = change.companyIdHint;
  const company = await (hint === null
    ? byCustomer
    : byCustomer.unionAll(
        db
          .select({ id: companies.id })
          .from(companies)
          .where(and(eq(companies.id, hint), isNull(companies.stripeCustomerId))),
      )
  )
    .limit(1)
    .get();
  if (!company) return { statements: [], outcome: `no company for customer ${change.customer}` };
  const limits = change.tier ? tierLimits[change.tier] : null;
  const eventAt = event.created * 1000;
  const now = Date.now();
  return {
    outcome: "applied",
    statements: [
      // Fields left undefined are not set (no tier in the event: tier and limits stay as they are).
      db
        .update(companies)
        .set({
          subscriptionStatus: change.status,
          subscriptionTier: change.tier ?? undefined,
          maxInstallations: limits?.maxInstallations,
          maxUsers: limits?.maxUsers,
          expiresAt:
            change.expiresAt === undefined
              ? undefined
              : change.expiresAt === null
                ? null
                : new Date(change.expiresAt),
          stripeCustomerId: change.customer,
          billingEventAt: new Date(eventAt),
          updatedAt: new Date(now),
        })
        .where(
          and(
            eq(companies.id, company.id),
            or(isNull(companies.billingEventAt), lte(companies.billingEventAt, new Date(eventAt))),
            sql`changes() > 0`,
          ),
        ),
      auditIfPreviousChanged(db, {
        companyId: company.id,
        actorId: "stripe",
        action: "company.billing_changed",
        targetType: "company",
        targetId: company.id,
        details: sql`${JSON.stringify({
          stripe_event: event.id,
          type: event.type,
          status: change.status,
          tier: change.tier,
        })}`,
        now,
      }),
    ],
  };
}
