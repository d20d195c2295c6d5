// Common two-character (compound) surnames; anything else is taken as a one-character surname.
const COMPOUND_SURNAMES = [
  '欧阳',
  '司马',
  '上官',
  '诸葛',
  '东方',
  '皇甫',
  '尉迟',
  '公孙',
  '慕容',
  '长孙',
  '令狐',
  '夏侯',
  '司徒',
];
const HAN = /^\p{Script=Han}/u;

/**
 * What customers see when the technician set no display name: surname + 技师 (李小芳 → 李技师),
 * so the full legal name stays with the store. Non-Chinese names keep their first word.
 */
export function defaultDisplayName(name: string): string {
  const n = name.trim();
  if (!n) return '技师';
  if (HAN.test(n)) {
    const surname = COMPOUND_SURNAMES.find((s) => n.startsWith(s) && n.length > s.length) ?? [...n][0]!;
    return `${surname}技师`;
  }
  return n.split(/\s+/)[0]!.slice(0, 20);
}
