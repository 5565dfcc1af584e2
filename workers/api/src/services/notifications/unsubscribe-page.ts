// The small HTML pages of the public unsubscribe link: what it stops, with a button (a form posting
// back to the same URL), and the confirmation. Nothing loads from elsewhere and no script runs.
import type { UnsubscribeTarget } from "./unsubscribe.ts";

const CHANNEL_NAMES: Record<string, string> = {
  email: "emails",
  sms: "text messages",
  push: "push notifications",
  in_app: "in-app notifications",
  "*": "notifications",
};

const escapeHtml = (text: string) =>
  text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");

const PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function page(title: string, content: string): Response {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}
button{font:inherit;padding:.5rem 1rem;border-radius:.375rem;border:1px solid #444;background:#222;color:#fff;cursor:pointer}</style>
</head><body><h1>${escapeHtml(title)}</h1>${content}</body></html>`;
  return new Response(html, {
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "content-security-policy": PAGE_POLICY,
    },
  });
}

const what = (target: UnsubscribeTarget) =>
  `${target.category === "*" ? "all" : `“${escapeHtml(target.category)}”`} ${CHANNEL_NAMES[target.channel] ?? "notifications"}`;

export function confirmPage(target: UnsubscribeTarget, token: string): Response {
  const action = `?token=${encodeURIComponent(token)}`;
  return page(
    "Unsubscribe",
    `<p>Stop ${what(target)} to this address?</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
<p><small>You can turn them back on in your notification preferences.</small></p>`,
  );
}

export function donePage(target: UnsubscribeTarget): Response {
  return page(
    "Unsubscribed",
    `<p>You will no longer get ${what(target)}. Critical notices (security, billing) still reach you.</p>
<p><small>You can turn them back on in your notification preferences.</small></p>`,
  );
}
