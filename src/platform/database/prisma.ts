import { createHash } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from '../../generated/prisma/client';

export type Db = Prisma.TransactionClient;
export { PrismaClient };

/** One Prisma client per process, on the `pg` driver adapter, connected as the app role. */
export function createPrismaClient(url: string, max: number, maxWaitMs = 15_000): PrismaClient {
  const adapter = new PrismaPg(
    { connectionString: url, max, idleTimeoutMillis: 30_000 },
    // Named statements are parsed once per connection instead of on every call. RLS stays
    // correct under cached plans: the policy's (SELECT current_tenant_id()) is an init-plan
    // evaluated at execution.
    { statementNameGenerator: (query) => `q${createHash('sha1').update(query.sql).digest('base64url').slice(0, 22)}` },
  );
  return new PrismaClient({ adapter, transactionOptions: { maxWait: maxWaitMs, timeout: 30_000 } });
}
