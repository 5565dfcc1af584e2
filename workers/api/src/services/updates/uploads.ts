// Uploading a draft release's declared files into R2. Bytes stream straight through: R2 checks the
// declared sha512 itself on a single upload, and a multipart upload is read back once and hashed
// before it counts. A mismatch never leaves a stored file behind.
import type { Release } from "@nexus/contracts";
import { releaseFiles } from "@nexus/db/central";
import { and, eq } from "drizzle-orm";
import type { CentralDb } from "../../env.ts";
import { ApiError } from "../../lib/errors.ts";
import { loadRelease, type ReleaseFileRow, requireStatus, toReleaseView } from "./releases.ts";

/** Workers accept request bodies up to 100 MB; files above this go in parts. */
export const SINGLE_UPLOAD_LIMIT = 95 * 1024 * 1024;
/** R2 needs equal parts of at least 5 MiB (the last may be smaller). */
export const PART_SIZE = 16 * 1024 * 1024;

export const base64ToHex = (base64: string) =>
  Array.from(atob(base64), (char) => char.charCodeAt(0).toString(16).padStart(2, "0")).join("");
export const bytesToBase64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

/** The declared file of a draft, or FILE_NOT_FOUND naming the declared ones. */
export async function declaredFile(
  db: CentralDb,
  releaseId: string,
  fileName: string,
): Promise<ReleaseFileRow> {
  const { release, files } = await loadRelease(db, releaseId);
  requireStatus(release, ["draft"], "upload files to it (publish a new version instead)");
  const file = files.find((candidate) => candidate.name === fileName);
  if (!file) {
    throw new ApiError(
      "FILE_NOT_FOUND",
      `Release ${release.version} does not declare ${fileName}. Declared: ${files.map((f) => f.name).join(", ")}.`,
    );
  }
  return file;
}

/** Records the file as stored; answers with its view. */
export async function markUploaded(
  db: CentralDb,
  file: ReleaseFileRow,
): Promise<{ success: true; file: Release["files"][number] }> {
  await db
    .update(releaseFiles)
    .set({ uploadedAt: new Date() })
    .where(and(eq(releaseFiles.releaseId, file.releaseId), eq(releaseFiles.name, file.name)));
  const loaded = await loadRelease(db, file.releaseId);
  const view = toReleaseView(loaded.release, loaded.files).files.find((f) => f.name === file.name);
  if (!view) throw new Error(`${file.name} of release ${file.releaseId} vanished while it was uploaded`);
  return { success: true, file: view };
}

/**
 * R2 refuses an unknown or finished upload id, or parts that do not fit: the caller's mistake, told
 * as a 400 rather than a 500 (R2's own error text is not a stable contract, so it is only logged).
 */
export async function multipartStep<T>(what: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    console.warn(JSON.stringify({ level: "warn", event: "multipart_refused", what, error: String(error) }));
    throw new ApiError(
      "VALIDATION_FAILED",
      `R2 refused to ${what}: check the upload id (start a new upload if it was completed or aborted) and the parts' numbers and etags.`,
    );
  }
}

export function checksumMismatch(file: ReleaseFileRow, actual: string): ApiError {
  return new ApiError(
    "CHECKSUM_MISMATCH",
    `${file.name}: the bytes received do not match the declared sha512; nothing was stored.`,
    { declared_sha512: file.sha512, received_sha512: actual },
  );
}
