import { createHash } from 'node:crypto';

/**
 * A transaction-level advisory lock key for a text, computed in Node so it can travel inside a
 * statement's text (runSql's `advisoryLock`): the first 8 bytes of the text's SHA-256 as a signed
 * 64-bit integer, the type `pg_advisory_xact_lock(bigint)` takes. Every taker of one lock must
 * use this same function.
 */
export function advisoryLockKey(text: string): bigint {
  return createHash('sha256').update(text, 'utf8').digest().readBigInt64BE(0);
}
