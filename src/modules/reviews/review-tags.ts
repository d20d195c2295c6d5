/**
 * The fixed review tags (the database CHECK holds the same codes: a new tag is a migration).
 * Positive first, then the ones a store needs to hear about.
 */
export const REVIEW_TAGS = {
  skilled: { zh: '手法专业', en: 'Skilled technique' },
  right_pressure: { zh: '力度适中', en: 'Right pressure' },
  punctual: { zh: '准时到达', en: 'On time' },
  friendly: { zh: '态度亲切', en: 'Friendly' },
  clean: { zh: '干净整洁', en: 'Clean and tidy' },
  relaxing: { zh: '非常放松', en: 'Very relaxing' },
  good_value: { zh: '物超所值', en: 'Good value' },
  good_communication: { zh: '沟通顺畅', en: 'Good communication' },
  late: { zh: '迟到', en: 'Late' },
  too_light: { zh: '力度不够', en: 'Too light' },
  rushed: { zh: '服务仓促', en: 'Rushed' },
  unprofessional: { zh: '不够专业', en: 'Unprofessional' },
} as const;

export type ReviewTag = keyof typeof REVIEW_TAGS;
export const REVIEW_TAG_CODES = Object.keys(REVIEW_TAGS) as ReviewTag[];
export const MAX_REVIEW_TAGS = 8;

export const REPORT_REASONS = ['abusive', 'privacy', 'spam', 'false', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
