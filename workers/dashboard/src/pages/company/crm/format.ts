// Figures of the CRM screens: project values and document sizes.

const plainNumber = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });

/**
 * A project's value. The API keeps it "in the company's currency" without naming one; a company
 * whose settings carry an ISO `currency` gets it shown, any other a plain number.
 */
export function formatValue(value: number | null, settings: Record<string, unknown>): string {
  if (value === null) return "No value yet";
  const currency = settings.currency;
  if (typeof currency === "string" && /^[A-Z]{3}$/.test(currency)) {
    return new Intl.NumberFormat("en", { style: "currency", currency, maximumFractionDigits: 0 }).format(
      value,
    );
  }
  return plainNumber.format(value);
}

const calendarDate = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/** A calendar date (YYYY-MM-DD, no time or zone) as written: "Dec 1, 2026". */
export const formatDate = (date: string): string => calendarDate.format(new Date(`${date}T00:00:00Z`));

const SIZE_UNITS = ["bytes", "KB", "MB", "GB", "TB"];

/** 1536 → "1.5 KB" (powers of 1024, as file managers show). */
export function formatBytes(size: number): string {
  let unit = 0;
  let amount = size;
  while (amount >= 1024 && unit < SIZE_UNITS.length - 1) {
    amount /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${size} ${size === 1 ? "byte" : "bytes"}`;
  return `${amount < 10 ? amount.toFixed(1) : Math.round(amount)} ${SIZE_UNITS[unit]}`;
}
