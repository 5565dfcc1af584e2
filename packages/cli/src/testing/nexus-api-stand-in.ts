// A minimal stand-in for the Nexus API's operator endpoints the CLI reads (just the tenant pool for
// now), answering with contract-shaped bodies and the API's error envelope.
import type { TenantPoolStatus } from "../nexus-api.ts";
import { startLocalServer } from "./http-server.ts";

export interface NexusApiStandInOptions {
  adminSecret: string;
  poolStatus: TenantPoolStatus;
}

export interface NexusApiStandIn {
  url: string;
  /** Authorization headers received, in order. */
  authorizations: (string | null)[];
  close(): Promise<void>;
}

export async function startNexusApiStandIn(options: NexusApiStandInOptions): Promise<NexusApiStandIn> {
  const authorizations: (string | null)[] = [];
  const server = await startLocalServer(async (request) => {
    const { pathname } = new URL(request.url);
    const requestId = `req_${authorizations.length + 1}`;
    const error = (status: number, code: string, message: string) =>
      Response.json({ success: false, error: { code, message, request_id: requestId } }, { status });
    if (request.method !== "GET" || pathname !== "/api/admin/tenant-pool") {
      return error(404, "NOT_FOUND", `No route for ${request.method} ${pathname}`);
    }
    authorizations.push(request.headers.get("authorization"));
    if (request.headers.get("authorization") !== `Bearer ${options.adminSecret}`) {
      return error(401, "UNAUTHORIZED", "Missing or invalid admin credentials");
    }
    return Response.json(options.poolStatus);
  });
  return { url: server.url, authorizations, close: server.close };
}
