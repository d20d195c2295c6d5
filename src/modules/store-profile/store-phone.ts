/**
 * Store phones may be landlines (021-62881788), mobiles or 400 numbers. Shown masked on the
 * public page: the first three and last four digits stay, the rest become `*`.
 */
export const STORE_PHONE = /^(0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|400-?\d{3}-?\d{4})$/;

export function maskStorePhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 8) return '****';
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** AAD binding an encrypted store phone to its store and column. */
export const storePhoneAad = (tenantId: string) => `${tenantId}:store_profiles.phone`;
