// The two Cloudflare APIs that replenish the tenant pool: D1 (create a database) and Workers script
// settings (read and replace the worker's bindings). Commands depend on this interface, so tests can
// point them at the local stand-in (../testing/cloudflare-stand-in.ts).
import { CliError } from "../errors.ts";

/**
 * A Worker binding as the settings API returns and accepts it, e.g. `{type:"d1", name, id}`.
 * Other binding types carry other fields; they are passed back untouched.
 */
export interface WorkerBinding {
  type: string;
  name: string;
  [field: string]: unknown;
}

export interface ScriptSettings {
  bindings: WorkerBinding[];
  [field: string]: unknown;
}

export interface D1Database {
  uuid: string;
  name: string;
  created_at?: string;
  version?: string;
}

export interface CloudflareApi {
  /** POST /accounts/{account_id}/d1/database */
  createD1Database(name: string): Promise<D1Database>;
  /** GET /accounts/{account_id}/workers/scripts/{script_name}/settings */
  getScriptSettings(script: string): Promise<ScriptSettings>;
  /** PATCH of the same path. `bindings` replaces the whole list, so send the existing ones too. */
  patchScriptSettings(script: string, settings: { bindings: WorkerBinding[] }): Promise<ScriptSettings>;
}

/** One entry of a Cloudflare v4 `errors` array. */
export interface CloudflareMessage {
  code: number;
  message: string;
}

export class CloudflareApiError extends CliError {
  readonly status: number | null;
  readonly errors: CloudflareMessage[];

  constructor(operation: string, status: number | null, errors: CloudflareMessage[], detail?: string) {
    const listed = errors.map((error) => `[${error.code}] ${error.message}`).join("; ");
    const where = status === null ? "" : ` (HTTP ${status})`;
    super(`Cloudflare API: ${operation} failed${where}: ${listed || detail || "no error details"}`);
    this.name = "CloudflareApiError";
    this.status = status;
    this.errors = errors;
  }
}
