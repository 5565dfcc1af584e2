// A company's own look (seed 002: logo and primary color). Settings are free-form JSON that company
// admins edit, so only a plain hex color is taken; anything else is ignored rather than put into CSS.
const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export interface Brand {
  color: string;
  /** Black or white, whichever reads better on `color`. */
  contrast: string;
}

export function brandOf(settings: Record<string, unknown>): Brand | null {
  const color = settings.primary_color;
  if (typeof color !== "string" || !HEX_COLOR.test(color.trim())) return null;
  const hex = color.trim();
  return { color: hex, contrast: contrastingText(hex) };
}

/** WCAG relative luminance decides between black and white text. */
function contrastingText(hex: string): string {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((digit) => digit + digit).join("") : hex.slice(1);
  const [r = 0, g = 0, b = 0] = [0, 2, 4].map((start) => {
    const channel = Number.parseInt(digits.slice(start, start + 2), 16) / 255;
    return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast against white is (1.05)/(L+0.05), against black (L+0.05)/0.05: pick the larger.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? "#ffffff" : "#000000";
}
