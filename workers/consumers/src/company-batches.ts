// A queue batch split per company: each company's messages go to its own tenant database, and one
// company's failure (its database unreachable, a bug in its data) retries only its own messages.
import { errorText } from "@nexus/db";
import type { z } from "zod";

export type CompanyMessage<T> = { message: Message; body: T };

export type CheckedBody<T> = { success: true; data: T } | { success: false; problems: string[] };

/** Checks a body with a schema; the first problems are named (path: message) for the log. */
export function checkWith<T>(schema: z.ZodType<T>, body: unknown): CheckedBody<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { success: true, data: parsed.data };
  return {
    success: false,
    problems: parsed.error.issues.slice(0, 3).map((issue) => `${issue.path.join(".")}: ${issue.message}`),
  };
}

/**
 * Checks every message, groups the good ones by company and runs `work` for each company at once.
 * A malformed message is retried (after the queue's retries it is kept as a dead letter); so is
 * every message of a company whose work throws.
 */
export async function perCompany<T extends { company_id: string }>(
  batch: MessageBatch,
  options: {
    /** Prefix of the log events: `<name>_message_malformed`, `<name>_company_failed`. */
    name: string;
    check: (body: unknown) => CheckedBody<T>;
    retry: (message: Message) => void;
    work: (companyId: string, items: CompanyMessage<T>[]) => Promise<void>;
  },
): Promise<void> {
  const byCompany = new Map<string, CompanyMessage<T>[]>();
  for (const message of batch.messages) {
    const parsed = options.check(message.body);
    if (!parsed.success) {
      console.error(
        JSON.stringify({
          level: "error",
          event: `${options.name}_message_malformed`,
          id: message.id,
          attempts: message.attempts,
          problems: parsed.problems,
        }),
      );
      options.retry(message);
      continue;
    }
    const list = byCompany.get(parsed.data.company_id) ?? [];
    list.push({ message, body: parsed.data });
    byCompany.set(parsed.data.company_id, list);
  }
  await Promise.all(
    [...byCompany].map(([companyId, items]) =>
      options.work(companyId, items).catch((error: unknown) => {
        console.error(
          JSON.stringify({
            level: "error",
            event: `${options.name}_company_failed`,
            companyId,
            error: errorText(error),
          }),
        );
        for (const item of items) options.retry(item.message);
      }),
    ),
  );
}
