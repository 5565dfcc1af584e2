// Liquid rendering of notification templates: sandboxed (liquidjs interprets, never `eval`s; only
// own properties of the data are visible; no file system), bounded (template size, render time,
// memory), and for email HTML every printed value is escaped unless the template says `| raw`.
import type { NotificationChannel } from "@nexus/contracts";
import { type FS, Liquid, LiquidError } from "liquidjs";
import { ApiError } from "../../lib/errors.ts";

/** `{% include %}` / `{% render %}` find nothing: templates cannot read files or each other. */
const noFiles: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async (file) => Promise.reject(new Error(`templates cannot include files (${file})`)),
  readFileSync: (file) => {
    throw new Error(`templates cannot include files (${file})`);
  },
  resolve: (_dir, file) => file,
};

const LIMITS = {
  // Characters of template source parsed per parse() call.
  parseLimit: 100_000,
  // Milliseconds per render() call: a loop over a huge range stops instead of holding the request.
  renderLimit: 250,
  // Objects and string lengths allocated per render (a `{% for %}` producing megabytes stops).
  memoryLimit: 2_000_000,
} as const;

// relativeReference off: with no file system there is nothing to resolve relative to (liquidjs warns otherwise).
const common = {
  strictFilters: true,
  ownPropertyOnly: true,
  fs: noFiles,
  relativeReference: false,
  ...LIMITS,
} as const;
const htmlEngine = new Liquid({ ...common, outputEscape: "escape" });
const textEngine = new Liquid(common);

/** Whether the channel's body is HTML (email) — its printed values are escaped. */
export const isHtmlBody = (channel: NotificationChannel) => channel === "email";

function invalid(part: "subject" | "body", error: unknown, action: "parse" | "render"): ApiError {
  const detail = error instanceof Error ? error.message : String(error);
  const position = error instanceof LiquidError ? error.token?.getPosition() : undefined;
  const line = position?.[0];
  return new ApiError(
    "NOTIFICATION_TEMPLATE_INVALID",
    action === "parse"
      ? `The template's ${part} is not valid Liquid: ${detail}`
      : `The template's ${part} could not be rendered: ${detail}`,
    { part, ...(line === undefined ? {} : { line, column: position?.[1] }), liquid_error: detail },
  );
}

/** Checks that a template's parts parse; throws NOTIFICATION_TEMPLATE_INVALID naming the part and line. */
export function checkTemplate(channel: NotificationChannel, subject: string | null, body: string): void {
  const engine = isHtmlBody(channel) ? htmlEngine : textEngine;
  if (subject !== null) {
    try {
      textEngine.parse(subject);
    } catch (error) {
      throw invalid("subject", error, "parse");
    }
  }
  try {
    engine.parse(body);
  } catch (error) {
    throw invalid("body", error, "parse");
  }
}

export interface RenderedMessage {
  subject: string | null;
  body: string;
}

/** The variables a template sees. */
export interface TemplateVariables {
  payload: Record<string, unknown>;
  recipient: { key: string; name: string | null; email: string | null };
  company: { id: string; name: string };
  workflow: { key: string; name: string };
}

async function renderPart(engine: Liquid, part: "subject" | "body", source: string, variables: object) {
  let template: ReturnType<Liquid["parse"]>;
  try {
    template = engine.parse(source);
  } catch (error) {
    throw invalid(part, error, "parse");
  }
  try {
    return await engine.render(template, variables);
  } catch (error) {
    throw invalid(part, error, "render");
  }
}

/** Renders a template: the subject always as text, the body as HTML (escaped) for email. */
export async function renderTemplate(
  channel: NotificationChannel,
  template: { subject: string | null; body: string },
  variables: TemplateVariables,
): Promise<RenderedMessage> {
  const engine = isHtmlBody(channel) ? htmlEngine : textEngine;
  const subject =
    template.subject === null
      ? null
      : (await renderPart(textEngine, "subject", template.subject, variables)).trim();
  return { subject, body: (await renderPart(engine, "body", template.body, variables)).trim() };
}
