/**
 * PostgreSQL `time` and `date` columns come back from Prisma as JS Dates on 1970-01-01 / at UTC
 * midnight. These helpers keep them as the plain local strings they mean ('HH:mm', 'YYYY-MM-DD').
 */
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
export const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function timeToDate(hhmm: string): Date {
  return new Date(`1970-01-01T${hhmm}:00.000Z`);
}

export function dateToTime(d: Date): string {
  return d.toISOString().slice(11, 16);
}

export function isoDateToDate(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

export function dateToIsoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The calendar date `days` after (or before, when negative) an ISO date: pure date arithmetic, no zone. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00.000Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
