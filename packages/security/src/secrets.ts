// Secrets at rest: AES-256-GCM with one key per company, derived from the master key with
// HKDF-SHA256. The company id is bound as associated data, so a ciphertext copied onto another
// company's row does not decrypt. Ciphertexts name their key version so master keys can rotate.
import { base64Url, fromBase64Url } from "./encoding.ts";

const encoder = new TextEncoder();

interface MasterKey {
  version: number;
  material: CryptoKey;
}

function parseMasterKeys(setting: string): Promise<MasterKey[]> {
  return Promise.all(
    setting.split(",").map(async (entry) => {
      const [version = "", key = ""] = entry.trim().split(":");
      const raw = fromBase64Url(key.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, ""));
      if (raw.byteLength !== 32) throw new Error(`ENCRYPTION_KEYS version ${version} is not a 32-byte key`);
      const material = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
      return { version: Number(version), material };
    }),
  );
}

const keyCache = new Map<string, Promise<MasterKey[]>>();
function masterKeys(setting: string): Promise<MasterKey[]> {
  let keys = keyCache.get(setting);
  if (!keys) {
    keys = parseMasterKeys(setting);
    keyCache.clear();
    keyCache.set(setting, keys);
  }
  return keys;
}

function companyKey(master: MasterKey, companyId: string): Promise<CryptoKey> {
  return crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: encoder.encode("nexus-central/company-secrets"),
      info: encoder.encode(companyId),
    },
    master.material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * The associated data of a company's ciphertext: its id, and the `context` the secret belongs to
 * (e.g. `llm-key:openai`), so a ciphertext opens only for the company and the use it was sealed for.
 */
function associatedData(companyId: string, context: string | undefined): Uint8Array {
  return encoder.encode(context === undefined ? companyId : `${companyId}\n${context}`);
}

/** Encrypts with the newest master key: `v<version>.<iv>.<ciphertext>` in base64url. */
export async function encryptForCompany(
  setting: string,
  companyId: string,
  plaintext: string,
  context?: string,
): Promise<string> {
  const keys = await masterKeys(setting);
  const current = keys.reduce((a, b) => (b.version > a.version ? b : a));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: associatedData(companyId, context) },
    await companyKey(current, companyId),
    encoder.encode(plaintext),
  );
  return `v${current.version}.${base64Url(iv)}.${base64Url(new Uint8Array(ciphertext))}`;
}

export async function decryptForCompany(
  setting: string,
  companyId: string,
  sealed: string,
  context?: string,
): Promise<string> {
  const match = /^v(\d+)\.([\w-]+)\.([\w-]+)$/.exec(sealed);
  if (!match) throw new Error("not a sealed secret");
  const version = Number(match[1]);
  const key = (await masterKeys(setting)).find((k) => k.version === version);
  if (!key) throw new Error(`master key version ${version} is not configured in ENCRYPTION_KEYS`);
  const plaintext = await crypto.subtle.decrypt(
    {
      name: "AES-GCM",
      iv: fromBase64Url(match[2] ?? ""),
      additionalData: associatedData(companyId, context),
    },
    await companyKey(key, companyId),
    fromBase64Url(match[3] ?? ""),
  );
  return new TextDecoder().decode(plaintext);
}

/**
 * Signs `message` with an HMAC key derived for `companyId` and `purpose` from the newest master key:
 * `v<version>.<base64url>`. Bound to the company, so a signature is worthless for another company.
 */
export async function signForCompany(
  setting: string,
  companyId: string,
  purpose: string,
  message: string,
): Promise<string> {
  const keys = await masterKeys(setting);
  const current = keys.reduce((a, b) => (b.version > a.version ? b : a));
  return `v${current.version}.${base64Url(await companyMac(current, companyId, purpose, message))}`;
}

/** Checks a signForCompany() signature in constant time, with whichever master key version it names. */
export async function verifyForCompany(
  setting: string,
  companyId: string,
  purpose: string,
  message: string,
  signature: string,
): Promise<boolean> {
  const match = /^v(\d+)\.([\w-]{43})$/.exec(signature);
  if (!match) return false;
  const key = (await masterKeys(setting)).find((k) => k.version === Number(match[1]));
  if (!key) return false;
  const expected = await companyMac(key, companyId, purpose, message);
  const given = fromBase64Url(match[2] ?? "");
  return given.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(given, expected);
}

async function companyMac(master: MasterKey, companyId: string, purpose: string, message: string) {
  const key = await crypto.subtle.deriveKey(
    {
      name: "HKDF",
      hash: "SHA-256",
      salt: encoder.encode(`nexus-central/${purpose}`),
      info: encoder.encode(companyId),
    },
    master.material,
    { name: "HMAC", hash: "SHA-256", length: 256 },
    false,
    ["sign"],
  );
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}
