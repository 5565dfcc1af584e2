// Releases: drafts with declared files, their uploads into R2, publishing, staged rollouts and
// yanking (operators only), mounted by app.ts through ../index.ts.
import type { Operation } from "../../lib/operation.ts";
import { changeRollout } from "./change-rollout.ts";
import { completeMultipartUpload } from "./complete-multipart-upload.ts";
import { createRelease } from "./create-release.ts";
import { getRelease } from "./get-release.ts";
import { listReleases } from "./list-releases.ts";
import { publishRelease } from "./publish-release.ts";
import { startMultipartUpload } from "./start-multipart-upload.ts";
import { updateRelease } from "./update-release.ts";
import { uploadMultipartPart } from "./upload-multipart-part.ts";
import { uploadReleaseFile } from "./upload-release-file.ts";
import { yankRelease } from "./yank-release.ts";

export const releasesOperations: Operation[] = [
  listReleases,
  createRelease,
  getRelease,
  updateRelease,
  uploadReleaseFile,
  startMultipartUpload,
  uploadMultipartPart,
  completeMultipartUpload,
  publishRelease,
  changeRollout,
  yankRelease,
];
