// What `pnpm dev` hands to people and tools driving the demo: the URLs, the operator credential, the
// logins, the demo company and an installation to act as. Written once the demo is seeded, so a file
// that exists means the system is ready (tools wait for it rather than for /health, which answers
// before seeding ends). Local secrets only: the file is private to its owner and never committed.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface DemoCredentials {
  ready_at: string;
  api_url: string;
  dashboard_url: string;
  docs_url: string;
  openapi_url: string;
  operator: { authorization: string; login: { email: string; password: string } };
  /** NEXUS_ADMIN_SECRET itself, for tools that build their own header. */
  operator_secret: string;
  company_id: string;
  company_code: string;
  /** A demo company API key holding every permission a key may hold, the LLM gateway's included. */
  api_key: string;
  /** The OpenAI SDK's base URL for the gateway, and a model the local stand-ins serve. */
  llm_base_url: string;
  llm_model: string;
  /** The demo desktop app's Sentry DSN: point a Sentry SDK's `dsn` at it to report errors. */
  sentry_dsn: string;
  company: { id: string; name: string; code: string; seats: number };
  owner: { email: string; password: string };
  installation: { machine_id: string; installation_secret: string; token: string; token_note: string };
  update_feed_url: string;
  releases: string[];
}

export function writeDemoCredentials(path: string, credentials: DemoCredentials): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
}
