import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/client.js';

/**
 * Migrates one template database per run; each test file then starts from a copy of it
 * (PGlite: a dumped data dir loaded in memory; PostgreSQL: CREATE DATABASE … TEMPLATE).
 */
export async function setupTemplate(project: TestProject, kind: 'pglite' | 'postgres') {
  if (kind === 'pglite') {
    const db = await openDatabase({});
    await db.migrate();
    const pglite = (db as unknown as { pglite: PGlite }).pglite;
    const dump = await pglite.dumpDataDir('none');
    const file = path.join(os.tmpdir(), `cpe-test-template-${process.pid}.tar`);
    fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await db.close();
    project.provide('pgliteTemplate', file);
    return () => fs.rmSync(file, { force: true });
  }

  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const template = `cpe_tpl_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const u = new URL(url);
  u.pathname = `/${template}`;
  const db = await openDatabase({ databaseUrl: u.toString(), poolSize: 2 });
  await db.migrate();
  await db.close();
  project.provide('pgTemplate', template);
  return async () => {
    const rows = await admin.query(`select datname from pg_database where datname like '${template}_f%'`);
    for (const r of rows.rows as Array<{ datname: string }>)
      await admin.query(`drop database if exists ${r.datname} with (force)`);
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    pgTemplate: string;
  }
}
