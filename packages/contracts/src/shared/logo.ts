// A logo: the company's (seed 002: "the branding stores the Logo URL and Primary Color"), kept in its
// settings as `logo_url`, and a showroom's (`branding.logo_url`). One rule for both. Two forms are taken:
// - an https URL, for a logo the company hosts itself;
// - a small `data:` URL (PNG, JPEG or WebP, base64), for a logo uploaded in the dashboard. There is
//   no file store for logos: inline, the logo travels with the settings the apps already receive
//   (validate, heartbeat, the live channel), works offline, changes with settings_version, and the
//   dashboard loads nothing from third parties. The size cap keeps those answers small.
// Raster images only: an SVG is a document that can run script, embed frames and fetch other URLs,
// and no filter over its markup has held up (entity-encoded `javascript:`, <animate>/<set> rewriting
// an href, <iframe srcdoc>, nested <svg onload>, external <image href> all slipped through a regex).
// A PNG, JPEG or WebP is pixels wherever an app shows it, so SVG data URLs are refused outright.
import { z } from "zod";

/** The longest `data:` logo, the whole URL counted (base64: about 48 KiB of image). */
export const LOGO_DATA_URL_MAX_LENGTH = 64 * 1024;
export const LOGO_HTTPS_URL_MAX_LENGTH = 2048;
export const LOGO_MEDIA_TYPES = ["image/png", "image/jpeg", "image/webp"] as const;
type LogoMediaType = (typeof LOGO_MEDIA_TYPES)[number];

const DATA_URL = /^data:(image\/(?:png|jpeg|webp));base64,([A-Za-z0-9+/]*={0,2})$/;
const SVG_DATA_URL = /^data:image\/svg\+xml[;,]/i;

/** The first bytes each accepted type starts with, so an app never gets something else as an image. */
const signatures: Record<LogoMediaType, { check: (bytes: string) => boolean; name: string }> = {
  "image/png": { check: (bytes) => bytes.startsWith("\x89PNG\r\n\x1a\n"), name: "PNG" },
  "image/jpeg": { check: (bytes) => bytes.startsWith("\xff\xd8\xff"), name: "JPEG" },
  "image/webp": {
    check: (bytes) => bytes.startsWith("RIFF") && bytes.slice(8, 12) === "WEBP",
    name: "WebP",
  },
};

function decodeBase64(base64: string): string | null {
  try {
    return atob(base64);
  } catch {
    return null;
  }
}

function dataUrlProblem(value: string): string | null {
  if (SVG_DATA_URL.test(value)) {
    return "is an SVG image, which is not accepted (an SVG can carry scripts); upload a PNG, JPEG or WebP instead";
  }
  if (value.length > LOGO_DATA_URL_MAX_LENGTH) {
    return `is ${Math.ceil(value.length / 1024)} KiB as a data URL; at most ${LOGO_DATA_URL_MAX_LENGTH / 1024} KiB fit`;
  }
  const match = DATA_URL.exec(value);
  if (!match) return "must be a base64 data URL of a PNG, JPEG or WebP image";
  const [, mediaType = "", base64 = ""] = match;
  const bytes = decodeBase64(base64);
  if (bytes === null) return "is not valid base64";
  const signature = signatures[mediaType as LogoMediaType];
  if (!signature.check(bytes)) return `is not a ${signature.name} image`;
  return null;
}

function httpsUrlProblem(value: string): string | null {
  if (value.length > LOGO_HTTPS_URL_MAX_LENGTH)
    return `is longer than ${LOGO_HTTPS_URL_MAX_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an https URL or an uploaded image";
  }
  if (url.protocol !== "https:") return "must use https";
  if (url.username || url.password) return "must not contain a user name or password";
  return null;
}

/** Null when `value` is a logo the API takes, otherwise what is wrong with it. */
export function logoUrlProblem(value: string): string | null {
  if (value !== value.trim() || value === "") return "must be an https URL or an uploaded image";
  return value.startsWith("data:") ? dataUrlProblem(value) : httpsUrlProblem(value);
}

export const LogoUrlSchema = z
  .string()
  .superRefine((value, context) => {
    const problem = logoUrlProblem(value);
    if (problem) context.addIssue({ code: "custom", message: `the logo ${problem}` });
  })
  .meta({
    description: `A logo: an https URL, or a base64 data: URL of a PNG, JPEG or WebP image of at most ${LOGO_DATA_URL_MAX_LENGTH / 1024} KiB (SVG is not accepted)`,
  });
