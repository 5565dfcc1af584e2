import { base64Url } from "@nexus/security";

export { newId } from "@nexus/db";

/** A random secret token with a readable prefix, e.g. `nxr_…` for registration tokens. */
export function newSecretToken(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `${prefix}_${base64Url(bytes)}`;
}
