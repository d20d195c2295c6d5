const ANONYMOUS = '匿名用户';
const FALLBACK = '顾客';

/**
 * What the public sees in place of the reviewer: never the phone or full nickname. An anonymous
 * review shows 匿名用户; otherwise the nickname's first character and asterisks (王** / J***),
 * keeping the last character of long names (张*丽) so reviews stay tellable apart.
 */
export function reviewerLabel(nickname: string | null | undefined, anonymous: boolean): string {
  if (anonymous) return ANONYMOUS;
  const chars = [...(nickname ?? '').trim()];
  if (chars.length === 0) return FALLBACK;
  if (chars.length <= 2) return `${chars[0]}*`.padEnd(3, '*');
  if (chars.length === 3) return `${chars[0]}*${chars[2]}`;
  return `${chars[0]}***${chars[chars.length - 1]}`;
}
