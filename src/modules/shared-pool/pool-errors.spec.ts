import { describe, expect, it } from 'vitest';
import { poolError } from './pool-errors';

describe('poolError', () => {
  it('maps the pool functions’ SQLSTATEs to HTTP answers', () => {
    expect(poolError('PT409')?.getStatus()).toBe(409);
    expect(poolError('PT403')?.getStatus()).toBe(403);
    expect(poolError('PT422')?.getStatus()).toBe(409);
    expect(poolError('P0002')?.getStatus()).toBe(404);
    expect(poolError('PT412')?.getResponse()).toMatchObject({ code: 'ILLEGAL_TRANSITION' });
    expect(poolError('PT420')?.getStatus()).toBe(409);
    expect(poolError('PT400')?.getResponse()).toMatchObject({ fields: [{ field: 'units' }] });
  });

  it('leaves anything else alone', () => {
    const sut = poolError;
    expect(sut('23505')).toBeNull();
    expect(sut(undefined)).toBeNull();
  });
});
