/** Mainland China mobile numbers: 11 digits starting 1[3-9]; +86 / 0086 prefixes accepted. */
const CN_MOBILE = /^1[3-9]\d{9}$/;

export function normalizeCnMobile(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  return CN_MOBILE.test(digits) ? digits : null;
}

/** 13812341234 → 138****1234 */
export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '****';
}
