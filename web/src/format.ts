/** Money is integer fen in the API; shown as ¥ with two decimals. */
export const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`;

/** A UTC instant shown in the store's zone (default Asia/Shanghai). */
export function localTime(iso: string, zone = 'Asia/Shanghai', locale = 'zh-CN'): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

/** Mainland mobile numbers, with or without +86 and separators. */
export function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '').replace(/^\+?86/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : null;
}
