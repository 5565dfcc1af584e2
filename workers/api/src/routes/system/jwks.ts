import { getConfig } from "../../env.ts";
import { operation } from "../../lib/operation.ts";
import { publicJwks } from "../../services/installation-tokens.ts";

// A public Ed25519 JWK's members (kty, crv, x, kid, alg, use) are all strings, as the contract says;
// jose types a JWK more loosely.
const stringMembers = (jwk: object): Record<string, string> =>
  Object.fromEntries(
    Object.entries(jwk).filter((member): member is [string, string] => typeof member[1] === "string"),
  );

export const jwks = operation("jwks", async (c) => {
  c.header("Cache-Control", "public, max-age=300");
  const { keys } = await publicJwks(getConfig(c.env).JWT_SIGNING_KEYS);
  return { keys: keys.map(stringMembers) };
});
