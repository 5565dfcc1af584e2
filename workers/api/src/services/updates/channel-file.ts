// electron-updater's channel files: the YAML it parses into builder-util-runtime's UpdateInfo
// (the names it asks for are parsed by parseChannelFileName in the contracts).
import type { Candidate } from "./feed.ts";

/** A YAML scalar: strings double-quoted with JSON escapes (valid YAML), so no value can break the document. */
const scalar = (value: string | number | boolean) =>
  typeof value === "string" ? JSON.stringify(value) : String(value);

/**
 * The channel file for one release and platform, as electron-builder writes it (`version`, `files`
 * with url/sha512/size/blockMapSize, `path`, `sha512`, `releaseDate`, `releaseName`, `releaseNotes`)
 * plus `minimumVersion` and `mandatory`. File URLs are relative: electron-updater resolves them
 * against the feed URL and copies its query (the company code) onto them.
 */
export function renderChannelFile(candidate: Candidate, minimumVersion: string | null): string {
  const { release } = candidate;
  const artifacts = candidate.files.filter((file) => file.kind === "artifact");
  const first = artifacts[0];
  const lines = [`version: ${scalar(release.version)}`, "files:"];
  for (const file of artifacts) {
    lines.push(
      `  - url: ${scalar(file.name)}`,
      `    sha512: ${scalar(file.sha512)}`,
      `    size: ${file.size}`,
    );
    if (file.blockMapSize !== null) lines.push(`    blockMapSize: ${file.blockMapSize}`);
  }
  if (first) lines.push(`path: ${scalar(first.name)}`, `sha512: ${scalar(first.sha512)}`);
  const date = release.releaseDate ?? release.publishedAt;
  if (date) lines.push(`releaseDate: ${scalar(date.toISOString())}`);
  if (release.name) lines.push(`releaseName: ${scalar(release.name)}`);
  if (release.notes) lines.push(`releaseNotes: ${scalar(release.notes)}`);
  if (minimumVersion) lines.push(`minimumVersion: ${scalar(minimumVersion)}`);
  lines.push(`mandatory: ${scalar(release.mandatory)}`);
  return `${lines.join("\n")}\n`;
}
