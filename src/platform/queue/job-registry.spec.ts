import { describe, expect, it } from 'vitest';
import { checkHandlers as sut } from './job-registry';
import type { JobDefinitions } from './job-definitions';

const defs: JobDefinitions = {
  a: { queue: 'q', scope: 'tenant', attempts: 1 },
  b: { queue: 'q', scope: 'platform', attempts: 1 },
};

describe('checkHandlers', () => {
  it('accepts exactly one handler per declared job', () => {
    expect(
      sut(defs, [
        { name: 'a', owner: 'A.run' },
        { name: 'b', owner: 'B.run' },
      ]),
    ).toEqual([]);
  });
  it('reports a missing, a duplicate and an undeclared handler', () => {
    const problems = sut(defs, [
      { name: 'a', owner: 'A.run' },
      { name: 'a', owner: 'A2.run' },
      { name: 'c', owner: 'C.run' },
    ]);
    expect(problems).toEqual([
      'job "a" has two handlers: A.run and A2.run',
      'C.run handles undeclared job "c"',
      'job "b" has no @JobHandler',
    ]);
  });
});
