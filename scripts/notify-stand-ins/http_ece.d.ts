// The parts of http_ece (no types published) the Web Push stand-in and its tests use.
declare module "http_ece" {
  import type { ECDH } from "node:crypto";

  export interface EceParams {
    version: "aes128gcm" | "aesgcm" | "aesgcm128";
    /** The receiver's ECDH key (crypto.createECDH("prime256v1")) for Web Push. */
    privateKey?: ECDH;
    /** The subscription's auth secret, base64url or bytes. */
    authSecret?: string | Buffer;
    dh?: string | Buffer;
    key?: string | Buffer;
    keyid?: string | Buffer;
    salt?: string | Buffer;
    rs?: number;
  }

  export function decrypt(buffer: Buffer, params: EceParams): Buffer;
  export function encrypt(buffer: Buffer, params: EceParams): Buffer;
  const ece: { decrypt: typeof decrypt; encrypt: typeof encrypt };
  export default ece;
}
