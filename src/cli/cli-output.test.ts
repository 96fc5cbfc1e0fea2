import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/test-database.js';
import { runCliChild } from './forward.test-helpers.js';

// Issue 12, finding 16: on PostgreSQL a warning line ("token cache disabled: cannot LISTEN…")
// was appended to the standard output of `--json` commands.

let database: TestDatabase;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  database = await createTestDatabase();
  env = {
    ...process.env,
    OSCAT_DATA_DIR: mkdtempSync(join(tmpdir(), 'oscat-cli-out-')),
    OSCAT_LOG_LEVEL: 'debug',
    DATABASE_URL: database.url ?? '',
  };
});
afterAll(async () => database.close());

describe('standard output of a CLI command is only what it prints', () => {
  test('--json is valid JSON, run after run, with every log line on standard error', async () => {
    // The warning raced the pool's close on PostgreSQL: several runs there; PGlite starts slower.
    const runs = database.url ? 3 : 1;
    for (let i = 0; i < runs; i += 1) {
      const result = await runCliChild(env, ['tariffs', 'list', '--json']);
      expect(result.code, result.stderr).toBe(0);
      expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
      expect(result.stdout.trim()).toMatch(/^\[[\s\S]*\]$/);
    }
  }, 120_000);
});
