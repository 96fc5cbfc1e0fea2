import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataDirLock } from '../db/lock-file.js';
import type { Logger } from '../shared/logger.js';
import { parseWith } from '../shared/validate.js';
import type { CliIo, OutputFile } from './cli-io.js';
import {
  controlPath,
  controlTokenFileName,
  ForwardedCommand,
  isForwardable,
  type ControlLine,
} from './control-protocol.js';

/** Runs one forwarded argv inside the server (`serve` passes the CLI itself, on the server's app). */
export type ForwardedRunner = (argv: string[], io: CliIo) => Promise<number>;

export interface ControlEndpoint {
  url: string;
  close(): Promise<void>;
}

const maxBodyBytes = 1_100_000;

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) reject(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const tokenMatches = (header: string | undefined, token: string): boolean => {
  const given = Buffer.from(header?.replace(/^Bearer /, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
};

const writeLine = (res: ServerResponse, line: ControlLine): void =>
  void res.write(JSON.stringify(line) + '\n');

const clientGone = () => new Error('the forwarding CLI went away before the command finished');

/**
 * Writes one line and waits while the client is slower than the command (a large backup); fails
 * once the client is gone, so that the command stops instead of writing into nothing.
 */
const writeLineDrained = (res: ServerResponse, value: ControlLine): Promise<void> => {
  if (res.destroyed) return Promise.reject(clientGone());
  if (res.write(JSON.stringify(value) + '\n')) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const drained = () => {
      res.off('close', closed);
      resolve();
    };
    const closed = () => {
      res.off('drain', drained);
      reject(clientGone());
    };
    res.once('drain', drained).once('close', closed);
  });
};

/** An output file of a forwarded command travels to the forwarding CLI, which writes it. */
const forwardedOutput = (res: ServerResponse, file: string): OutputFile => ({
  write: (data) => writeLineDrained(res, { file, data }),
  close: () => writeLineDrained(res, { file, done: true }),
  abort: () => writeLineDrained(res, { file, abort: true }),
});

async function handle(req: IncomingMessage, res: ServerResponse, token: string, run: ForwardedRunner) {
  if (req.method !== 'POST' || req.url !== controlPath) {
    res.writeHead(404).end();
    return;
  }
  if (!tokenMatches(req.headers.authorization, token)) {
    res.writeHead(401).end();
    return;
  }
  let command: ForwardedCommand;
  try {
    command = parseWith(ForwardedCommand, JSON.parse(await readBody(req)) as unknown, { what: 'command' });
  } catch {
    res.writeHead(400).end();
    return;
  }
  // The token opens this door to the CLI's commands, not to every command the binary has.
  if (!isForwardable(command.argv)) {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('not a forwardable command\n');
    return;
  }
  // NDJSON lines stream the command's output as it happens: progress shows up at once.
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const io: CliIo = {
    out: (text) => writeLine(res, { out: text }),
    err: (text) => writeLine(res, { err: text }),
    // The forwarding CLI's standard input, if it sent one; never the server's own terminal.
    readStdin: async () => command.stdin,
    openOutput: async (file) => forwardedOutput(res, file),
  };
  const exitCode = await run(command.argv, io).catch(() => 1);
  writeLine(res, { exitCode });
  res.end();
}

/**
 * Listens on 127.0.0.1 for CLI commands forwarded by `os-catalog` while this server owns the
 * PGlite data directory; records the URL in the lock file and a fresh token in a 0600 file.
 */
export async function startControlEndpoint(options: {
  dataDir: string;
  lock: DataDirLock;
  run: ForwardedRunner;
  logger: Logger;
}): Promise<ControlEndpoint> {
  const token = randomBytes(32).toString('hex');
  const tokenFile = join(options.dataDir, controlTokenFileName);
  rmSync(tokenFile, { force: true });
  writeFileSync(tokenFile, token, { mode: 0o600, flag: 'wx' });
  const server = createServer((req, res) => {
    handle(req, res, token, options.run).catch((error: unknown) => {
      options.logger.error({ err: error }, 'forwarded CLI command failed');
      res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  options.lock.update({ controlUrl: url });
  return {
    url,
    async close() {
      rmSync(tokenFile, { force: true });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
