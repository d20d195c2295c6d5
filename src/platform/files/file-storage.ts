import type { Readable } from 'node:stream';

/** Where file bytes live. Keys come from `file-key.ts` and always name their store. */
export interface FileStorage {
  readonly driver: 'local' | 's3';
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The stored bytes as a stream; rejects with FileMissingError when there is no such object. */
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
}

export const FILE_STORAGE = Symbol('FILE_STORAGE');

export class FileMissingError extends Error {
  constructor(key: string) {
    super(`no stored object at ${key}`);
  }
}
