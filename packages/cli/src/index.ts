// Library surface of @nexus/cli, for dev scripts and demos that want the pieces without the CLI.

export { run, USAGE } from "./cli.ts";
export type { CloudflareApi, D1Database, ScriptSettings, WorkerBinding } from "./cloudflare/api.ts";
export { CloudflareApiError } from "./cloudflare/api.ts";
export { cloudflareApiFromEnv, createHttpCloudflareApi } from "./cloudflare/http-api.ts";
export {
  type DocumentFolder,
  type DocumentsUploadOptions,
  documentsUpload,
  type LocalDocument,
  readDocumentFolder,
} from "./commands/documents-upload.ts";
export { parseCount, poolAdd } from "./commands/pool-add.ts";
export { poolStatus } from "./commands/pool-status.ts";
export {
  type ReleasePublishOptions,
  releasePublish,
  SINGLE_UPLOAD_LIMIT,
} from "./commands/release-publish.ts";
export {
  devVarsLine,
  formatDevVars,
  generateSecrets,
  type NexusSecrets,
  secretsGenerate,
} from "./commands/secrets.ts";
export { CliError, UsageError } from "./errors.ts";
export { getTenantPoolStatus, NexusApiError } from "./nexus-api.ts";
export {
  completeMultipartUpload,
  createRelease,
  findReleases,
  publishRelease,
  startMultipartUpload,
  uploadMultipartPart,
  uploadReleaseFile,
} from "./release-api.ts";
export {
  channelFilePlatform,
  type LocalRelease,
  type LocalReleaseFile,
  readReleaseFolder,
} from "./release-folder.ts";
