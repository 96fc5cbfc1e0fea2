import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from './test-database.js';

/**
 * Runs the TypeScript file `child` until its standard output matches `marker`, then SIGKILLs it
 * there; returns what it printed and the match. Rejects when it exits before printing it.
 */
export async function killWhenPrinted(
  child: string,
  env: NodeJS.ProcessEnv,
  marker: RegExp,
): Promise<{ output: string; match: RegExpExecArray }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => proc.on('exit', () => resolve()));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    proc.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = marker.exec(output);
      if (found) resolve(found);
    });
    proc.on('exit', () =>
      reject(new Error(`the child exited before printing ${String(marker)}:\n${output}`)),
    );
  });
  proc.kill('SIGKILL');
  await exited;
  return { output, match };
}

/**
 * The environment of a child that opens storage as `os-catalog` would: a fresh PostgreSQL
 * database when DATABASE_URL is set, else a fresh PGlite data directory; `cleanups` removes it.
 */
export async function childEnvironment(
  prefix: string,
  secretKey: string,
  cleanups: (() => Promise<void>)[],
): Promise<NodeJS.ProcessEnv> {
  const base = { PATH: process.env.PATH, OSCAT_SECRET_KEY: secretKey, OSCAT_LOG_LEVEL: 'silent' };
  if (process.env.DATABASE_URL) {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    return { ...base, DATABASE_URL: database.url };
  }
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  return { ...base, OSCAT_DATA_DIR: dataDir };
}
