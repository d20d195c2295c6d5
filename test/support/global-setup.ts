import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { migrate } from '../../src/platform/database/migrator';
import { acquirePostgres } from './postgres-server';

export const TEMPLATE_DB = 'massage_test_template';
export const TEST_APP_PASSWORD = 'app';

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
  await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  const url = new URL(server.adminUrl);
  url.pathname = `/${TEMPLATE_DB}`;
  await migrate({ adminUrl: url.toString(), appPassword: TEST_APP_PASSWORD });
  project.provide('adminUrl', server.adminUrl);
  project.provide('templateDb', TEMPLATE_DB);
  return async () => {
    await server.stop();
  };
}
