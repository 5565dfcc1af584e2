// A local stand-in for the Nexus API's source-map upload route, matched on the contract's path,
// with its query checked (and the name normalised) by the contract's schema, and the checks the real
// API makes that matter to a client: the bearer credential, the company and the error project,
// Content-Length, the size limit and a source map v3 body. Stored maps live in memory.
import { createHash } from "node:crypto";
import { routes, SOURCE_MAP_MAX_BYTES, type SourceMap, SourceMapQuerySchema } from "@nexus/contracts";
import { exactBody, StandInError, type StandInRequest, startStandInServer } from "./stand-in-server.ts";

export interface SourceMapApiStandInOptions {
  credentials: string[];
  companyId: string;
  projectIds: number[];
  /** Uploads of these names are answered with this error, as if the API failed on them. */
  failNames?: Map<string, "INTERNAL_ERROR" | "VALIDATION_FAILED">;
}

export interface SourceMapApiStandIn {
  url: string;
  requests: StandInRequest[];
  /** Stored maps by `<projectId> <release> <name>`, with their bytes. */
  stored: Map<string, { view: SourceMap; bytes: Buffer }>;
  close(): Promise<void>;
}

function checkSourceMap(bytes: Buffer): void {
  let map: unknown;
  try {
    map = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new StandInError("VALIDATION_FAILED", "The body is not a source map (v3 JSON): it is not JSON.");
  }
  const fields = typeof map === "object" && map !== null ? (map as Record<string, unknown>) : {};
  if (fields.version !== 3 || typeof fields.mappings !== "string" || !Array.isArray(fields.sources)) {
    throw new StandInError(
      "VALIDATION_FAILED",
      "The body is not a source map (v3 JSON): `version` must be 3.",
    );
  }
}

export async function startSourceMapApiStandIn(
  options: SourceMapApiStandInOptions,
): Promise<SourceMapApiStandIn> {
  const stored = new Map<string, { view: SourceMap; bytes: Buffer }>();
  const server = await startStandInServer({
    authorize(request) {
      const header = request.headers.get("authorization") ?? "";
      if (!options.credentials.some((credential) => header === `Bearer ${credential}`)) {
        throw new StandInError("UNAUTHORIZED", "Missing or invalid admin credentials");
      }
    },
  });
  server.on(routes.uploadSourceMap, async (request, params) => {
    if (params.companyId !== options.companyId) {
      throw new StandInError("COMPANY_NOT_FOUND", `No company ${params.companyId}.`);
    }
    const projectId = Number(params.errorProjectId);
    if (!options.projectIds.includes(projectId)) {
      throw new StandInError(
        "ERROR_PROJECT_NOT_FOUND",
        `This company has no error project ${params.errorProjectId}.`,
      );
    }
    const query = SourceMapQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
    if (!query.success)
      throw new StandInError("VALIDATION_FAILED", query.error.issues[0]?.message ?? "invalid");
    const length = Number(request.headers.get("content-length") ?? Number.NaN);
    if (length > SOURCE_MAP_MAX_BYTES) throw new StandInError("PAYLOAD_TOO_LARGE", "Too large.");
    const bytes = await exactBody(request, length);
    const failure = options.failNames?.get(query.data.name);
    if (failure) throw new StandInError(failure, `Refused ${query.data.name} on purpose.`);
    checkSourceMap(bytes);
    const view: SourceMap = {
      project_id: projectId,
      release: query.data.release,
      name: query.data.name,
      size: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      uploaded_at: new Date().toISOString(),
    };
    stored.set(`${projectId} ${view.release} ${view.name}`, { view, bytes });
    return { status: 200, body: { success: true, source_map: view } };
  });
  return { url: server.url, requests: server.requests, stored, close: server.close };
}
