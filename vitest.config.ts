import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'src/ui/**'],
    globalSetup: ['src/test/global-setup.ts'],
    // A budget for slow machines, not a speed target (those live in `npm run bench`): under a
    // loaded 2-core CI some database-heavy tests (the 960-case truth table) take 20-30 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
