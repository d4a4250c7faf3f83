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
};
