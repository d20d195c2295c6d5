import pg from 'pg';

/**
 * Records the text of every statement this process sends to PostgreSQL through `pg.Client#query`
 * (Prisma's pg adapter and the plain-pg pool both go through it: BEGIN, set_config and COMMIT
 * count too) while `measure` runs. `install()` in beforeAll, `restore()` in afterAll.
 */
export class StatementRecorder {
  private readonly original = pg.Client.prototype.query;
  private current: string[] | null = null;

  install(): void {
    const original = this.original;
    const record = (q: unknown) =>
      this.current?.push(typeof q === 'string' ? q : ((q as { text?: string } | undefined)?.text ?? '?'));
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      record(args[0]);
      return (original as (...a: unknown[]) => unknown).apply(this, args);
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
