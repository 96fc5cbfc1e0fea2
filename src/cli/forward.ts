import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { readLockOwner } from '../db/lock-file.js';
import type { CliIo } from './cli-io.js';
import { controlPath, controlTokenFileName } from './forward-server.js';

/** Commands that own the data directory themselves: they refuse with the lock message instead. */
const localOnlyCommands = new Set(['serve', 'vmmanager-sim', 'migrate']);

const firstCommand = (argv: string[]): string | undefined => argv.find((arg) => !arg.startsWith('-'));

interface ForwardTarget {
  url: string;
  token: string;
}

/** The running server to forward to: PGlite only, a live owner on this host with a control URL. */
function findForwardTarget(argv: string[], env: NodeJS.ProcessEnv): ForwardTarget | undefined {
  const command = firstCommand(argv);
  if (command === undefined || localOnlyCommands.has(command)) return undefined;
  let dataDir: string;
  try {
    const config = loadConfig(env);
    if (config.databaseUrl) return undefined;
    dataDir = config.dataDir;
  } catch {
    return undefined; // runCli reports the configuration error itself
  }
  const owner = readLockOwner(dataDir);
  if (!owner?.controlUrl || owner.hostname !== hostname()) return undefined;
  try {
    return { url: owner.controlUrl, token: readFileSync(join(dataDir, controlTokenFileName), 'utf8') };
  } catch {
    return undefined; // not the owner's user: the lock message explains the rest
  }
}

const parseLine = (line: string): { out?: string; err?: string; exitCode?: number } =>
  JSON.parse(line) as { out?: string; err?: string; exitCode?: number };

/**
 * When a server owns the PGlite data directory, runs `argv` inside it (the same CLI code on the
 * server's app) and prints what it prints; returns its exit code, or undefined to run locally.
 */
export async function forwardIfServerRuns(
  argv: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number | undefined> {
  const target = findForwardTarget(argv, env);
  if (!target) return undefined;
  const stdin = argv.includes('--password-stdin') ? await io.readStdin() : undefined;
  let response: Response;
  try {
    response = await fetch(target.url + controlPath, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ argv, ...(stdin !== undefined ? { stdin } : {}) }),
    });
  } catch {
    return undefined; // the server is gone: running locally takes over its stale lock or explains
  }
  if (!response.ok || !response.body) {
    io.err(`error: the running server refused the command (HTTP ${response.status})\n`);
    return 1;
  }
  let exitCode: number | undefined;
  let pending = '';
  const decoder = new TextDecoder();
  const take = (line: string) => {
    if (line === '') return;
    const message = parseLine(line);
    if (message.out !== undefined) io.out(message.out);
    if (message.err !== undefined) io.err(message.err);
    if (message.exitCode !== undefined) exitCode = message.exitCode;
  };
  try {
    for await (const chunk of response.body) {
      pending += decoder.decode(chunk as Uint8Array, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(take);
    }
    take(pending);
  } catch {
    // reported below: the connection broke before the exit code arrived
  }
  if (exitCode === undefined) {
    io.err('error: the running server stopped before the command finished\n');
    return 1;
  }
  return exitCode;
}
