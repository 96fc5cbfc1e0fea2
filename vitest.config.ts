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
    // expect.poll waits for a state (a row that shows, a run that is recorded) and returns as soon
    // as it holds; its default budget of 1 s is shorter than a save-and-reload takes on the loaded
    // CI machine, where it fails a correct test. 30 s, as Playwright's own waits. Not a retry: an
    // assertion that never holds still fails.
    expect: { poll: { timeout: 30_000 } },
    // Processes, not threads: PGlite (WASM), child processes and Chromium per file. vitest runs
    // availableParallelism() - 1 of them at once: one on the 2-core CI machine, so two files never
    // drive two Chromiums or two PGlite clusters at the same time there. No retries.
    pool: 'forks',
    reporters: ['default'],
  },
});
