// The `sentryKey` scheme's check (middleware/access.ts): the DSN's key from the request's headers or
// query, or else from the `dsn` in the envelope's header (the body is then read here, and handed on
// to the handler), checked against the project named by the path.
import { ERROR_INGEST_LIMITS } from "@nexus/contracts";
import type { Context } from "hono";
import type { AppEnv } from "../../../env.ts";
import { ApiError } from "../../../lib/errors.ts";
import type { SentryKeyCaller } from "../../../middleware/caller.ts";
import { type IngestBody, readIngestBody } from "./body.ts";
import { EnvelopeError, parseEnvelopeHeader } from "./envelope.ts";
import { projectForKey } from "./project-keys.ts";
import { parseDsn, requestSentryKey } from "./sentry-auth.ts";

export const ENVELOPE_BODY_LIMITS = {
  maxBytes: ERROR_INGEST_LIMITS.maxEnvelopeBytes,
  maxDecodedBytes: ERROR_INGEST_LIMITS.maxDecodedEnvelopeBytes,
};
export const STORE_BODY_LIMITS = {
  maxBytes: ERROR_INGEST_LIMITS.maxStoreBytes,
  maxDecodedBytes: ERROR_INGEST_LIMITS.maxStoreBytes,
};

const HOW_TO_AUTHENTICATE =
  "Send the DSN's key as `X-Sentry-Auth: Sentry sentry_key=<key>, sentry_version=7`, as `?sentry_key=<key>`, or as the envelope header's `dsn` (Sentry SDKs do this when given the DSN).";

/** The project id of the path: digits only, as in a DSN. */
export function pathProjectId(value: string | undefined): number {
  if (!value || !/^[0-9]{1,15}$/.test(value)) {
    throw new ApiError(
      "VALIDATION_FAILED",
      "Invalid path parameters: projectId must be the DSN's project id (digits only).",
      {
        issues: [{ path: "projectId", message: "must be digits only" }],
      },
    );
  }
  return Number(value);
}

/** The key in the envelope header's `dsn`, checked to name the path's project. */
function envelopeKey(body: IngestBody, projectId: string): string {
  let header: Record<string, unknown>;
  try {
    header = parseEnvelopeHeader(body.bytes);
  } catch (error) {
    if (!(error instanceof EnvelopeError)) throw error;
    throw new ApiError("UNAUTHORIZED", `No DSN key in the request: ${error.message} ${HOW_TO_AUTHENTICATE}`);
  }
  const dsn = typeof header.dsn === "string" ? parseDsn(header.dsn) : null;
  if (!dsn) throw new ApiError("UNAUTHORIZED", `No DSN key in the request. ${HOW_TO_AUTHENTICATE}`);
  if (dsn.projectId !== projectId) {
    throw new ApiError(
      "UNAUTHORIZED",
      `The envelope's DSN is for project ${dsn.projectId.slice(0, 20)}, but it was sent to project ${projectId}.`,
    );
  }
  return dsn.key;
}

export async function sentryKeyCaller(c: Context<AppEnv>, envelope: boolean): Promise<SentryKeyCaller> {
  const rawProjectId = c.req.param("projectId");
  const projectId = pathProjectId(rawProjectId);
  let key = requestSentryKey(c.req.raw.headers, new URL(c.req.url).searchParams);
  let body: IngestBody | undefined;
  if (!key && envelope) {
    try {
      body = await readIngestBody(c.req.raw, ENVELOPE_BODY_LIMITS);
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      throw new ApiError(
        "UNAUTHORIZED",
        `No DSN key in the request: ${error.message} ${HOW_TO_AUTHENTICATE}`,
      );
    }
    key = envelopeKey(body, String(projectId));
  }
  if (!key) throw new ApiError("UNAUTHORIZED", `No DSN key in the request. ${HOW_TO_AUTHENTICATE}`);
  const project = await projectForKey(c.get("db"), projectId, key);
  return { kind: "sentryKey", project, ...(body ? { body } : {}) };
}
