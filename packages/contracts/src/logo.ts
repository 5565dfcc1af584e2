// A company's logo (seed 002: "the branding stores the Logo URL and Primary Color"), kept in its
// settings as `logo_url`. Two forms are taken:
// - an https URL, for a logo the company hosts itself;
// - a small `data:` URL (PNG, SVG or WebP, base64), for a logo uploaded in the dashboard. There is no
//   file store for logos: inline, the logo travels with the settings the apps already receive
//   (validate, heartbeat, the live channel), works offline, changes with settings_version, and the
//   dashboard loads nothing from third parties. The size cap keeps those answers small.
// Either way the logo is meant for an <img> (where an SVG's scripts never run); SVGs with script or
// event handlers are refused anyway, for apps that might inline them.
import { z } from "zod";

/** The longest `data:` logo, the whole URL counted (base64: about 48 KiB of image). */
export const LOGO_DATA_URL_MAX_LENGTH = 64 * 1024;
export const LOGO_HTTPS_URL_MAX_LENGTH = 2048;
export const LOGO_MEDIA_TYPES = ["image/png", "image/svg+xml", "image/webp"] as const;

const DATA_URL = /^data:(image\/(?:png|svg\+xml|webp));base64,([A-Za-z0-9+/]*={0,2})$/;
const UNSAFE_SVG = /<script|<foreignObject|javascript:|\son[a-z]+\s*=/i;

function decodeBase64(base64: string): string | null {
  try {
    return atob(base64);
  } catch {
    return null;
  }
}

function dataUrlProblem(value: string): string | null {
  if (value.length > LOGO_DATA_URL_MAX_LENGTH) {
    return `is ${Math.ceil(value.length / 1024)} KiB as a data URL; at most ${LOGO_DATA_URL_MAX_LENGTH / 1024} KiB fit`;
  }
  const match = DATA_URL.exec(value);
  if (!match) return "must be a base64 data URL of a PNG, SVG or WebP image";
  const [, mediaType, base64 = ""] = match;
  const bytes = decodeBase64(base64);
  if (bytes === null) return "is not valid base64";
  // The bytes must be what the media type says, so an app never gets something else as an image.
  if (mediaType === "image/png" && !bytes.startsWith("\x89PNG\r\n\x1a\n")) return "is not a PNG image";
  if (mediaType === "image/webp" && !(bytes.startsWith("RIFF") && bytes.slice(8, 12) === "WEBP")) {
    return "is not a WebP image";
  }
  if (mediaType === "image/svg+xml") {
    if (!/<svg[\s>]/i.test(bytes)) return "is not an SVG image";
    if (UNSAFE_SVG.test(bytes)) return "is an SVG with scripts or event handlers";
  }
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

/** Null when `value` is a logo the settings take, otherwise what is wrong with it. */
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
    description: `The company's logo: an https URL, or a base64 data: URL of a PNG, SVG or WebP image of at most ${LOGO_DATA_URL_MAX_LENGTH / 1024} KiB`,
  });
