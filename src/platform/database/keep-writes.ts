/**
 * Marks an error whose unit of work must still commit: a refused sign-in whose audit entry must
 * stand, a refresh-token reuse whose session revocation must stand. The tenant interceptor
 * commits the work and then rethrows, so the client gets the normal error response.
 */
export const KEEP_WRITES = Symbol.for('massage.keepWritesOnError');

export function keepsWrites(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { [KEEP_WRITES]?: boolean })[KEEP_WRITES] === true;
}
