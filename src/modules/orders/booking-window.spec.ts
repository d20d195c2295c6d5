import { describe, expect, it } from 'vitest';
import { startProblem as sut } from './booking-window';

const now = new Date('2026-11-25T02:00:00Z'); // 10:00 in Shanghai
const w = { leadTimeMinutes: 60, maxDaysAhead: 7 };
const at = (iso: string) => new Date(iso);

describe('booking window', () => {
  it('refuses the past, the lead time and beyond the window', () => {
    expect(sut(at('2026-11-25T01:59:00Z'), now, 'Asia/Shanghai', w)).toBe('START_IN_PAST');
    expect(sut(now, now, 'Asia/Shanghai', w)).toBe('START_IN_PAST');
    expect(sut(at('2026-11-25T02:59:00Z'), now, 'Asia/Shanghai', w)).toBe('START_TOO_SOON');
    expect(sut(at('2026-11-25T03:00:00Z'), now, 'Asia/Shanghai', w)).toBeNull();
    // 2026-12-02 23:30 local is the 7th day after today: allowed; 12-03 00:00 local is not
    expect(sut(at('2026-12-02T15:30:00Z'), now, 'Asia/Shanghai', w)).toBeNull();
    expect(sut(at('2026-12-02T16:00:00Z'), now, 'Asia/Shanghai', w)).toBe('START_BEYOND_WINDOW');
  });
});
