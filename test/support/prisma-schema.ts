import { readFileSync } from 'node:fs';

/**
 * A small parser for the parts of prisma/schema.prisma the drift test compares (models, scalar
 * fields with their native types, @id/@@id, @unique/@@unique, @@index, @map/@@map, enums).
 * The schema engine that would give us the full DMMF cannot be downloaded here, and the
 * generated client's runtime data model has no native types or nullability.
 */

export interface PrismaField {
  name: string;
  column: string;
  /** Prisma scalar or enum name (relation fields are dropped). */
  type: string;
  optional: boolean;
  list: boolean;
  /** `@db.X(args)` as written, e.g. `Uuid`, `Timestamptz(6)`, `VarChar(30)`. */
  native: string | null;
  id: boolean;
  unique: boolean;
}

export interface PrismaModel {
  name: string;
  table: string;
  fields: PrismaField[];
  /** Column lists. */
  primaryKey: string[];
  uniques: string[][];
  indexes: string[][];
}

export interface PrismaSchema {
  models: PrismaModel[];
  /** enum name → database type name */
  enums: Map<string, string>;
}

const SCALARS = new Set(['String', 'Int', 'BigInt', 'Float', 'Decimal', 'Boolean', 'DateTime', 'Json', 'Bytes']);

export function readPrismaSchema(path = 'prisma/schema.prisma'): PrismaSchema {
  return parsePrismaSchema(readFileSync(path, 'utf8'));
}

export function parsePrismaSchema(text: string): PrismaSchema {
  const blocks = [...stripComments(text).matchAll(/^\s*(model|enum|view)\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm)];
  const enums = new Map<string, string>();
  for (const [, kind, name, body] of blocks) {
    if (kind === 'enum') enums.set(name!, /@@map\("([^"]+)"\)/.exec(body!)?.[1] ?? name!);
  }
  const models: PrismaModel[] = [];
  for (const [, kind, name, body] of blocks) {
    if (kind !== 'model') continue;
    const lines = body!
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const fields: PrismaField[] = [];
    for (const line of lines.filter((l) => !l.startsWith('@@'))) {
      const m = /^(\w+)\s+(\w+(?:\([^)]*\))?)(\[\])?(\?)?\s*(.*)$/.exec(line);
      if (!m) throw new Error(`cannot parse field line in model ${name}: ${line}`);
      const [, fieldName, type, list, optional, attrs = ''] = m;
      if (!SCALARS.has(type!) && !enums.has(type!) && !type!.startsWith('Unsupported')) continue; // relation
      if (/@relation\b/.test(attrs) && !SCALARS.has(type!)) continue;
      fields.push({
        name: fieldName!,
        column: /@map\("([^"]+)"\)/.exec(attrs)?.[1] ?? fieldName!,
        type: type!,
        optional: optional === '?',
        list: list === '[]',
        native: /@db\.(\w+(?:\([^)]*\))?)/.exec(attrs)?.[1] ?? null,
        id: /(^|\s)@id\b/.test(attrs),
        unique: /(^|\s)@unique\b/.test(attrs),
      });
    }
    const columnOf = (fieldName: string) => {
      const f = fields.find((x) => x.name === fieldName);
      if (!f) throw new Error(`model ${name}: block attribute names unknown field ${fieldName}`);
      return f.column;
    };
    const fieldList = (attr: string) =>
      lines
        .filter((l) => l.startsWith(`${attr}(`))
        .map((l) => {
          const inner = /\[([^\]]*)\]/.exec(l)?.[1] ?? '';
          return inner
            .split(',')
            .map((s) => s.trim().replace(/\(.*\)$/, ''))
            .filter(Boolean)
            .map(columnOf);
        });
    const blockId = fieldList('@@id')[0];
    models.push({
      name: name!,
      table: /@@map\("([^"]+)"\)/.exec(body!)?.[1] ?? name!,
      fields,
      primaryKey: blockId ?? fields.filter((f) => f.id).map((f) => f.column),
      uniques: [...fields.filter((f) => f.unique).map((f) => [f.column]), ...fieldList('@@unique')],
      indexes: fieldList('@@index'),
    });
  }
  return { models, enums };
}

/** The type `format_type()` reports for a column declared this way in the Prisma schema. */
export function expectedPgType(field: PrismaField, enums: Map<string, string>): string | null {
  const base = baseType(field, enums);
  if (base === null) return null;
  return field.list ? `${base}[]` : base;
}

function baseType(field: PrismaField, enums: Map<string, string>): string | null {
  const native = field.native ? /^(\w+)(?:\(([^)]*)\))?$/.exec(field.native) : null;
  const nt = native?.[1];
  const args = native?.[2]?.replace(/\s+/g, '');
  const withArgs = (name: string) => (args ? `${name}(${args})` : name);
  if (enums.has(field.type)) return enums.get(field.type)!;
  switch (field.type) {
    case 'String':
      if (!nt || nt === 'Text') return 'text';
      if (nt === 'Uuid') return 'uuid';
      if (nt === 'Inet') return 'inet';
      if (nt === 'Citext') return 'citext';
      if (nt === 'VarChar') return withArgs('character varying');
      if (nt === 'Char') return withArgs('character');
      if (nt === 'Xml') return 'xml';
      return nt.toLowerCase();
    case 'Int':
      if (nt === 'SmallInt') return 'smallint';
      if (nt === 'Oid') return 'oid';
      return 'integer';
    case 'BigInt':
      return 'bigint';
    case 'Float':
      return nt === 'Real' ? 'real' : 'double precision';
    case 'Decimal':
      return nt === 'Money' ? 'money' : withArgs('numeric');
    case 'Boolean':
      return 'boolean';
    case 'Json':
      return nt === 'Json' ? 'json' : 'jsonb';
    case 'Bytes':
      return 'bytea';
    case 'DateTime': {
      // Precision 6 is PostgreSQL's default, which format_type() does not print.
      const p = args && args !== '6' ? `(${args})` : '';
      if (nt === 'Timestamptz') return `timestamp${p} with time zone`;
      if (nt === 'Date') return 'date';
      if (nt === 'Time') return `time${p} without time zone`;
      if (nt === 'Timetz') return `time${p} with time zone`;
      if (nt === 'Timestamp') return `timestamp${p} without time zone`;
      return 'timestamp(3) without time zone'; // Prisma's default for a bare DateTime
    }
    default:
      return null; // Unsupported("…"): only existence and nullability are compared
  }
}

/** Drops `//` comments, but not `//` inside string literals (URLs in defaults). */
function stripComments(text: string): string {
  return text.replace(/^((?:[^"\n/]|"(?:[^"\\\n]|\\.)*"|\/(?!\/))*)\/\/.*$/gm, '$1');
}
