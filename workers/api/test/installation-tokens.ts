// Installation tokens signed the way the service signs them (its first JWT_SIGNING_KEYS key, issuer,
// audience, kid), but with claims a test chooses: a token without exp, one issued in the past.
import { env } from "cloudflare:workers";
import { importJWK, type JWK, SignJWT } from "jose";

export interface CraftedClaims {
  installationId: string;
  companyId: string;
  /** Seconds since the epoch; left out when null. Default: now. */
  iat?: number | null;
  /** Seconds since the epoch; left out when null. Default: an hour from now. */
  exp?: number | null;
}

export async function signInstallationToken(claims: CraftedClaims): Promise<string> {
  const [jwk] = JSON.parse(env.JWT_SIGNING_KEYS) as JWK[];
  if (!jwk?.kid) throw new Error("JWT_SIGNING_KEYS has no key with a kid");
  const key = await importJWK(jwk, "EdDSA");
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ cid: claims.companyId })
    .setProtectedHeader({ alg: "EdDSA", kid: jwk.kid, typ: "JWT" })
    .setIssuer("nexus-central")
    .setAudience("nexus-installation")
    .setSubject(claims.installationId);
  const iat = claims.iat === undefined ? now : claims.iat;
  const exp = claims.exp === undefined ? now + 3600 : claims.exp;
  if (iat !== null) jwt.setIssuedAt(iat);
  if (exp !== null) jwt.setExpirationTime(exp);
  return jwt.sign(key);
}
