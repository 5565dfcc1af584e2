// Reading a worker's vars and secrets: both workers validate them with zod once per env object and
// fail with a message naming every bad setting, never its value.
import { z } from "zod";

/** `ENCRYPTION_KEYS`: the master keys for secrets at rest, the same value in both workers. */
export const EncryptionKeysSchema = z
  .string()
  .regex(
    /^\d+:[A-Za-z0-9+/=_-]{43,}(,\d+:[A-Za-z0-9+/=_-]{43,})*$/,
    "must be `<version>:<base64 32-byte key>`[,…]",
  );

/**
 * A reader of `schema` over an env, parsed once per env object; a bad env throws what `fail`
 * makes of the list of problems ("PATH message; …").
 */
export function configReader<S extends z.ZodType>(
  schema: S,
  fail: (problems: string) => Error,
): (env: object) => z.output<S> {
  const cache = new WeakMap<object, z.output<S>>();
  return (env) => {
    const cached = cache.get(env);
    if (cached) return cached;
    const result = schema.safeParse(env);
    if (!result.success) {
      throw fail(result.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`).join("; "));
    }
    cache.set(env, result.data);
    return result.data;
  };
}

/**
 * A setting holding JSON (a string in the env) that must match `schema`; a value that is not JSON
 * or does not match gets `problem` (say what a good value looks like, never repeat the value).
 * `unset` is read when the setting is absent.
 */
export function jsonSetting<S extends z.ZodType>(schema: S, problem: string, unset = "{}") {
  return z
    .string()
    .default(unset)
    .transform((value, ctx): z.output<S> => {
      let json: unknown;
      try {
        json = JSON.parse(value);
      } catch {
        json = undefined;
      }
      const parsed = schema.safeParse(json);
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: "custom", message: problem });
      return z.NEVER;
    });
}
