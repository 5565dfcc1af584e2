export { anyEqual, bytesEqual, hmac, secretsEqual, sha256Hex } from "./compare.ts";
export {
  addressesFromDnsJson,
  CLOUDFLARE_DOH_URL,
  cachingResolver,
  DnsLookupError,
  dnsOverHttpsResolver,
  type HostResolver,
  type ResolvedHost,
  resolvedHostProblem,
} from "./dns-resolve.ts";
export { base64, base64Url, fromBase64, fromBase64Url, hex } from "./encoding.ts";
export {
  type EndpointUrlPolicy,
  endpointUrlProblem,
  isIpLiteralHost,
  isPublicIpAddress,
} from "./endpoint-url.ts";
export { decryptForCompany, encryptForCompany, signForCompany, verifyForCompany } from "./secrets.ts";
export {
  newWebhookSecret,
  STANDARD_WEBHOOK_TOLERANCE_SECONDS,
  signStandardWebhook,
  verifyStandardWebhook,
  WEBHOOK_SECRET_PREFIX,
  type WebhookVerdict,
  webhookSecretKey,
} from "./standard-webhooks.ts";
