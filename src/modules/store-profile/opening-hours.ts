export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** One opening window in the store's time zone; `close` earlier than `open` runs past midnight. */
export interface TimeRange {
  open: string;
  close: string;
}

/** Stored as jsonb: every weekday present, an empty list is a closed day. */
export type OpeningHours = Record<Weekday, TimeRange[]>;

export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Fills missing weekdays with "closed" so readers never have to guess. */
export function normalizeOpeningHours(input: Partial<Record<Weekday, TimeRange[]>> | null | undefined): OpeningHours {
  const out = {} as OpeningHours;
  for (const d of WEEKDAYS) {
    out[d] = (input?.[d] ?? []).map((r) => ({ open: r.open, close: r.close }));
  }
  return out;
}
