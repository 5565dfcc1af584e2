// What both email providers send: the rendered HTML, a plain-text part derived from it, and the
// RFC 2369 / RFC 8058 one-click unsubscribe headers (Gmail and Yahoo require them from bulk senders).

export interface EmailParts {
  html: string;
  text: string;
  headers: Record<string, string>;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };

/** A readable text part: block ends become line breaks, tags go, the renderer's entities are undone. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|h[1-6]|li|tr)>/gi, "\n")
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, "$2 ($1)")
    .replace(/<[^>]+>/g, "")
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name] ?? "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const escapeAttribute = (value: string) =>
  value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function emailParts(body: string, unsubscribeUrl: string | null): EmailParts {
  if (!unsubscribeUrl) return { html: body, text: htmlToText(body), headers: {} };
  const footer = `<p style="color:#6b7280;font-size:12px"><a href="${escapeAttribute(unsubscribeUrl)}">Unsubscribe</a> from these emails.</p>`;
  return {
    html: `${body}\n${footer}`,
    text: `${htmlToText(body)}\n\nUnsubscribe: ${unsubscribeUrl}`,
    headers: {
      "List-Unsubscribe": `<${unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}
