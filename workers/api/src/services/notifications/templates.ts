// Template versions per workflow, channel and locale (each save is a new version, the newest is
// used), and the lookup a message renders with: exact locale → its language → en → built-in default.
import { builtInWorkflow, type NotificationChannel, type NotificationTemplate } from "@nexus/contracts";
import { notificationTemplates } from "@nexus/db/tenant";
import { and, desc, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { ApiError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { companyName } from "./recipients.ts";
import { checkTemplate, renderTemplate } from "./render.ts";
import { requireWorkflow } from "./workflows.ts";

type TemplateRow = typeof notificationTemplates.$inferSelect;

export interface EffectiveTemplate {
  subject: string | null;
  body: string;
  locale: string;
  source: "company" | "built_in";
  version: number;
}

/** The locales tried, in order: `de-AT` → `de` → `en`. */
export function localeChain(locale: string): string[] {
  const exact = locale.toLowerCase();
  const language = exact.split("-")[0] ?? exact;
  return [...new Set([exact, language, "en"])];
}

/** Every saved version of a workflow's templates, newest first per channel and locale. */
export async function listTemplateVersions(db: D1Database, workflowKey: string): Promise<TemplateRow[]> {
  return drizzle(db)
    .select()
    .from(notificationTemplates)
    .where(eq(notificationTemplates.workflowKey, workflowKey))
    .orderBy(
      notificationTemplates.channel,
      notificationTemplates.locale,
      desc(notificationTemplates.version),
    );
}

/**
 * Stores a new version (after checking it parses). The next version number is computed in the same
 * INSERT … SELECT, so two concurrent saves cannot pick the same number: raw SQL because drizzle's
 * insert cannot take its values from a SELECT over the same table with an aggregate here.
 */
export async function saveTemplate(
  db: D1Database,
  input: {
    workflowKey: string;
    channel: NotificationChannel;
    locale: string;
    subject: string | null;
    body: string;
    createdBy: string | null;
  },
): Promise<TemplateRow> {
  checkTemplate(input.channel, input.subject, input.body);
  const id = newId();
  const locale = input.locale.toLowerCase();
  // raw SQL: see the comment above (next version in one statement).
  const row = await db
    .prepare(
      `INSERT INTO notification_templates (id, workflow_key, channel, locale, version, subject, body, created_by, created_at)
       SELECT ?1, ?2, ?3, ?4, COALESCE(MAX(version), 0) + 1, ?5, ?6, ?7, ?8
       FROM notification_templates WHERE workflow_key = ?2 AND channel = ?3 AND locale = ?4
       RETURNING version`,
    )
    .bind(
      id,
      input.workflowKey,
      input.channel,
      locale,
      input.subject,
      input.body,
      input.createdBy,
      Date.now(),
    )
    .first<{ version: number }>();
  const [saved] = await drizzle(db)
    .select()
    .from(notificationTemplates)
    .where(eq(notificationTemplates.id, id));
  if (!row || !saved) throw new Error("notification template insert returned no row");
  return saved;
}

/** The template a message of this workflow, channel and locale is rendered with, or null when none exists. */
export async function effectiveTemplate(
  db: D1Database,
  workflowKey: string,
  channel: NotificationChannel,
  locale: string,
): Promise<EffectiveTemplate | null> {
  const chain = localeChain(locale);
  const rows = await drizzle(db)
    .select()
    .from(notificationTemplates)
    .where(
      and(
        eq(notificationTemplates.workflowKey, workflowKey),
        eq(notificationTemplates.channel, channel),
        inArray(notificationTemplates.locale, chain),
      ),
    )
    .orderBy(desc(notificationTemplates.version));
  const defaults =
    builtInWorkflow(workflowKey)?.templates.filter((template) => template.channel === channel) ?? [];
  for (const candidate of chain) {
    const saved = rows.find((row) => row.locale === candidate);
    if (saved) {
      return {
        subject: saved.subject,
        body: saved.body,
        locale: candidate,
        source: "company",
        version: saved.version,
      };
    }
  }
  for (const candidate of chain) {
    const builtIn = defaults.find((template) => template.locale === candidate);
    if (builtIn)
      return {
        subject: builtIn.subject,
        body: builtIn.body,
        locale: candidate,
        source: "built_in",
        version: 0,
      };
  }
  return null;
}

export const toTemplateView = (row: TemplateRow): NotificationTemplate => ({
  id: row.id,
  workflow: row.workflowKey,
  // Checked against the contract's channels when it was saved.
  channel: row.channel as NotificationChannel,
  locale: row.locale,
  version: row.version,
  subject: row.subject,
  body: row.body,
  source: "company",
  created_by: row.createdBy,
  created_at: new Date(row.createdAt).toISOString(),
});

export function builtInTemplateViews(workflowKey: string): NotificationTemplate[] {
  return (builtInWorkflow(workflowKey)?.templates ?? []).map((template) => ({
    id: null,
    workflow: workflowKey,
    channel: template.channel,
    locale: template.locale,
    version: 0,
    subject: template.subject,
    body: template.body,
    source: "built_in",
    created_by: null,
    created_at: null,
  }));
}

export const templateMissing = (workflowKey: string, channel: string, locale: string) =>
  new ApiError(
    "NOTIFICATION_TEMPLATE_NOT_FOUND",
    `Workflow "${workflowKey}" has no ${channel} template for ${locale} (nor a fallback); save one first.`,
  );

export interface PreviewInput {
  workflow: string;
  channel: NotificationChannel;
  locale: string;
  subject?: string | null | undefined;
  body?: string | undefined;
  payload: Record<string, unknown>;
}

/**
 * Renders the editor's text (or, without `body`, the template in use) as a message would be: with
 * the company's name, a sample recipient, and the payload (a built-in's sample when none is given).
 */
export async function previewTemplate(env: Env, db: D1Database, companyId: string, input: PreviewInput) {
  const workflow = await requireWorkflow(db, input.workflow);
  const template =
    input.body === undefined
      ? await effectiveTemplate(db, workflow.key, input.channel, input.locale)
      : {
          subject: input.subject ?? null,
          body: input.body,
          locale: input.locale,
          source: "request" as const,
          version: null,
        };
  if (!template) throw templateMissing(workflow.key, input.channel, input.locale);
  const payload =
    Object.keys(input.payload).length > 0
      ? input.payload
      : (builtInWorkflow(workflow.key)?.sample_payload ?? {});
  const rendered = await renderTemplate(input.channel, template, {
    payload,
    recipient: { key: "user:preview", name: "Alex Example", email: "alex@example.com" },
    company: { id: companyId, name: await companyName(env, companyId) },
    workflow: { key: workflow.key, name: workflow.name },
  });
  return {
    subject: rendered.subject,
    body: rendered.body,
    template: { source: template.source, locale: template.locale, version: template.version },
  };
}
