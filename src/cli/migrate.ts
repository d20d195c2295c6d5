// `npm run db:migrate`: apply migrations/ to DATABASE_URL (an administrative connection), creating
// the owner/app/platform roles if missing. APP_DB_PASSWORD sets the app role's password.
import { migrate } from '../platform/database/migrator';

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    console.error(
      'DATABASE_URL is required (a role that may create roles, e.g. postgres://postgres@127.0.0.1:5432/massage)',
    );
    process.exit(78);
  }
  const applied = await migrate({ adminUrl, appPassword: process.env.APP_DB_PASSWORD, log: (m) => console.log(m) });
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
