// A local stand-in for the Nexus API's release routes `nexus release publish` uses (list, create,
// single and multipart uploads, publish), matched on the contract's paths, validating bodies with
// the contract's schemas and answering with its shapes and error envelope. Releases and uploaded
// bytes live in memory. It checks what the real API checks that matters to a client: the admin
// secret, Content-Length, the declared size and sha512 of every upload, part sizes, and that
// every file is uploaded before publishing.
import { createHash, randomUUID } from "node:crypto";
import {
  CompleteMultipartRequestSchema,
  CreateReleaseRequestSchema,
  PublishReleaseRequestSchema,
  type Release,
  routes,
} from "@nexus/contracts";
import {
  arrived,
  exactBody,
  jsonBody,
  partBytes,
  StandInError,
  type StandInRequest,
  startStandInServer,
} from "./stand-in-server.ts";

export interface ReleaseApiStandInOptions {
  adminSecret: string;
  /** Channels that exist (default stable and beta). */
  channels?: string[];
  /** The part size multipart uploads are told to use (default 64 KiB). */
  partSize?: number;
}

interface StoredRelease {
  view: Release;
  bytes: Map<string, Buffer>;
  multipart: Map<string, { fileName: string; parts: Map<number, { etag: string; bytes: Buffer }> }>;
}

export interface ReleaseApiStandIn {
  url: string;
  requests: StandInRequest[];
  /** Uploads of these file names arrive with one byte flipped, as if corrupted on the way. */
  corruptUploads: Set<string>;
  releases(): Release[];
  /** The bytes stored for a release's file. */
  stored(releaseId: string, fileName: string): Buffer | undefined;
  close(): Promise<void>;
}

const sha512 = (bytes: Buffer) => createHash("sha512").update(bytes).digest("base64");

export async function startReleaseApiStandIn(options: ReleaseApiStandInOptions): Promise<ReleaseApiStandIn> {
  const channels = new Set(options.channels ?? ["stable", "beta"]);
  const partSize = options.partSize ?? 64 * 1024;
  const releases: StoredRelease[] = [];
  const corruptUploads = new Set<string>();
  const server = await startStandInServer({
    authorize(request) {
      if (request.headers.get("authorization") !== `Bearer ${options.adminSecret}`) {
        throw new StandInError("UNAUTHORIZED", "Missing or invalid admin credentials");
      }
    },
  });
  const { on } = server;

  on(routes.listReleases, async (request) => {
    const query = new URL(request.url).searchParams;
    const channel = query.get("channel");
    const version = query.get("version");
    const found = releases
      .map((release) => release.view)
      .filter((view) => (!channel || view.channel === channel) && (!version || view.version === version))
      .reverse();
    return { status: 200, body: { success: true, releases: found, next_cursor: null } };
  });

  on(routes.createRelease, async (request) => {
    const data = await jsonBody(request, CreateReleaseRequestSchema);
    if (!channels.has(data.channel))
      throw new StandInError("CHANNEL_NOT_FOUND", `No channel ${data.channel}.`);
    const existing = releases.find((r) => r.view.channel === data.channel && r.view.version === data.version);
    if (existing) {
      throw new StandInError(
        "RELEASE_EXISTS",
        `Version ${data.version} already exists on ${data.channel} (${existing.view.status}).`,
      );
    }
    const now = new Date().toISOString();
    const view: Release = {
      id: randomUUID(),
      channel: data.channel,
      version: data.version,
      name: data.name ?? null,
      notes: data.notes ?? null,
      release_date: data.release_date ?? null,
      minimum_version: data.minimum_version ?? null,
      mandatory: data.mandatory,
      status: "draft",
      rollout: { state: "active", percent: 100, ramp_hours: null, effective_percent: 0, started_at: null },
      files: data.files.map((file) => ({
        name: file.name,
        platform: file.platform,
        kind: file.kind,
        size: file.size,
        sha512: file.sha512,
        block_map_size: file.block_map_size ?? null,
        uploaded: false,
      })),
      published_at: null,
      yanked_at: null,
      yanked_reason: null,
      health_halt_below: null,
      health_min_sessions: 100,
      halted_by_health_at: null,
      created_at: now,
    };
    releases.push({ view, bytes: new Map(), multipart: new Map() });
    return { status: 201, body: { success: true, release: view } };
  });

  on(routes.uploadReleaseFile, async (request, params) => {
    const { release, file } = declaredFile(params);
    const bytes = await exactBody(request, file.size);
    return { status: 200, body: { success: true, file: store(release, file.name, bytes) } };
  });

  on(routes.startMultipartUpload, async (_request, params) => {
    const { release, file } = declaredFile(params);
    const uploadId = randomUUID();
    release.multipart.set(uploadId, { fileName: file.name, parts: new Map() });
    return { status: 201, body: { success: true, upload_id: uploadId, part_size: partSize } };
  });

  on(routes.uploadMultipartPart, async (request, params) => {
    const { release, file } = declaredFile(params);
    const upload = release.multipart.get(params.uploadId ?? "");
    if (!upload || upload.fileName !== file.name) {
      throw new StandInError("VALIDATION_FAILED", "Unknown upload id.");
    }
    const partNumber = Number(params.partNumber);
    const bytes = await exactBody(request, partBytes(partNumber, file.size, partSize, file.name));
    const etag = sha512(bytes).slice(0, 16);
    upload.parts.set(partNumber, { etag, bytes });
    return { status: 200, body: { success: true, part_number: partNumber, etag } };
  });

  on(routes.completeMultipartUpload, async (request, params) => {
    const { release, file } = declaredFile(params);
    const upload = release.multipart.get(params.uploadId ?? "");
    if (!upload || upload.fileName !== file.name) {
      throw new StandInError("VALIDATION_FAILED", "Unknown upload id.");
    }
    const input = await jsonBody(request, CompleteMultipartRequestSchema);
    const pieces = input.parts.map((part, index) => {
      const stored = upload.parts.get(part.part_number);
      if (part.part_number !== index + 1 || !stored || stored.etag !== part.etag) {
        throw new StandInError(
          "VALIDATION_FAILED",
          `Part ${part.part_number} is missing or its etag is wrong.`,
        );
      }
      return stored.bytes;
    });
    release.multipart.delete(params.uploadId ?? "");
    return { status: 200, body: { success: true, file: store(release, file.name, Buffer.concat(pieces)) } };
  });

  on(routes.publishRelease, async (request, params) => {
    const release = findRelease(params.releaseId);
    const input = await jsonBody(request, PublishReleaseRequestSchema);
    if (release.view.status !== "draft") {
      throw new StandInError(
        "RELEASE_STATE_CONFLICT",
        `Release is ${release.view.status}; cannot publish it.`,
      );
    }
    const missing = release.view.files.filter((file) => !file.uploaded).map((file) => file.name);
    if (missing.length > 0) {
      throw new StandInError(
        "UPLOAD_INCOMPLETE",
        `Upload every declared file first; missing: ${missing.join(", ")}.`,
      );
    }
    const now = new Date().toISOString();
    const rollout = input.rollout ?? { percent: 100 };
    release.view = {
      ...release.view,
      status: "published",
      published_at: now,
      release_date: release.view.release_date ?? now,
      rollout: {
        state: "active",
        percent: rollout.percent,
        ramp_hours: rollout.ramp_hours ?? null,
        effective_percent: rollout.percent,
        started_at: now,
      },
    };
    return { status: 200, body: { success: true, release: release.view } };
  });

  function findRelease(releaseId: string | undefined): StoredRelease {
    const release = releases.find((candidate) => candidate.view.id === releaseId);
    if (!release) throw new StandInError("RELEASE_NOT_FOUND", `There is no release ${releaseId}.`);
    return release;
  }

  function declaredFile(params: Record<string, string>) {
    const release = findRelease(params.releaseId);
    if (release.view.status !== "draft") {
      throw new StandInError(
        "RELEASE_STATE_CONFLICT",
        `Release is ${release.view.status}; cannot upload to it.`,
      );
    }
    const file = release.view.files.find((candidate) => candidate.name === params.fileName);
    if (!file) throw new StandInError("FILE_NOT_FOUND", `The release does not declare ${params.fileName}.`);
    return { release, file };
  }

  function store(release: StoredRelease, fileName: string, received: Buffer) {
    const bytes = arrived(received, corruptUploads.has(fileName));
    const file = release.view.files.find((candidate) => candidate.name === fileName);
    if (!file) throw new StandInError("FILE_NOT_FOUND", `The release does not declare ${fileName}.`);
    if (sha512(bytes) !== file.sha512 || bytes.length !== file.size) {
      throw new StandInError(
        "CHECKSUM_MISMATCH",
        `${fileName}: the bytes received do not match the declared sha512; nothing was stored.`,
      );
    }
    release.bytes.set(fileName, bytes);
    file.uploaded = true;
    return file;
  }

  return {
    url: server.url,
    requests: server.requests,
    corruptUploads,
    releases: () => releases.map((release) => structuredClone(release.view)),
    stored: (releaseId, fileName) => releases.find((r) => r.view.id === releaseId)?.bytes.get(fileName),
    close: server.close,
  };
}
