// Source maps uploaded per project and release, used to symbolicate minified stack traces.
import { adminErrors, companyErrors, define } from "../shared/route-contract.ts";
import {
  SourceMapListQuerySchema,
  SourceMapListSchema,
  SourceMapParams,
  SourceMapQuerySchema,
  SourceMapResponseSchema,
} from "./schemas.ts";

const path = "/api/admin/companies/{companyId}/error-projects/{errorProjectId}/source-maps";
const mapErrors = [
  ...adminErrors,
  ...companyErrors,
  "TENANT_DATABASE_EXTERNAL",
  "ERROR_PROJECT_NOT_FOUND",
  "VALIDATION_FAILED",
] as const;

export const errorSourceMapRoutes = {
  uploadSourceMap: define({
    method: "put",
    path,
    summary:
      "Upload a release's source map (v3 JSON, ≤ 20 MiB) for the minified file `name`; sending it again replaces it",
    tag: "errors",
    auth: "company",
    permission: { resource: "errors", action: "manage" },
    params: SourceMapParams,
    query: SourceMapQuerySchema,
    rawBody: true,
    status: 200,
    response: SourceMapResponseSchema,
    errors: [...mapErrors, "LENGTH_REQUIRED", "PAYLOAD_TOO_LARGE"],
  }),
  listSourceMaps: define({
    method: "get",
    path,
    summary: "The project's uploaded source maps, of one release or all",
    tag: "errors",
    auth: "company",
    permission: { resource: "errors", action: "read" },
    params: SourceMapParams,
    query: SourceMapListQuerySchema,
    status: 200,
    response: SourceMapListSchema,
    errors: mapErrors,
  }),
  deleteSourceMap: define({
    method: "delete",
    path,
    summary: "Delete a release's source map; frames of later events stay minified",
    tag: "errors",
    auth: "company",
    permission: { resource: "errors", action: "manage" },
    params: SourceMapParams,
    query: SourceMapQuerySchema,
    status: 200,
    response: SourceMapResponseSchema,
    errors: [...mapErrors, "SOURCE_MAP_NOT_FOUND"],
  }),
} as const;
