// Source maps uploaded per error project and release. A map is stored under the URL of the minified
// file it maps, in Sentry's `~/path` form, so a stack frame's `abs_path` finds it whatever the host
// or scheme the app loaded the file from (https://cdn…/app.js, app:///app.js and ~/app.js alike).
import { z } from "zod";
import { ErrorProjectParams } from "../error-projects/schemas.ts";
import { IsoDateSchema } from "../shared/common.ts";

/** The largest source map accepted (bytes): bundles of big apps reach a few MB, with sourcesContent. */
export const SOURCE_MAP_MAX_BYTES = 20 * 1024 * 1024;

/**
 * The `~/path` form of a minified file's URL (or a frame's `abs_path`): the query and fragment
 * dropped, and a scheme and host (`https://cdn.example.com/`, `app:///`, `file:///`) or a leading
 * `/` or `./` replaced by `~/`. Uploads and the consumer's lookups both go through it. Null for a
 * name with no path left.
 */
export function sourceMapName(url: string): string | null {
  let path = url.trim().replace(/[?#].*$/, "");
  if (path.startsWith("~/")) path = path.slice(2);
  else {
    const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
    if (scheme) path = path.slice(scheme[0].length);
  }
  path = path.replace(/^(\.?\/)+/, "");
  return path === "" ? null : `~/${path}`;
}

const ReleaseNameSchema = z.string().trim().min(1).max(200).meta({ example: "desktop@1.4.2" });

export const SourceMapNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .transform((name, ctx) => {
    const normalised = sourceMapName(name);
    if (normalised === null) {
      ctx.addIssue({ code: "custom", message: "the minified file's URL or ~/path" });
      return z.NEVER;
    }
    return normalised;
  })
  .meta({
    description: "The minified file's URL (https://host/js/app.js, app:///app.js) or its `~/js/app.js` form",
    example: "~/dist/main.js",
  });

export const SourceMapParams = ErrorProjectParams;
export const SourceMapQuerySchema = z.object({ release: ReleaseNameSchema, name: SourceMapNameSchema });
export const SourceMapListQuerySchema = z.object({
  release: ReleaseNameSchema.optional().meta({ description: "Default: every release" }),
});

export const SourceMapSchema = z
  .object({
    project_id: z.number().int(),
    release: z.string(),
    name: z.string().meta({ description: "The minified file's `~/path`" }),
    size: z.number().int(),
    sha256: z.string().meta({ description: "Hex digest of the uploaded bytes" }),
    uploaded_at: IsoDateSchema,
  })
  .meta({ id: "SourceMap" });
export type SourceMap = z.infer<typeof SourceMapSchema>;

export const SourceMapResponseSchema = z.object({ success: z.literal(true), source_map: SourceMapSchema });
export const SourceMapListSchema = z
  .object({
    success: z.literal(true),
    source_maps: z.array(SourceMapSchema).meta({ description: "Newest upload first" }),
    truncated: z.boolean().meta({ description: "More than 1000 matched: filter by release" }),
  })
  .meta({ id: "SourceMapList" });
