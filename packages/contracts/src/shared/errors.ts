import { z } from "zod";

/** Every error code the API answers with, and the HTTP status it travels with. */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNAUTHORIZED: 401,
  INVALID_TOKEN: 401,
  TOKEN_EXPIRED: 401,
  WEBHOOK_SIGNATURE_INVALID: 401,
  REGISTRATION_TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  COMPANY_SUSPENDED: 403,
  SUBSCRIPTION_EXPIRED: 403,
  INSTALLATION_DEACTIVATED: 403,
  CHANNEL_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  COMPANY_NOT_FOUND: 404,
  INSTALLATION_NOT_FOUND: 404,
  CHANNEL_NOT_FOUND: 404,
  RELEASE_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  MACHINE_NOT_FOUND: 404,
  WEBHOOK_PROVIDER_NOT_CONFIGURED: 404,
  WEBHOOK_ENDPOINT_NOT_FOUND: 404,
  WEBHOOK_DELIVERY_NOT_FOUND: 404,
  DOCUMENT_NOT_FOUND: 404,
  PROJECT_NOT_FOUND: 404,
  DOCUMENT_LINK_INVALID: 403,
  COMPANY_CODE_TAKEN: 409,
  INSTALLATION_LIMIT_REACHED: 409,
  INSTALLATION_BOUND: 409,
  IDEMPOTENCY_REQUEST_IN_PROGRESS: 409,
  CHANNEL_EXISTS: 409,
  USER_EXISTS: 409,
  LAST_OWNER: 409,
  RELEASE_EXISTS: 409,
  RELEASE_STATE_CONFLICT: 409,
  UPLOAD_INCOMPLETE: 409,
  TENANT_DATABASE_EXTERNAL: 409,
  STRIPE_CUSTOMER_TAKEN: 409,
  REGISTRATION_TOKEN_USED: 409,
  STORAGE_QUOTA_EXCEEDED: 409,
  DOCUMENT_STATE_CONFLICT: 409,
  STAGE_REQUIREMENTS_UNMET: 409,
  PIPELINE_STAGE_IN_USE: 409,
  PROJECT_STAGE_CHANGED: 409,
  SYNC_MUTATION_GAP: 409,
  DEAD_LETTER_RESOLVED: 409,
  INBOUND_WEBHOOK_PROCESSED: 409,
  LENGTH_REQUIRED: 411,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  DOCUMENT_TYPE_NOT_ALLOWED: 415,
  RANGE_NOT_SATISFIABLE: 416,
  UPGRADE_REQUIRED: 426,
  IDEMPOTENCY_KEY_REUSED: 422,
  CHECKSUM_MISMATCH: 422,
  WEBHOOK_URL_NOT_ALLOWED: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  CONFIGURATION_ERROR: 500,
  TENANT_POOL_EXHAUSTED: 503,
  SERVICE_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];
export const ErrorCodeSchema = z.enum(errorCodes);

/** What an app should do next; set on errors where the answer is not obvious from the code. */
export const ErrorActionSchema = z.enum(["revalidate", "retry", "contact_admin"]);

export const ErrorEnvelopeSchema = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: ErrorCodeSchema,
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
      request_id: z.string(),
    }),
  })
  .meta({ id: "ErrorEnvelope" });
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;
