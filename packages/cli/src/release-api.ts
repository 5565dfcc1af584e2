// The operator API's release routes, as `nexus release publish` uses them: find or create a draft,
// upload its declared files (in one request or in parts), publish it. Answers are checked against
// the contract schemas.
import {
  type CreateReleaseRequest,
  MultipartUploadSchema,
  type Release,
  ReleaseFileResponseSchema,
  ReleaseListSchema,
  ReleaseResponseSchema,
  routes,
  UploadedPartSchema,
} from "@nexus/contracts";
import { type NexusApiOptions, parseAnswer, requestJson, routePath } from "./nexus-api.ts";

export type ReleaseFile = Release["files"][number];

/** Raw bytes to send, streamed, and their exact length. */
export interface UploadBody {
  stream: ReadableStream<Uint8Array>;
  length: number;
}

export interface Rollout {
  percent: number;
  ramp_hours?: number;
}

export async function findReleases(
  options: NexusApiOptions,
  filter: { channel: string; version: string },
): Promise<Release[]> {
  const route = routes.listReleases;
  const body = await requestJson(options, route.method, route.path, { query: filter });
  return parseAnswer(ReleaseListSchema, body, route.path).releases;
}

export async function createRelease(
  options: NexusApiOptions,
  request: CreateReleaseRequest,
): Promise<Release> {
  const route = routes.createRelease;
  const body = await requestJson(options, route.method, route.path, { json: request });
  return parseAnswer(ReleaseResponseSchema, body, route.path).release;
}

export async function uploadReleaseFile(
  options: NexusApiOptions,
  file: { releaseId: string; fileName: string },
  bytes: UploadBody,
): Promise<ReleaseFile> {
  const route = routes.uploadReleaseFile;
  const path = routePath(route.path, file);
  const body = await requestJson(options, route.method, path, { bytes });
  return parseAnswer(ReleaseFileResponseSchema, body, path).file;
}

export async function startMultipartUpload(
  options: NexusApiOptions,
  file: { releaseId: string; fileName: string },
): Promise<{ uploadId: string; partSize: number }> {
  const route = routes.startMultipartUpload;
  const path = routePath(route.path, file);
  const answer = parseAnswer(MultipartUploadSchema, await requestJson(options, route.method, path), path);
  return { uploadId: answer.upload_id, partSize: answer.part_size };
}

export async function uploadMultipartPart(
  options: NexusApiOptions,
  part: { releaseId: string; fileName: string; uploadId: string; partNumber: number },
  bytes: UploadBody,
): Promise<{ part_number: number; etag: string }> {
  const route = routes.uploadMultipartPart;
  const path = routePath(route.path, part);
  const answer = parseAnswer(
    UploadedPartSchema,
    await requestJson(options, route.method, path, { bytes }),
    path,
  );
  return { part_number: answer.part_number, etag: answer.etag };
}

export async function completeMultipartUpload(
  options: NexusApiOptions,
  upload: { releaseId: string; fileName: string; uploadId: string },
  parts: { part_number: number; etag: string }[],
): Promise<ReleaseFile> {
  const route = routes.completeMultipartUpload;
  const path = routePath(route.path, upload);
  const body = await requestJson(options, route.method, path, { json: { parts } });
  return parseAnswer(ReleaseFileResponseSchema, body, path).file;
}

export async function publishRelease(
  options: NexusApiOptions,
  releaseId: string,
  rollout: Rollout | undefined,
): Promise<Release> {
  const route = routes.publishRelease;
  const path = routePath(route.path, { releaseId });
  const body = await requestJson(options, route.method, path, { json: rollout ? { rollout } : {} });
  return parseAnswer(ReleaseResponseSchema, body, path).release;
}
