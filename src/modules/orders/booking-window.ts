import { BadRequestException } from '@nestjs/common';
import { localDaysBetween } from '../../platform/time/zoned-time';

/** The part of the store's booking rules (scheduling's `booking_settings`) a quote must honour. */
export interface BookingWindow {
  leadTimeMinutes: number;
  maxDaysAhead: number;
}

export type StartProblem = 'START_IN_PAST' | 'START_TOO_SOON' | 'START_BEYOND_WINDOW';

/** Why `startAt` cannot be booked now, or null. Same rule as availability (lead time; local date ≤ today + N). */
export function startProblem(startAt: Date, now: Date, zone: string, w: BookingWindow): StartProblem | null {
  if (startAt.getTime() <= now.getTime()) return 'START_IN_PAST';
  if (startAt.getTime() < now.getTime() + w.leadTimeMinutes * 60_000) return 'START_TOO_SOON';
  // NaN for an unknown zone: no window to refuse by, as before
  if (localDaysBetween(now, startAt, zone) > w.maxDaysAhead) return 'START_BEYOND_WINDOW';
  return null;
}

const MESSAGES: Record<StartProblem, string> = {
  START_IN_PAST: '预约时间已过 / the start time is in the past',
  START_TOO_SOON: '预约时间太近 / the start time is sooner than the store’s lead time',
  START_BEYOND_WINDOW: '超出可预约天数 / the start time is beyond the store’s booking window',
};

export function startAtError(problem: StartProblem): BadRequestException {
  const message = MESSAGES[problem];
  return new BadRequestException({ code: problem, message, fields: [{ field: 'startAt', messages: [message] }] });
}
