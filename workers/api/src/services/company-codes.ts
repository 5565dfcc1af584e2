// Company codes: a short prefix from the name and 6 symbols from a CSPRNG, e.g. `ACM-7K2QX9`.
// The alphabet has 32 symbols (no 0/O, 1/I), so each symbol carries exactly 5 bits: 30 bits in all,
// drawn without modulo bias.
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const RANDOM_SYMBOLS = 6;

export function companyCodePrefix(companyName: string): string {
  const letters = companyName
    .normalize("NFD")
    .toUpperCase()
    .replace(/[^A-Z]/g, "");
  return letters.slice(0, 3) || "NEX";
}

export function generateCompanyCode(companyName: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(RANDOM_SYMBOLS));
  const random = Array.from(bytes, (byte) => ALPHABET[byte & 31]).join("");
  return `${companyCodePrefix(companyName)}-${random}`;
}
