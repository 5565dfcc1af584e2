// A company's own look (seed 002: logo and primary color). Settings are free-form JSON that company
// admins edit, so only a plain hex color is taken; anything else is ignored rather than put into CSS.
import { logoUrlProblem } from "@nexus/contracts";
import { createContext, useContext, useEffect } from "react";

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** The top bar's color when a company sets none (styles.css's --brand). */
export const DEFAULT_BRAND_COLOR = "#1d4ed8";
/** WCAG AA for normal text. */
export const MIN_TEXT_CONTRAST = 4.5;

export interface Brand {
  color: string;
  /** Black or white, whichever reads better on `color`. */
  contrast: string;
}

/** `#abc` or `#aabbcc` (any case, spaces around) as `#aabbcc`; null for anything else. */
export function normalizeHexColor(value: string): string | null {
  const hex = value.trim();
  if (!HEX_COLOR.test(hex)) return null;
  const digits = hex.length === 4 ? [...hex.slice(1)].map((digit) => digit + digit).join("") : hex.slice(1);
  return `#${digits.toLowerCase()}`;
}

export function brandOf(settings: Record<string, unknown>): Brand | null {
  const color = settings.primary_color;
  if (typeof color !== "string" || !HEX_COLOR.test(color.trim())) return null;
  const hex = color.trim();
  return { color: hex, contrast: contrastingText(hex) };
}

/** The settings' logo, when it is one the API would take (never some other string as an image source). */
export function logoOf(settings: Record<string, unknown>): string | null {
  const logo = settings.logo_url;
  return typeof logo === "string" && logoUrlProblem(logo) === null ? logo : null;
}

/** WCAG relative luminance of a hex color. */
function luminance(hex: string): number {
  const digits = (normalizeHexColor(hex) ?? "#000000").slice(1);
  const [r = 0, g = 0, b = 0] = [0, 2, 4].map((start) => {
    const channel = Number.parseInt(digits.slice(start, start + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The WCAG contrast ratio of two hex colors, from 1 (same) to 21 (black on white). */
export function contrastRatio(first: string, second: string): number {
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a);
  return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
}

/** Black or white text, whichever contrasts more with `hex`. */
function contrastingText(hex: string): string {
  return contrastRatio(hex, "#ffffff") >= contrastRatio(hex, "#000000") ? "#ffffff" : "#000000";
}

/**
 * What reads badly in this color, if anything. The top bar always gets black or white text, which
 * is readable on every color; links, the current tab and primary buttons' edges use the color
 * itself on the white page, so it must stand out from white.
 */
export function colorContrastWarning(hex: string): string | null {
  const ratio = contrastRatio(hex, "#ffffff");
  if (ratio >= MIN_TEXT_CONTRAST) return null;
  return `Links in this color have a contrast of ${ratio.toFixed(1)}:1 on the white page; text needs ${MIN_TEXT_CONTRAST}:1 to be easy to read (WCAG AA). Choose a darker color.`;
}

// ---- the logo in the top bar ----------------------------------------------------------------------

export interface CompanyLogo {
  companyName: string;
  url: string;
}

/**
 * The Layout owns the top bar; a company's pages are rendered inside it. They hand their logo up
 * through this setter (a no-op outside a Layout).
 */
export const CompanyLogoContext = createContext<(logo: CompanyLogo | null) => void>(() => {});

/** Shows `logo` in the top bar while the calling component is mounted. */
export function useCompanyLogo(logo: CompanyLogo | null): void {
  const setLogo = useContext(CompanyLogoContext);
  const companyName = logo?.companyName;
  const url = logo?.url;
  useEffect(() => {
    if (companyName === undefined || url === undefined) return;
    setLogo({ companyName, url });
    return () => setLogo(null);
  }, [companyName, url, setLogo]);
}
