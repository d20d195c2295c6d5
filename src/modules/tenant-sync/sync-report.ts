export type SyncResult = 'created' | 'updated' | 'unchanged';

export interface AccountSync {
  email: string;
  name: string;
  role: string;
  result: SyncResult;
  /** Only for demo files (the password is in the committed yaml anyway), so banners can print logins. */
  password?: string;
}

/** A demo technician: they sign in at /t/{slug}/tech with this phone and the SMS code from the log. */
export interface TechnicianSync {
  key: string;
  displayName: string;
  phone: string;
  result: SyncResult;
}

export interface StoreSync {
  slug: string;
  name: string;
  displayName: string;
  city: string;
  status: string;
  result: SyncResult;
  /**
   * What differed from the database, e.g. `tenant.theme_color`, `status active→suspended`, `profile`,
   * `service jingan-aroma-full`, `prices jingan-aroma-full`, `retired service x`, `shifts jingan-lin`.
   */
  changes: string[];
  staff: AccountSync[];
  technicians: TechnicianSync[];
}

export interface SyncReport {
  stores: StoreSync[];
  operators: AccountSync[];
}

/** Human-readable summary for the CLI and the dev launcher. */
export function formatSyncReport(report: SyncReport, baseUrl?: string): string {
  const lines: string[] = [];
  for (const s of report.stores) {
    const url = baseUrl ? `  ${baseUrl}/t/${s.slug}/` : '';
    const why = s.changes.length ? ` (${brief(s.changes)})` : '';
    lines.push(`store ${s.slug} ${s.name} [${s.city}, ${s.status}]: ${s.result}${why}${url}`);
    for (const a of s.staff)
      lines.push(`  ${pad(a.role)} ${a.email}${a.password ? ` / ${a.password}` : ''}  ${a.result}`);
    for (const t of s.technicians) lines.push(`  ${pad('technician')} ${t.phone} ${t.displayName}  ${t.result}`);
  }
  for (const o of report.operators) {
    lines.push(`platform operator ${o.email}${o.password ? ` / ${o.password}` : ''}  ${o.result}`);
  }
  return lines.join('\n');
}

const pad = (s: string) => s.padEnd(14);
/** A first catalog sync of an existing store changes dozens of rows: name a few, count the rest. */
const brief = (changes: string[]) =>
  changes.length <= 6 ? changes.join(', ') : `${changes.slice(0, 5).join(', ')} and ${changes.length - 5} more`;
