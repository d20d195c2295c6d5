import type pg from 'pg';

/** pg keeps a client's socket as `connection.stream`. */
interface WithSocket {
  connection?: { stream?: { cork?: () => void; uncork?: () => void } };
}

/**
 * Runs `send` with the client's socket corked: every message of the queries it issues before it
 * returns (synchronously) leaves in one write — one syscall and one loopback segment for
 * PostgreSQL to read — instead of one per query. On a pipelining client those queries are all
 * in flight together; on any client the first of them goes out at once, the rest when its turn
 * comes, exactly as without this. pg corks around each extended-protocol query itself; corks
 * nest, so the outer one decides when the bytes leave.
 */
export function inOneWrite<T>(client: pg.ClientBase, send: () => T): T {
  const socket = (client as unknown as WithSocket).connection?.stream;
  socket?.cork?.();
  try {
    return send();
  } finally {
    socket?.uncork?.();
  }
}

/**
 * Starts `first` and then `second` inside one write (inOneWrite) and waits for both to settle —
 * nothing else can then be sent between or under them on this connection (a ROLLBACK, the next
 * user). Throws the first failure in order, so the root cause wins over a statement that only
 * failed because the transaction was already aborted.
 */
export async function bothInOneWrite<A, B>(
  client: pg.ClientBase,
  first: () => Promise<A>,
  second: () => Promise<B>,
): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled(inOneWrite(client, () => [first(), second()] as const));
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
}
