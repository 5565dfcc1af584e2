// Installation access tokens: short-lived EdDSA JWTs. The private keys live in the
// JWT_SIGNING_KEYS secret (the first one signs); every key's public half is published at
// /.well-known/jwks.json, so a key can be rotated by adding the new one first and dropping the old
// one after the longest token lifetime has passed.
import {
  type CryptoKey,
  createLocalJWKSet,
  errors,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from "jose";
import { ApiError, revalidate } from "../lib/errors.ts";

const ISSUER = "nexus-central";
const AUDIENCE = "nexus-installation";

export interface InstallationClaims {
  installationId: string;
  companyId: string;
}

interface SigningKeys {
  signing: { kid: string; key: CryptoKey };
  publicJwks: JWK[];
  verify: ReturnType<typeof createLocalJWKSet>;
}

async function loadKeys(setting: string): Promise<SigningKeys> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(setting);
  } catch {
    throw new ApiError(
      "CONFIGURATION_ERROR",
      "JWT_SIGNING_KEYS is not valid JSON. See docs/configuration.md.",
    );
  }
  const jwks = (Array.isArray(parsed) ? parsed : []) as JWK[];
  const first = jwks[0];
  if (!first || jwks.some((jwk) => jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || !jwk.d || !jwk.kid)) {
    throw new ApiError(
      "CONFIGURATION_ERROR",
      "JWT_SIGNING_KEYS must be a non-empty JSON array of Ed25519 private JWKs, each with a kid.",
    );
  }
  const publicJwks = jwks.map(({ kty, crv, x, kid }) => ({ kty, crv, x, kid, alg: "EdDSA", use: "sig" }));
  const key = (await importJWK(first, "EdDSA")) as CryptoKey;
  return {
    signing: { kid: String(first.kid), key },
    publicJwks,
    verify: createLocalJWKSet({ keys: publicJwks }),
  };
}

// Keyed by the secret's value: importing keys costs more than a heartbeat's own work.
const cache = new Map<string, Promise<SigningKeys>>();
function keys(setting: string): Promise<SigningKeys> {
  let entry = cache.get(setting);
  if (!entry) {
    entry = loadKeys(setting);
    entry.catch(() => cache.delete(setting));
    cache.clear();
    cache.set(setting, entry);
  }
  return entry;
}

export async function issueInstallationToken(
  setting: string,
  claims: InstallationClaims,
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const { signing } = await keys(setting);
  const expiresAt = new Date((Math.floor(Date.now() / 1000) + ttlSeconds) * 1000);
  const token = await new SignJWT({ cid: claims.companyId })
    .setProtectedHeader({ alg: "EdDSA", kid: signing.kid, typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.installationId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(signing.key);
  return { token, expiresAt };
}

/**
 * Tokens this isolate already verified, until they expire: an installation sends the same token
 * with every heartbeat and feed request for an hour, and an EdDSA verification costs more than the
 * rest of a heartbeat. Bounded; the oldest entries go first. Belongs to one key set, so rotating
 * JWT_SIGNING_KEYS starts it afresh.
 */
const VERIFIED_CACHE_SIZE = 10_000;
const verifiedTokens = new WeakMap<
  SigningKeys,
  Map<string, { claims: InstallationClaims; expiresAt: number }>
>();

function verifiedCache(signing: SigningKeys) {
  let cache = verifiedTokens.get(signing);
  if (!cache) {
    cache = new Map();
    verifiedTokens.set(signing, cache);
  }
  return cache;
}

/** The token's claims and when it expires (ms since the epoch). */
export type VerifiedInstallationToken = InstallationClaims & { expiresAt: number };

export async function verifyInstallationToken(
  setting: string,
  token: string,
): Promise<VerifiedInstallationToken> {
  const signing = await keys(setting);
  const cache = verifiedCache(signing);
  const known = cache.get(token);
  if (known && known.expiresAt > Date.now()) return { ...known.claims, expiresAt: known.expiresAt };
  if (known) cache.delete(token);
  const claims = await verifyUncached(signing, token);
  if (cache.size >= VERIFIED_CACHE_SIZE) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(token, claims);
  return { ...claims.claims, expiresAt: claims.expiresAt };
}

async function verifyUncached(
  { verify }: SigningKeys,
  token: string,
): Promise<{ claims: InstallationClaims; expiresAt: number }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, verify, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["EdDSA"],
      // jose only checks exp when present: a token without one would never expire.
      requiredClaims: ["exp"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) {
      throw new ApiError(
        "TOKEN_EXPIRED",
        "The installation token has expired. Validate again to get a new one.",
        revalidate,
      );
    }
    throw new ApiError(
      "INVALID_TOKEN",
      "The installation token is not valid. Validate again to get a new one.",
      revalidate,
    );
  }
  if (typeof payload.sub !== "string" || typeof payload.cid !== "string") {
    throw new ApiError(
      "INVALID_TOKEN",
      "The installation token is missing its claims. Validate again.",
      revalidate,
    );
  }
  return {
    claims: { installationId: payload.sub, companyId: payload.cid },
    expiresAt: (payload.exp ?? 0) * 1000,
  };
}

/**
 * A token used as proof of identity on validate (services/installations.ts): correctly signed,
 * issued by us for an installation, and expired at most `maxExpiredSeconds` ago (an app that was off
 * over a weekend still holds only an expired token). Its claims and when it was issued (ms), or null
 * when it proves nothing — the caller answers that, not a 401.
 */
export async function verifyInstallationProofToken(
  setting: string,
  token: string,
  maxExpiredSeconds: number,
): Promise<(InstallationClaims & { issuedAt: number }) | null> {
  const { verify } = await keys(setting);
  try {
    const { payload } = await jwtVerify(token, verify, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["EdDSA"],
      requiredClaims: ["exp", "iat"],
      clockTolerance: maxExpiredSeconds,
    });
    if (typeof payload.sub !== "string" || typeof payload.cid !== "string" || payload.iat === undefined) {
      return null;
    }
    return { installationId: payload.sub, companyId: payload.cid, issuedAt: payload.iat * 1000 };
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}

export async function publicJwks(setting: string): Promise<{ keys: JWK[] }> {
  return { keys: (await keys(setting)).publicJwks };
}
