// The installation secret binds a machine's installation to this app: once bound, validating the
// same machine_id again needs it (a machine_id is a hardware fingerprint anyone could copy). The
// client proposes one on the first validate and keeps it in an InstallationSecretStore; it is saved
// before the request goes out, so an answer lost on the way cannot leave the app without the secret
// the server bound.

/** Where the client keeps each machine's installation secret. Keep it private (keychain, safeStorage). */
export interface InstallationSecretStore {
  load(companyCode: string, machineId: string): string | undefined | Promise<string | undefined>;
  save(companyCode: string, machineId: string, secret: string): void | Promise<void>;
}

/** Secrets in memory: enough for one run of the app; give a persistent store to survive restarts. */
export function memoryInstallationSecretStore(): InstallationSecretStore {
  const secrets = new Map<string, string>();
  const key = (companyCode: string, machineId: string) => `${companyCode}\n${machineId}`;
  return {
    load: (companyCode, machineId) => secrets.get(key(companyCode, machineId)),
    save: (companyCode, machineId, secret) => void secrets.set(key(companyCode, machineId), secret),
  };
}

/** 32 random bytes, hex: the format ValidateRequest's installation_secret takes. */
export function newInstallationSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `nxi_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
