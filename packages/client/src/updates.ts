// electron-updater's feed settings for one installation: the generic provider pointed at
// /api/updates with the company code in the query (electron-updater copies the feed URL's query
// onto every channel file, artifact and blockmap URL it derives) and the installation token as a
// header on every request, downloads included.
import type { UpdateFeedOptions } from "@nexus/contracts";

export interface UpdateFeedInput {
  /** The Nexus Central base URL, e.g. https://central.nexus.example */
  baseUrl: string;
  companyCode: string;
  /** The installation token from validate (short-lived: call again after getting a new one). */
  token: string;
  /** The company's update channel from validate (`update_channel`); `stable` is electron-updater's `latest`. */
  channel?: string;
}

/**
 * `autoUpdater.setFeedURL(feed)` plus `autoUpdater.channel = feed.channel` and
 * `autoUpdater.requestHeaders = feed.requestHeaders` configure the updater in one go.
 */
export function updateFeedOptions(input: UpdateFeedInput): UpdateFeedOptions {
  let base: URL;
  try {
    base = new URL(input.baseUrl);
  } catch {
    throw new TypeError(`baseUrl must be an absolute URL, got "${input.baseUrl}"`);
  }
  if (!input.companyCode.trim()) throw new TypeError("companyCode is required");
  if (!input.token.trim()) throw new TypeError("token is required");
  const url = new URL(`${base.pathname.replace(/\/+$/, "")}/api/updates`, base);
  url.searchParams.set("company_code", input.companyCode.trim().toUpperCase());
  const channel = !input.channel || input.channel === "stable" ? "latest" : input.channel;
  return {
    provider: "generic",
    url: url.toString(),
    channel,
    requestHeaders: {
      Authorization: `Bearer ${input.token}`,
      "X-Company-Code": input.companyCode.trim().toUpperCase(),
    },
  };
}
