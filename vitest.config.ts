import { defineConfig } from 'vitest/config';
import { isolateTestInfrastructure } from './infra/src/test-environment.ts';

// Before the global setup imports infra: tests get a broker and database of their own, never `pnpm start`'s.
isolateTestInfrastructure();

const sources = ['packages/*/test/**', 'services/*/test/**', 'schemas/test/**', 'infra/test/**'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: sources.map((dir) => `${dir}/*.test.ts`),
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: sources.map((dir) => `${dir}/*.int.test.ts`),
          exclude: ['**/node_modules/**'],
          // One broker and one database server for the whole run (env, testcontainers or infra/); see infra/src/test-infra.ts.
          globalSetup: ['infra/src/test-global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
