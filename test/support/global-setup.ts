import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { migrate } from '../../src/platform/database/migrator';
import { acquirePostgres } from './postgres-server';

// Unique per run, so several runs (developers, helpers, CI) can share one server.
const TEMPLATE_DB = `massage_tpl_${process.pid}_${Date.now().toString(36)}`;
import { TEST_APP_PASSWORD } from './constants';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
  }
}

/** Migrates a template database once per run; each test file clones it (CREATE DATABASE … TEMPLATE). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await acquirePostgres();
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  const url = new URL(server.adminUrl);
  url.pathname = `/${TEMPLATE_DB}`;
  await migrate({ adminUrl: url.toString(), appPassword: TEST_APP_PASSWORD });
  project.provide('adminUrl', server.adminUrl);
  project.provide('templateDb', TEMPLATE_DB);
  return async () => {
    const c = new pg.Client({ connectionString: server.adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await c.end();
    await server.stop();
  };
}
