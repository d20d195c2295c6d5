import { describe, expect, it } from 'vitest';
import { poolError } from './pool-errors';

describe('poolError', () => {
  it('maps the pool functions’ SQLSTATEs to HTTP answers', () => {
    expect(poolError('PT409')?.getStatus()).toBe(409);
    expect(poolError('PT403')?.getStatus()).toBe(403);
    expect(poolError('PT422')?.getStatus()).toBe(409);
    expect(poolError('P0002')?.getStatus()).toBe(404);
  });

  it('leaves anything else alone', () => {
    const sut = poolError;
    expect(sut('23505')).toBeNull();
    expect(sut(undefined)).toBeNull();
  });
});
