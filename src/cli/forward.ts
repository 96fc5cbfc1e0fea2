import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { readLockOwner } from '../db/lock-file.js';
import { describeError, openLocalOutput, readNewPassword, type CliIo, type OutputFile } from './cli-io.js';
import {
  controlPath,
  controlTokenFileName,
  isForwardable,
  readsStdin,
  type ControlLine,
  type ForwardedCommand,
} from './control-protocol.js';

interface ForwardTarget {
  url: string;
  token: string;
}

/** The running server to forward to: PGlite only, a live owner on this host with a control URL. */
function findForwardTarget(argv: string[], env: NodeJS.ProcessEnv): ForwardTarget | undefined {
  // The others own the data directory themselves: they meet the lock message instead. (`restore`
  // needs an empty database, which a running server's never is: it opens the target itself.)
  if (!isForwardable(argv)) return undefined;
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

const parseLine = (line: string): ControlLine => JSON.parse(line) as ControlLine;

/** What a forwarded command gets as standard input: `admin create` asks here when on a terminal. */
const stdinForForwarding = (argv: string[], io: CliIo): Promise<string | undefined> =>
  argv.includes('--password-stdin') ? io.readStdin() : readNewPassword(io);

/** The files the user named with `--out`: the only ones a server may have this CLI write. */
const outputFilesOf = (argv: string[]): string[] =>
  argv
    .flatMap((arg, i) =>
      arg === '--out' && argv[i + 1] !== undefined
        ? [argv[i + 1]!]
        : arg.startsWith('--out=')
          ? [arg.slice(6)]
          : [],
    )
    .filter((path) => path !== '-');

/** Prints what the server's command prints and writes the files it sends; returns its exit code. */
function createLineHandler(argv: string[], io: CliIo) {
  const files = new Map<string, OutputFile>();
  let exitCode: number | undefined;
  const fileOf = (name: string) => {
    const file = files.get(name);
    if (!file) throw new Error(`the running server sent a file the command did not name: ${name}`);
    return file;
  };
  return {
    /** Opens the named files before the command runs: a path that cannot be written fails here. */
    async prepare(): Promise<void> {
      for (const path of outputFilesOf(argv)) files.set(path, await openLocalOutput(path));
    },
    async take(line: string): Promise<void> {
      if (line === '') return;
      const message = parseLine(line);
      if (message.out !== undefined) io.out(message.out);
      if (message.err !== undefined) io.err(message.err);
      if (message.exitCode !== undefined) exitCode = message.exitCode;
      if (message.file === undefined) return;
      const file = fileOf(message.file);
      if (message.data !== undefined) await file.write(message.data);
      if (message.done || message.abort) {
        files.delete(message.file);
        await (message.done ? file.close() : file.abort());
      }
    },
    /** Removes files the server never finished (it stopped, or the command failed). */
    async finish(): Promise<number | undefined> {
      for (const file of files.values()) await file.abort();
      files.clear();
      return exitCode;
    },
  };
}

/**
 * Feeds the NDJSON lines of `body` to `take`; returns what `take` threw (writing an output file
 * failed), or undefined. A broken connection just ends the lines: the missing exit code tells.
 */
async function readLines(
  body: ReadableStream<Uint8Array>,
  take: (line: string) => Promise<void>,
): Promise<unknown> {
  let pending = '';
  const decoder = new TextDecoder();
  let failure: unknown;
  const takeOrStop = (line: string) =>
    take(line).catch((error: unknown) => {
      failure = error;
      throw error;
    });
  try {
    for await (const chunk of body) {
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) await takeOrStop(line);
    }
    await takeOrStop(pending);
  } catch {
    // the connection broke, or `take` failed (kept in `failure`)
  }
  return failure;
}

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
  // Standard input is read here, where the user is; `admin create` on a terminal prompts here too.
  let stdin: string | undefined;
  const handler = createLineHandler(argv, io);
  try {
    if (readsStdin(argv)) stdin = await stdinForForwarding(argv, io);
    await handler.prepare();
  } catch (error) {
    await handler.finish();
    io.err(describeError(error) + '\n');
    return 1;
  }
  let response: Response;
  try {
    response = await fetch(target.url + controlPath, {
      method: 'POST',
      headers: { authorization: `Bearer ${target.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ argv, ...(stdin !== undefined ? { stdin } : {}) } satisfies ForwardedCommand),
    });
  } catch {
    await handler.finish();
    return undefined; // the server is gone: running locally takes over its stale lock or explains
  }
  if (!response.ok || !response.body) {
    await handler.finish();
    io.err(`error: the running server refused the command (HTTP ${response.status})\n`);
    return 1;
  }
  const failure = await readLines(response.body, (line) => handler.take(line));
  const exitCode = await handler.finish();
  if (failure !== undefined) {
    io.err(describeError(failure) + '\n');
    return 1;
  }
  if (exitCode === undefined) {
    io.err('error: the running server stopped before the command finished\n');
    return 1;
  }
  return exitCode;
}
