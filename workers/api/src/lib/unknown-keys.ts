import type { z } from "zod";

// zod strips keys a schema does not name, so `{"tier":"gold","max_users":5}` would be accepted as
// only `max_users`, and the caller would believe the tier changed. Admin write routes refuse such
// bodies instead: this walks a parsed body beside its schema and names every key the schema does
// not describe. (The apps' routes keep ignoring them: older and newer desktop builds send fields
// this version does not know.)

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  getter?: () => z.ZodType;
};

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The keys an object schema (or an intersection of them) names, or null when it takes any key. */
function knownKeys(schema: z.ZodType): Set<string> | null {
  const def = defOf(schema);
  if (def.type === "object") {
    // A catchall (`.loose()`, `.catchall(x)`) takes keys it does not name; `.strict()` sets `never`.
    if (def.catchall && defOf(def.catchall).type !== "never") return null;
    return new Set(Object.keys(def.shape ?? {}));
  }
  if (def.type === "intersection" && def.left && def.right) {
    const left = knownKeys(def.left);
    const right = knownKeys(def.right);
    return left && right ? new Set([...left, ...right]) : null;
  }
  return null;
}

/** Paths (`a.b`, `items.2.c`) of the keys in `value` that `schema` does not describe. */
export function unknownKeys(schema: z.ZodType, value: unknown, path: string[] = []): string[] {
  const def = defOf(schema);
  switch (def.type) {
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
      return def.innerType ? unknownKeys(def.innerType, value, path) : [];
    case "pipe":
      return def.in ? unknownKeys(def.in, value, path) : [];
    case "lazy":
      return def.getter ? unknownKeys(def.getter(), value, path) : [];
    case "array":
      if (!Array.isArray(value) || !def.element) return [];
      return value.flatMap((item, index) =>
        unknownKeys(def.element as z.ZodType, item, [...path, String(index)]),
      );
    case "record":
      if (!isPlainObject(value) || !def.valueType) return [];
      return Object.entries(value).flatMap(([key, item]) =>
        unknownKeys(def.valueType as z.ZodType, item, [...path, key]),
      );
    case "union": {
      // The option that accepts the value is the one whose keys count.
      const option = (def.options ?? []).find((candidate) => candidate.safeParse(value).success);
      return option ? unknownKeys(option, value, path) : [];
    }
    case "object":
    case "intersection": {
      if (!isPlainObject(value)) return [];
      const known = knownKeys(schema);
      const found: string[] = [];
      for (const [key, item] of Object.entries(value)) {
        if (known && !known.has(key)) {
          found.push([...path, key].join("."));
          continue;
        }
        const field = fieldSchema(schema, key);
        if (field) found.push(...unknownKeys(field, item, [...path, key]));
      }
      return found;
    }
    default:
      return [];
  }
}

function fieldSchema(schema: z.ZodType, key: string): z.ZodType | undefined {
  const def = defOf(schema);
  if (def.type === "object") return def.shape?.[key];
  if (def.type === "intersection" && def.left && def.right) {
    return fieldSchema(def.left, key) ?? fieldSchema(def.right, key);
  }
  return undefined;
}
