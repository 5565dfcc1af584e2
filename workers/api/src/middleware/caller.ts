// Who is calling, as the access middleware established it from the operation's auth scheme. Handlers
// get it typed by their contract's scheme (lib/operation.ts), so none re-reads a credential.
import type { AuthScheme } from "@nexus/contracts";
import type { ApiKeyRow } from "../services/api-keys.ts";
import type { IngestBody } from "../services/errors/ingest/body.ts";
import type { ErrorProjectKey } from "../services/errors/ingest/project-keys.ts";
import type { VerifiedInbound } from "../services/inbound-webhooks.ts";

export interface OperatorCaller {
  kind: "operator";
  /** "admin-secret", or the operator's user id. */
  id: string;
}
export interface UserCaller {
  kind: "user";
  userId: string;
  role: string | null;
}
export interface ApiKeyCaller {
  kind: "apiKey";
  key: ApiKeyRow;
}
export interface InstallationCaller {
  kind: "installation";
  companyId: string;
  installationId: string;
  /** When the installation token expires (ms since the epoch). */
  expiresAt: number;
}
export interface SignedLinkCaller {
  kind: "signedLink";
}
export interface WebhookCaller {
  kind: "webhook";
  verified: VerifiedInbound;
  /** The raw body the signature covers. */
  body: string;
}
/** An app's Sentry SDK, holding the DSN of `project`. */
export interface SentryKeyCaller {
  kind: "sentryKey";
  project: ErrorProjectKey;
  /** The decoded body, when the key was found in it (the envelope header's `dsn`). */
  body?: IngestBody;
}
export interface AnonymousCaller {
  kind: "anonymous";
}

/** A credential as authenticate() finds it, before any rule of a route is applied. */
export type Principal = OperatorCaller | UserCaller | ApiKeyCaller | InstallationCaller;

export type Caller = Principal | SignedLinkCaller | WebhookCaller | SentryKeyCaller | AnonymousCaller;

/** The callers a scheme lets through: what a handler of such a route may be handed. */
export type CallerOf<S extends AuthScheme> = S extends "operator"
  ? OperatorCaller
  : S extends "company"
    ? Principal
    : S extends "companyUser"
      ? UserCaller
      : S extends "member"
        ? OperatorCaller | UserCaller
        : S extends "installationToken"
          ? InstallationCaller
          : S extends "installationTokenOrApiKey"
            ? InstallationCaller | ApiKeyCaller
            : S extends "installationTokenOrMember"
              ? InstallationCaller | OperatorCaller | UserCaller
              : S extends "signedLink"
                ? SignedLinkCaller
                : S extends "webhookSignature"
                  ? WebhookCaller
                  : S extends "sentryKey"
                    ? SentryKeyCaller
                    : AnonymousCaller;
