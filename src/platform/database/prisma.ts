import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from '../../generated/prisma/client';

export type Db = Prisma.TransactionClient;
export { PrismaClient };

/** One Prisma client per process, on the `pg` driver adapter, connected as the app role. */
export function createPrismaClient(url: string, max: number): PrismaClient {
  const adapter = new PrismaPg({ connectionString: url, max, idleTimeoutMillis: 30_000 });
  return new PrismaClient({ adapter, transactionOptions: { maxWait: 5_000, timeout: 15_000 } });
}
