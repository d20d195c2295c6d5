import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slugProblem as sut, SLUG_PATTERN } from './slug-rules';

describe('slugProblem', () => {
  it.each(['abc', 'jingan-spa', 'a1b', 'x'.repeat(30)])('accepts %s', (s) => expect(sut(s)).toBeNull());
  it.each(['ab', 'x'.repeat(31), 'Abc', '1abc', 'abc-', '-abc', 'a_b', 'ab c', '上海店', ''])(
    'rejects the format of %j',
    (s) => expect(sut(s)).toBe('format'),
  );
  it.each(['www', 'api', 'admin', 'platform', 'static', 'signup', 'dashboard'])('reserves %s', (s) =>
    expect(sut(s)).toBe('reserved'),
  );
  it('never accepts what the database CHECK would refuse', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        if (sut(s) === null) expect(SLUG_PATTERN.test(s) && s.length >= 3 && s.length <= 30).toBe(true);
      }),
    );
  });
});
