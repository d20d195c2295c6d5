import { isDeepStrictEqual } from 'node:util';
import type pg from 'pg';
import type { SyncResult } from './sync-report';

type Value = string | number | boolean | null | string[] | Buffer | Date;

export interface KeyedRowSpec {
  /** A table with a `sync_key` column (see migrations/1765050000000_tenant-sync-keys.sql). */
  table: string;
  key: string;
  /** Where the row comes from, for the message of a conflict: `tenants/x/tenant.yaml: catalog service foo`. */
  label: string;
  /** Columns the yaml controls: written on insert, compared and corrected on every run. */
  want: Record<string, Value>;
  /** Columns written only when the row is created (state the app owns afterwards). */
  initial?: Record<string, Value>;
  /** Columns written together with a controlled column whenever it changes (ciphertext beside its hash). */
  alongside?: Record<string, Record<string, Value>>;
}

/**
 * Upserts one row the sync owns, found by its `sync_key` inside the store's RLS transaction. Only
 * the columns that differ are updated, so a second run writes nothing. A unique clash with a row
 * the app created (same name, same phone) is reported instead of taking that row over.
 */
export async function upsertKeyed(db: pg.ClientBase, spec: KeyedRowSpec): Promise<{ id: string; result: SyncResult }> {
  const columns = Object.keys(spec.want);
  const found = await db.query<Record<string, unknown>>(
    `SELECT id, ${columns.join(', ')} FROM ${spec.table} WHERE sync_key = $1`,
    [spec.key],
  );
  const row = found.rows[0];
  if (!row) {
    const values = { ...spec.want, ...spec.initial, ...Object.assign({}, ...Object.values(spec.alongside ?? {})) };
    const names = Object.keys(values);
    const inserted = await guard(spec, () =>
      db.query<{ id: string }>(
        `INSERT INTO ${spec.table} (tenant_id, sync_key, ${names.join(', ')})
         VALUES (current_tenant_id(), $1, ${names.map((_, i) => `$${i + 2}`).join(', ')}) RETURNING id`,
        [spec.key, ...Object.values(values)],
      ),
    );
    return { id: inserted.rows[0]!.id, result: 'created' };
  }
  const differing = columns.filter((c) => !isDeepStrictEqual(row[c], spec.want[c]));
  if (differing.length === 0) return { id: row.id as string, result: 'unchanged' };
  const set: Record<string, Value> = {};
  for (const c of differing) Object.assign(set, { [c]: spec.want[c] }, spec.alongside?.[c]);
  await guard(spec, () =>
    db.query(
      `UPDATE ${spec.table} SET ${Object.keys(set)
        .map((c, i) => `${c} = $${i + 2}`)
        .join(', ')} WHERE id = $1`,
      [row.id, ...Object.values(set)],
    ),
  );
  return { id: row.id as string, result: 'updated' };
}

/** Marks the store's keyed rows whose key is no longer in the file as inactive; returns their keys. */
export async function retireMissing(db: pg.ClientBase, table: string, keep: string[]): Promise<string[]> {
  const { rows } = await db.query<{ sync_key: string }>(
    `UPDATE ${table} SET active = false
      WHERE sync_key IS NOT NULL AND active AND NOT (sync_key = ANY ($1::text[]))
      RETURNING sync_key`,
    [keep],
  );
  return rows.map((r) => r.sync_key).sort();
}

async function guard<T>(spec: KeyedRowSpec, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if ((e as { code?: string }).code === '23505') {
      throw new Error(
        `${spec.label}: clashes with a row created in the app (${(e as { constraint?: string }).constraint}); ` +
          'rename one of them',
      );
    }
    throw e;
  }
}
