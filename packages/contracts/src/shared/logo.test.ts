// The logo rule (logo.ts) that the company settings' `logo_url` and a showroom's `branding.logo_url`
// share: raster data URLs whose bytes match their type, or https URLs; never SVG, never another scheme.
import { describe, expect, it } from "vitest";
import { ShowroomInputSchema } from "../showrooms/schemas.ts";
import { LOGO_DATA_URL_MAX_LENGTH, LogoUrlSchema, logoUrlProblem } from "./logo.ts";

const dataUrl = (mediaType: string, content: string) =>
  `data:${mediaType};base64,${Buffer.from(content, "latin1").toString("base64")}`;

const PNG = dataUrl("image/png", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
const JPEG = dataUrl("image/jpeg", "\xff\xd8\xff\xe0\0\x10JFIF\0");
const WEBP = dataUrl("image/webp", "RIFF\x10\0\0\0WEBPVP8 ");

/**
 * SVG logos that an earlier markup filter let through (each one passes its regex
 * /<script|<foreignObject|javascript:|\son[a-z]+\s*=/i), as base64, URL-encoded and plain data URLs.
 */
const SVG_ATTACKS: Record<string, string> = {
  "entity-encoded javascript: link":
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><a xlink:href="&#106;avascript:alert(1)"><rect width="9" height="9"/></a></svg>',
  "<animate> setting a javascript: href":
    '<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href" values="&#x6A;avascript:alert(1)"/><text y="20">logo</text></a></svg>',
  "<set> setting a javascript: href":
    '<svg xmlns="http://www.w3.org/2000/svg"><a><set attributeName="href" to="java&#x73;cript:alert(1)"/><text y="20">logo</text></a></svg>',
  "<iframe srcdoc>":
    '<svg xmlns="http://www.w3.org/2000/svg"><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe></svg>',
  "nested <svg onload>": '<svg xmlns="http://www.w3.org/2000/svg"><svg/onload=alert(1)></svg></svg>',
  "external <image href>":
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://tracker.example/pixel.png" width="1" height="1"/></svg>',
};

const OLD_FILTER = /<script|<foreignObject|javascript:|\son[a-z]+\s*=/i;

const svgAttackUrls = (): [string, string][] =>
  Object.entries(SVG_ATTACKS).flatMap(([name, svg]): [string, string][] => [
    [`${name} (base64)`, dataUrl("image/svg+xml", svg)],
    [`${name} (URL-encoded)`, `data:image/svg+xml,${encodeURIComponent(svg)}`],
    [`${name} (utf8)`, `data:image/svg+xml;utf8,${svg}`],
  ]);

/** URLs that are no logo for either field, whatever the image. */
const REFUSED_URLS = [
  "javascript:alert(1)",
  "JavaScript:alert(document.cookie)",
  "java\tscript:alert(1)",
  "&#106;avascript:alert(1)",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "data:text/html,<script>alert(1)</script>",
  "http://cdn.example.com/logo.png",
  "ftp://cdn.example.com/logo.png",
  "//cdn.example.com/logo.png",
  "https://user:secret@cdn.example.com/logo.png",
];

describe("logoUrlProblem", () => {
  it("takes https URLs and PNG, JPEG and WebP data URLs", () => {
    for (const logo of ["https://cdn.example.com/acme/logo.png", PNG, JPEG, WEBP]) {
      expect(logoUrlProblem(logo), logo).toBeNull();
    }
  });

  it.each(svgAttackUrls())("refuses an SVG: %s", (_, logo) => {
    expect(logoUrlProblem(logo)).toMatch(/SVG|PNG, JPEG or WebP/);
  });

  it("refuses harmless SVGs too, with a message that says what to upload instead", () => {
    const plain = dataUrl("image/svg+xml", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>');
    expect(logoUrlProblem(plain)).toBe(
      "is an SVG image, which is not accepted (an SVG can carry scripts); upload a PNG, JPEG or WebP instead",
    );
    expect(logoUrlProblem(plain.replace("image/svg+xml", "IMAGE/SVG+XML"))).not.toBeNull();
  });

  it("the SVG attacks did pass the markup filter this replaces", () => {
    for (const svg of Object.values(SVG_ATTACKS)) expect(OLD_FILTER.test(svg), svg).toBe(false);
  });

  it.each(REFUSED_URLS)("refuses %s", (logo) => {
    expect(logoUrlProblem(logo)).not.toBeNull();
  });

  it("refuses bytes that are not the declared type, other image types and large logos", () => {
    expect(logoUrlProblem(dataUrl("image/png", "<svg></svg>"))).toBe("is not a PNG image");
    expect(logoUrlProblem(dataUrl("image/jpeg", "\x89PNG\r\n\x1a\n"))).toBe("is not a JPEG image");
    expect(logoUrlProblem(dataUrl("image/webp", "RIFF\0\0\0\0WAVE"))).toBe("is not a WebP image");
    expect(logoUrlProblem(dataUrl("image/gif", "GIF89a"))).not.toBeNull();
    expect(logoUrlProblem(dataUrl("image/jpg", "\xff\xd8\xff"))).not.toBeNull();
    expect(logoUrlProblem(`${PNG}x`.replace("base64,", "base64,*"))).not.toBeNull();
    const large = dataUrl("image/png", `\x89PNG\r\n\x1a\n${"x".repeat(LOGO_DATA_URL_MAX_LENGTH)}`);
    expect(logoUrlProblem(large)).toMatch(/at most 64 KiB/);
  });
});

describe("the logo fields", () => {
  const showroom = (logo: unknown) =>
    ShowroomInputSchema.safeParse({ name: "Leeds", type: "retail", branding: { logo_url: logo } });

  it("company settings and showrooms share the rule", () => {
    for (const logo of ["https://cdn.example.com/logo.png", PNG, JPEG, WEBP]) {
      expect(LogoUrlSchema.safeParse(logo).success, logo).toBe(true);
      expect(showroom(logo).success, logo).toBe(true);
    }
    expect(showroom(null).success).toBe(true);
    for (const logo of [...REFUSED_URLS, ...svgAttackUrls().map(([, url]) => url)]) {
      expect(LogoUrlSchema.safeParse(logo).success, logo).toBe(false);
      const parsed = showroom(logo);
      expect(parsed.success, logo).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual(["branding.logo_url"]);
    }
  });
});
