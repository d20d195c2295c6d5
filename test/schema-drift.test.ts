import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectedPgType, parsePrismaSchema, readPrismaSchema, type PrismaSchema } from './support/prisma-schema';
import { createTestDatabase, type TestDatabase } from './support/test-database';

/** Tables the migrations own that are not part of the data model. */
const NOT_MODELLED = new Set(['pgmigrations']);

interface DbColumn {
  table: string;
  column: string;
  type: string;
  notNull: boolean;
}

interface DbIndex {
  table: string;
  name: string;
  columns: string[];
  unique: boolean;
  primary: boolean;
}

/** Every difference between the migrated database and the Prisma schema, one readable line each. */
async function schemaDrift(client: pg.ClientBase, schema: PrismaSchema): Promise<string[]> {
  const problems: string[] = [];
  const { rows: tableRows } = await client.query<{ table: string }>(
    `SELECT c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
  );
  const { rows: columns } = await client.query<DbColumn>(
    `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
            a.attnotnull AS "notNull"
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  // Key columns of plain (non-partial, non-expression) indexes, in index order.
  const { rows: indexes } = await client.query<DbIndex>(
    `SELECT t.relname AS table, i.relname AS name, x.indisunique AS unique, x.indisprimary AS primary,
            array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(x.indkey[0:x.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND x.indpred IS NULL AND x.indexprs IS NULL
      GROUP BY t.relname, i.relname, x.indisunique, x.indisprimary`,
  );

  const dbTables = new Set(tableRows.map((r) => r.table));
  const modelled = new Map(schema.models.map((m) => [m.table, m]));
  const key = (cols: string[]) => `(${cols.join(', ')})`;

  for (const table of dbTables) {
    if (!NOT_MODELLED.has(table) && !modelled.has(table)) {
      problems.push(`table ${table} exists in the database but no model maps to it in prisma/schema.prisma`);
    }
  }
  for (const model of schema.models) {
    const where = `model ${model.name} (table ${model.table})`;
    if (!dbTables.has(model.table)) {
      problems.push(`${where}: the table does not exist in the migrated database`);
      continue;
    }
    const cols = new Map(columns.filter((c) => c.table === model.table).map((c) => [c.column, c]));
    for (const field of model.fields) {
      const col = cols.get(field.column);
      if (!col) {
        problems.push(`${where}: field ${field.name} maps to column ${field.column}, which does not exist`);
        continue;
      }
      const expected = expectedPgType(field, schema.enums);
      if (expected !== null && expected !== col.type) {
        const declared = `${field.type}${field.list ? '[]' : ''}${field.native ? ` @db.${field.native}` : ''}`;
        problems.push(
          `${where}: column ${field.column} is ${col.type} in the database, but field ${field.name} ` +
            `(${declared}) means ${expected}`,
        );
      }
      if (!field.list && field.optional === col.notNull) {
        problems.push(
          `${where}: column ${field.column} is ${col.notNull ? 'NOT NULL' : 'nullable'} in the database, ` +
            `but field ${field.name} is ${field.optional ? 'optional (?)' : 'required'}`,
        );
      }
    }
    const fieldColumns = new Set(model.fields.map((f) => f.column));
    for (const column of cols.keys()) {
      if (!fieldColumns.has(column)) {
        problems.push(`${where}: column ${column} exists in the database but no field maps to it`);
      }
    }

    const own = indexes.filter((i) => i.table === model.table);
    const pk = own.find((i) => i.primary);
    if (key(pk?.columns ?? []) !== key(model.primaryKey)) {
      problems.push(
        `${where}: primary key is ${pk ? key(pk.columns) : 'missing'} in the database, ` +
          `${key(model.primaryKey)} in the schema`,
      );
    }
    const dbUniques = new Set(own.filter((i) => i.unique && !i.primary).map((i) => key(i.columns)));
    const schemaUniques = new Set(model.uniques.map(key));
    for (const u of schemaUniques) {
      if (!dbUniques.has(u)) problems.push(`${where}: unique ${u} is declared but the database has no such unique`);
    }
    for (const u of dbUniques) {
      if (!schemaUniques.has(u))
        problems.push(`${where}: the database has unique ${u}, the schema does not declare it`);
    }
    const dbPlain = new Set(own.filter((i) => !i.unique).map((i) => key(i.columns)));
    const schemaPlain = new Set(model.indexes.map(key));
    for (const ix of schemaPlain) {
      if (!dbPlain.has(ix)) problems.push(`${where}: @@index ${ix} is declared but the database has no such index`);
    }
    for (const ix of dbPlain) {
      if (!schemaPlain.has(ix)) problems.push(`${where}: the database has index ${ix}, the schema has no @@index`);
    }
  }
  return problems;
}

describe('schema drift: migrations vs prisma/schema.prisma', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.adminUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('the migrated database matches the Prisma schema', async () => {
    const schema = readPrismaSchema();
    expect(schema.models.length).toBeGreaterThan(5);
    const problems = await schemaDrift(client, schema);
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('names each kind of difference (checked on a scratch copy)', async () => {
    await client.query('BEGIN');
    try {
      await client.query(`ALTER TABLE customers ADD COLUMN bogus text`);
      await client.query(`ALTER TABLE customers ALTER COLUMN nickname SET NOT NULL`);
      await client.query(`ALTER TABLE technicians ALTER COLUMN name TYPE varchar(20)`);
      await client.query(`CREATE TABLE stray (id int PRIMARY KEY)`);
      await client.query(`CREATE UNIQUE INDEX customers_nick_key ON customers (tenant_id, nickname)`);
      const schema = readPrismaSchema();
      const customer = schema.models.find((m) => m.table === 'customers')!;
      customer.fields.push({
        ...customer.fields.find((f) => f.column === 'nickname')!,
        name: 'ghost',
        column: 'ghost',
      });
      const problems = await schemaDrift(client, schema);
      expect(problems).toEqual(
        expect.arrayContaining([
          'model Customer (table customers): column bogus exists in the database but no field maps to it',
          'model Customer (table customers): column nickname is NOT NULL in the database, but field nickname is optional (?)',
          'model Customer (table customers): field ghost maps to column ghost, which does not exist',
          'model Customer (table customers): the database has unique (tenant_id, nickname), the schema does not declare it',
          'model Technician (table technicians): column name is character varying(20) in the database, but field name (String) means text',
          'table stray exists in the database but no model maps to it in prisma/schema.prisma',
        ]),
      );
      expect(problems).toHaveLength(6);
    } finally {
      await client.query('ROLLBACK');
    }
  });

  it('maps Prisma scalars and native types to PostgreSQL types', () => {
    const schema = parsePrismaSchema(`
      enum Level {
        gold
        @@map("member_level")
      }
      model M {
        a String   @id @db.Uuid // comment with "quote"
        b String?  @default("http://x") @map("b_col")
        c DateTime @db.Timestamptz(6)
        d DateTime @db.Timestamptz(3)
        e Int
        f BigInt
        g Boolean
        h Bytes
        i Json
        j Float
        k Decimal  @db.Decimal(10, 2)
        l String[]
        m Level
        n String   @db.VarChar(30) @unique
        o DateTime
        other Other @relation(fields: [a], references: [id])
        @@unique([e, f])
        @@index([c(sort: Desc), e])
        @@map("ms")
      }
    `);
    const m = schema.models[0]!;
    const types = Object.fromEntries(m.fields.map((f) => [f.name, expectedPgType(f, schema.enums)]));
    expect(types).toEqual({
      a: 'uuid',
      b: 'text',
      c: 'timestamp with time zone',
      d: 'timestamp(3) with time zone',
      e: 'integer',
      f: 'bigint',
      g: 'boolean',
      h: 'bytea',
      i: 'jsonb',
      j: 'double precision',
      k: 'numeric(10,2)',
      l: 'text[]',
      m: 'member_level',
      n: 'character varying(30)',
      o: 'timestamp(3) without time zone',
    });
    expect(m.table).toBe('ms');
    expect(m.fields.find((f) => f.name === 'b')).toMatchObject({ column: 'b_col', optional: true });
    expect(m.primaryKey).toEqual(['a']);
    expect(m.uniques).toEqual([['n'], ['e', 'f']]);
    expect(m.indexes).toEqual([['c', 'e']]);
  });
});
