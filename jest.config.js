/** Jest 30 in ESM mode (see DESIGN.md): @swc/jest compiles TypeScript with decorator metadata so Nest DI works by type. */
import { readFileSync } from 'node:fs';

/** Shared with the chaos suite, which compiles its app process with the same transform. */
const swc = JSON.parse(readFileSync(new URL('./swc.transform.json', import.meta.url), 'utf8'));

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/no-unhandled-errors.ts', '<rootDir>/test/support/no-secret-output.ts'],
  testTimeout: 30000,
  // In ESM mode every test file's modules stay in the process that ran it: run in band, the
  // suite's heap grows past 3 GB and the garbage collector slows every later file severalfold.
  // A limit makes Jest run the files in a worker it replaces once its idle heap passes it.
  workerIdleMemoryLimit: '1GB',
};
