import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'db/**/*.test.ts', 'api/**/*.test.ts', 'ui/**/*.test.{ts,tsx}', 'extension/**/*.test.{ts,tsx}', 'outlook-addin/**/*.test.{ts,tsx}', 'sandbox/**/*.test.ts', 'test-support/**/*.test.ts'],
    globalSetup: ['./test-support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Vitest's default is one worker fewer than the cores: one file at a time on these two-core
    // machines. Each file has its own database (test-support/database.ts) and free ports, and much of
    // a file's time is spent waiting on its database, so two files at a time use both cores.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
