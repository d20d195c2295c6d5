/**
 * PRC resident identity card numbers (GB 11643-1999): 17 digits (6 region, 8 birth date
 * YYYYMMDD, 3 sequence) and an ISO 7064 MOD 11-2 check character (0-9 or X).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const SHAPE = /^\d{17}[\dX]$/;

/** Upper-cases a trailing x and drops spaces; does not validate. */
export function normalizeIdNumber(input: string): string {
  return input.replace(/\s/g, '').toUpperCase();
}

export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** True for a well-formed number with a real birth date (not in the future) and a valid check character. */
export function isValidIdNumber(input: string, today: Date = new Date()): boolean {
  const id = normalizeIdNumber(input);
  if (!SHAPE.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) {
    return false;
  }
  if (birth.getTime() > today.getTime()) return false;
  return idNumberCheckChar(id.slice(0, 17)) === id[17];
}

/** 110101199003071234 → 110***********1234: the region prefix and last four, as staff need to match a card. */
export function maskIdNumber(id: string): string {
  return id.length === 18 ? `${id.slice(0, 3)}${'*'.repeat(11)}${id.slice(14)}` : '****';
}
