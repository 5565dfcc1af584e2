// The core calls' routes and the checks of their answers, without zod: the SDK an app embeds must
// stay small (zod with its locales is ~100 KB gzipped), so the answers of register, validate,
// heartbeat and telemetry are checked by hand, on the fields the client and the apps read. The
// types still come from @nexus/contracts (type-only imports, erased at build), and wire.test.ts
// holds every route here to the contract's method and path and every check to the contract's schema.
import type {
  ErrorCode,
  HeartbeatResponse,
  RegisterResponse,
  TelemetryIngestResponse,
  ValidateResponse,
} from "@nexus/contracts";
import type { ResponseSchema } from "./response.ts";

type Json = Record<string, unknown>;

/** A hand check as a ResponseSchema: `ok` says whether the parsed JSON has the fields read. */
function checked<T>(what: string, ok: (value: Json) => boolean): ResponseSchema<T> {
  return {
    safeParse(data) {
      if (isObject(data) && ok(data)) return { success: true, data: data as T };
      return { success: false, error: new TypeError(`not a ${what}`) };
    },
  };
}

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === "string";
const isInteger = (value: unknown): value is number => Number.isInteger(value);
const optional = (value: unknown, check: (value: unknown) => boolean) => value === undefined || check(value);

function isCredential(value: unknown): boolean {
  return isObject(value) && isString(value.id) && isString(value.token) && isString(value.token_expires_at);
}

const RegisterResponseCheck = checked<RegisterResponse>(
  "RegisterResponse",
  (body) =>
    body.success === true &&
    isString(body.company_id) &&
    isString(body.company_code) &&
    isString(body.company_name) &&
    isObject(body.database_config),
);

const ValidateResponseCheck = checked<ValidateResponse>(
  "ValidateResponse",
  (body) =>
    body.success === true &&
    isString(body.company_id) &&
    isString(body.company_name) &&
    isObject(body.settings) &&
    isInteger(body.settings_version) &&
    isString(body.update_channel) &&
    isCredential(body.installation) &&
    isObject(body.installation) &&
    optional(body.installation.secret, isString) &&
    isObject(body.feature_flags),
);

const HeartbeatResponseCheck = checked<HeartbeatResponse>(
  "HeartbeatResponse",
  (body) =>
    body.success === true &&
    typeof body.force_update === "boolean" &&
    typeof body.settings_changed === "boolean" &&
    optional(body.latest_version, isString) &&
    optional(body.settings, isObject) &&
    isInteger(body.settings_version) &&
    optional(body.installation, isCredential),
);

const TelemetryIngestResponseCheck = checked<TelemetryIngestResponse>(
  "TelemetryIngestResponse",
  (body) =>
    body.success === true &&
    isString(body.batch_id) &&
    isObject(body.accepted) &&
    isInteger(body.rejected_count) &&
    Array.isArray(body.rejected),
);

/** The API's error envelope: `{ success: false, error: { code, message, request_id, details? } }`. */
export interface ErrorEnvelope {
  success: false;
  error: { code: ErrorCode; message: string; request_id: string; details?: Record<string, unknown> };
}

export const ErrorEnvelopeCheck = checked<ErrorEnvelope>("error envelope", (body) => {
  const error = body.error;
  return (
    body.success === false &&
    isObject(error) &&
    isString(error.code) &&
    isString(error.message) &&
    isString(error.request_id) &&
    optional(error.details, isObject)
  );
});

export const coreRoutes = {
  register: { method: "post", path: "/api/company/register", response: RegisterResponseCheck },
  validate: { method: "post", path: "/api/company/validate", response: ValidateResponseCheck },
  heartbeat: { method: "post", path: "/api/company/heartbeat", response: HeartbeatResponseCheck },
  ingestTelemetry: { method: "post", path: "/api/telemetry", response: TelemetryIngestResponseCheck },
} as const;
