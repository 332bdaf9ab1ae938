import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'db/**/*.test.ts', 'api/**/*.test.ts', 'ui/**/*.test.{ts,tsx}', 'extension/**/*.test.{ts,tsx}', 'outlook-addin/**/*.test.{ts,tsx}', 'sandbox/**/*.test.ts', 'test-support/**/*.test.ts'],
    globalSetup: ['./test-support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
