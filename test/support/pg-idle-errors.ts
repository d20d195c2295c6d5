import pg from 'pg';

// Each test file's database is dropped WITH (FORCE) at the end. A pool's *idle* client killed by
// that emits 'error' on the pool, which without a listener is an uncaught exception in whatever
// runs next. Queries in flight still reject normally; only idle-client errors are ignored here.
type AnyConnect = (this: pg.Pool, ...args: unknown[]) => unknown;
const connect = pg.Pool.prototype.connect as unknown as AnyConnect;
const patched = new WeakSet<pg.Pool>();
(pg.Pool.prototype as unknown as { connect: AnyConnect }).connect = function (this: pg.Pool, ...args: unknown[]) {
  if (!patched.has(this)) {
    patched.add(this);
    this.on('error', () => undefined);
  }
  return connect.apply(this, args);
};
