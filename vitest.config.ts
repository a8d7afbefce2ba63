import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Unit tests run once; database tests (apps/server/test/api) run on PGlite always and again on
 * PostgreSQL when TEST_DATABASE_URL is set. Each test file gets its own freshly migrated database.
 * TEST_DB_KINDS (e.g. `pglite` or `postgres`) narrows that: CI runs PGlite on the machine's Node and PostgreSQL on
 * Node 24 (.ci/run), so both databases and both runtimes are tested without running everything twice.
 */
const kinds = (process.env.TEST_DB_KINDS ?? 'pglite,postgres').split(',');
const dbProjects: TestProjectInlineConfiguration[] = [
  {
    extends: true,
    test: {
      name: 'api:pglite',
      include: ['apps/server/test/api/**/*.test.ts'],
      globalSetup: ['apps/server/test/setup-pglite.ts'],
      env: { TEST_DB_KIND: 'pglite' },
    },
  },
];
if (process.env.CI === 'true' && !process.env.TEST_DATABASE_URL) {
  throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests must run in CI');
}
if (process.env.TEST_DATABASE_URL && kinds.includes('postgres')) {
  dbProjects.push({
    extends: true,
    test: {
      name: 'api:postgres',
      include: ['apps/server/test/api/**/*.test.ts'],
      globalSetup: ['apps/server/test/setup-postgres.ts'],
      env: { TEST_DB_KIND: 'postgres' },
    },
  });
}

if (!kinds.includes('pglite')) dbProjects.shift();

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts', 'apps/web/src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'process', include: ['apps/server/test/process/**/*.test.ts'], testTimeout: 120_000 },
      },
      ...dbProjects,
    ],
  },
});
