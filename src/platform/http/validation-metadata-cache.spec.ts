import 'reflect-metadata';
import { IsInt, IsOptional, IsString, Max, Min, getMetadataStorage, validateSync } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { memoizeValidationMetadata } from './validation-metadata-cache';

class PageDto {
  @IsInt() @Min(1) @Max(100) limit!: number;
}
class SearchDto extends PageDto {
  @IsOptional() @IsString() q?: string;
}
const fields = (o: object) => validateSync(o, { whitelist: true, forbidNonWhitelisted: true }).map((e) => e.property);

describe('memoizeValidationMetadata', () => {
  memoizeValidationMetadata();
  memoizeValidationMetadata(); // idempotent: a second install must not wrap the wrappers

  it('answers repeated lookups from the memo, and validation is unchanged, inherited rules included', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(SearchDto, '', false, false);
    expect(storage.getTargetValidationMetadatas(SearchDto, '', false, false)).toBe(first);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
    expect(Object.keys(storage.groupByPropertyName(first)).sort()).toEqual(['limit', 'q']);

    expect(fields(Object.assign(new SearchDto(), { limit: 20, q: 'x' }))).toEqual([]);
    expect(fields(Object.assign(new SearchDto(), { limit: 0, q: 3 })).sort()).toEqual(['limit', 'q']);
    expect(fields(Object.assign(new SearchDto(), { limit: 5, extra: 1 }))).toEqual(['extra']);
    // groups are part of the key: a grouped lookup is not served the ungrouped answer
    expect(storage.getTargetValidationMetadatas(SearchDto, '', false, true, ['admin'])).toEqual([]);
  });

  it('drops the memo when a class registers rules later, so new and changed rules apply', () => {
    const storage = getMetadataStorage();
    const before = storage.getTargetValidationMetadatas(SearchDto, '', false, false);
    class LateDto extends SearchDto {
      @IsString() reason!: string;
    }
    expect(storage.getTargetValidationMetadatas(SearchDto, '', false, false)).not.toBe(before);
    expect(fields(Object.assign(new LateDto(), { limit: 1 }))).toEqual(['reason']);
    expect(fields(Object.assign(new LateDto(), { limit: 1, reason: 'ok' }))).toEqual([]);
  });
});
