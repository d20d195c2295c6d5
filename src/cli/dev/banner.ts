import type { AppConfig } from '../../config/config.schema';
import { formatSyncReport, type SyncReport } from '../../modules/tenant-sync/sync-report';

/** What a developer needs after `npm start`: where things are and how to sign in. */
export function printBanner(config: AppConfig, report: SyncReport): void {
  const base = `http://localhost:${config.PORT}`;
  const lines = [
    '',
    '上门按摩 SaaS is running',
    `  API            ${base}/api`,
    `  OpenAPI docs   ${base}/api/docs`,
    `  Health         ${base}/health`,
    `  Platform login POST ${base}/api/platform/auth/login`,
    '',
    'Demo stores and logins (store staff sign in at /t/{slug}/api/auth/staff/login):',
    formatSyncReport(report, base),
    '',
    'Customers sign in with any mainland mobile number, demo technicians with the numbers listed above;',
    'the SMS code is printed in this log (SMS_PROVIDER=log).',
    'Ctrl-C stops everything this command started.',
    '',
  ];
  console.log(lines.join('\n'));
}
