// Logos the logo rule (packages/contracts/src/shared/logo.ts) takes and refuses, for the tests of
// every field that holds one: company settings and showroom branding.
export const dataUrl = (mediaType: string, content: string) => `data:${mediaType};base64,${btoa(content)}`;
export const PNG = dataUrl("image/png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
export const JPEG = dataUrl("image/jpeg", "\xff\xd8\xff\xe0\0\x10JFIF\0");
export const WEBP = dataUrl("image/webp", "RIFF\x10\0\0\0WEBPVP8 ");

/** SVG logos that the earlier markup filter let through; SVG data URLs are refused now, all of them. */
export const SVG_ATTACKS = [
  '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="&#106;avascript:alert(1)"><rect width="9" height="9"/></a></svg>',
  '<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" values="&#x6A;avascript:alert(1)"/><text y="20">logo</text></a></svg>',
  '<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="java&#x73;cript:alert(1)"/><text y="20">logo</text></a></svg>',
  '<svg xmlns="http://www.w3.org/2000/svg"><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe></svg>',
  '<svg xmlns="http://www.w3.org/2000/svg"><svg/onload=alert(1)></svg></svg>',
  '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/pixel.png" width="1" height="1"/></svg>',
].flatMap((svg) => [dataUrl("image/svg+xml", svg), `data:image/svg+xml,${encodeURIComponent(svg)}`]);
/** Schemes no logo field takes. */
export const BAD_SCHEMES = [
  "javascript:alert(1)",
  "&#106;avascript:alert(1)",
  dataUrl("text/html", "<script>alert(1)</script>"),
  "data:text/html,<script>alert(1)</script>",
  "http://cdn.example.com/logo.png",
];
