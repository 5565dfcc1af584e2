/** The messages of an error and of its causes (drizzle wraps D1's error in its own). */
function messages(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(" | ");
}

/** True when D1 refused a write because it would break the unique index on `table.column`. */
export function isUniqueViolation(error: unknown, column: string): boolean {
  return messages(error).includes(`UNIQUE constraint failed: ${column}`);
}
