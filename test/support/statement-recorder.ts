import pg from 'pg';

/**
 * Records the round trips this process makes to PostgreSQL through `pg.Client#query` (Prisma's pg
 * adapter and the plain-pg pool both go through it: BEGIN, set_config and COMMIT count too) while
 * `measure` runs, one entry per round trip: a statement sent on a pipelining connection while an
 * earlier one is still unanswered travels with it (a closing statement and its COMMIT), so it
 * joins that entry as `first ⇢ second`. `install()` in beforeAll, `restore()` in afterAll.
 */
export class StatementRecorder {
  private readonly original = pg.Client.prototype.query;
  private current: string[] | null = null;

  install(): void {
    const original = this.original;
    /** Per connection: statements sent and not yet answered, and the entry they belong to. */
    const inFlight = new WeakMap<pg.Client, { pending: number; entry: number; list: string[] }>();
    const record = (client: pg.Client, q: unknown): (() => void) | undefined => {
      const list = this.current;
      if (!list) return undefined;
      const text = typeof q === 'string' ? q : ((q as { text?: string } | undefined)?.text ?? '?');
      const open = inFlight.get(client);
      if (client.pipeline && open && open.pending > 0 && open.list === list) {
        list[open.entry] += ` ⇢ ${text}`;
        open.pending++;
      } else {
        inFlight.set(client, { pending: 1, entry: list.push(text) - 1, list });
      }
      return () => {
        const state = inFlight.get(client);
        if (state) state.pending--;
      };
    };
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const done = record(this, args[0]);
      const result = (original as (...a: unknown[]) => unknown).apply(this, args);
      if (done && result instanceof Promise) result.then(done, done);
      else done?.();
      return result;
    } as typeof original;
  }

  async measure<T>(work: () => Promise<T>): Promise<{ value: T; sql: string[] }> {
    const sql: string[] = [];
    this.current = sql;
    try {
      return { value: await work(), sql };
    } finally {
      this.current = null;
    }
  }

  restore(): void {
    this.current = null;
    pg.Client.prototype.query = this.original;
  }
}
