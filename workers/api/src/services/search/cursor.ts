// The search cursor: an opaque base64url offset into the ranked results. Ranking is recomputed per
// page, so deep offsets cost; past MAX_SEARCH_OFFSET people refine the query instead.
import { base64Url, fromBase64Url } from "@nexus/security";
import { ApiError } from "../../lib/errors.ts";

export const MAX_SEARCH_OFFSET = 1000;

export function encodeSearchCursor(offset: number): string {
  return base64Url(new TextEncoder().encode(`o:${offset}`));
}

export function decodeSearchCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  let decoded = "";
  try {
    decoded = new TextDecoder().decode(fromBase64Url(cursor));
  } catch {
    decoded = "";
  }
  const offset = /^o:(\d{1,5})$/.exec(decoded)?.[1];
  if (offset === undefined || Number(offset) > MAX_SEARCH_OFFSET) {
    throw new ApiError(
      "VALIDATION_FAILED",
      "This cursor is not one a search answered: pass next_cursor as it came.",
      {
        issues: [{ path: "cursor", message: "not a search cursor" }],
      },
    );
  }
  return Number(offset);
}
