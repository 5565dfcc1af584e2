// Money as the API keeps it — integer millionths of a US dollar ("micro-USD"), so sums never drift —
// and as people read and type it: dollars. Conversions go through the decimal text, not floating
// point, so "0.1" is exactly 100000 micros.

const MICROS_PER_DOLLAR = 1_000_000;

const usd = new Intl.NumberFormat("en", { style: "currency", currency: "USD" });
// A single LLM call often costs a fraction of a cent: below one cent, show down to the micro-dollar.
const usdSmall = new Intl.NumberFormat("en", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 6,
});

/** An amount in dollars as money: "$1,234.50", "$0.000045" (cents only from one cent up). */
export function formatUsd(dollars: number): string {
  return Math.abs(dollars) >= 0.01 || dollars === 0 ? usd.format(dollars) : usdSmall.format(dollars);
}

/** Micro-USD as money: 1_234_500_000 → "$1,234.50", 45 → "$0.000045". */
export const formatUsdMicros = (micros: number): string => formatUsd(micros / MICROS_PER_DOLLAR);

/** Micro-USD as the dollars a form field shows: 1_500_000 → "1.5", 45 → "0.000045". */
export function dollarsText(micros: number): string {
  const whole = Math.floor(micros / MICROS_PER_DOLLAR);
  const fraction = String(micros % MICROS_PER_DOLLAR)
    .padStart(6, "0")
    .replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : String(whole);
}

/**
 * Dollars as typed ("12", "12.50", "$1,000", "0.000045") in micro-USD; null for an empty field;
 * undefined when it is not an amount (negative, more than six decimals, letters).
 */
export function parseDollars(text: string): number | null | undefined {
  const plain = text.trim().replace(/^\$/, "").replaceAll(",", "").trim();
  if (plain === "") return null;
  const match = /^(\d+)(?:\.(\d{0,6}))?$/.exec(plain);
  if (!match) return undefined;
  const [, whole = "0", fraction = ""] = match;
  const micros = Number(whole) * MICROS_PER_DOLLAR + Number(fraction.padEnd(6, "0"));
  return Number.isSafeInteger(micros) ? micros : undefined;
}
