import { open, rename, rm } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { AppError, isAppError } from '../shared/errors.js';
import { terminalLines, terminalText } from '../shared/text.js';

/** Where a CLI command writes; the server passes buffers when it runs a forwarded command. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Standard input as text (for `--password-stdin`); undefined when there is none. */
  readStdin(): Promise<string | undefined>;
  /**
   * Asks for a secret without echoing it, where the user is; absent when there is no terminal to
   * ask on (a pipe, or a command forwarded to the server, which never touches its own terminal).
   */
  promptSecret?(question: string): Promise<string>;
  /**
   * Opens a file the user named (`backup --out FILE`) where the user is: a forwarded command's
   * file is written by the forwarding CLI, in its directory. Default: a local file.
   */
  openOutput?(path: string): Promise<OutputFile>;
}

/** A file being written by a command: it appears under its name only once closed. */
export interface OutputFile {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  /** Removes what was written: a failed command leaves no half-written file behind. */
  abort(): Promise<void>;
}

/** Exit codes: 0 success, 1 error, 2 a sync plan was held, 3 an order is not orderable, 64 bad usage. */
export const exitCodes = { ok: 0, error: 1, held: 2, notOrderable: 3, usage: 64 } as const;

/** A command's result: an exit code (0 unless something went wrong). */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/** Asks on this process's terminal without echoing the answer. */
async function promptOnTerminal(question: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  process.stderr.write(question);
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve));
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

export const processIo: CliIo = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  async readStdin() {
    if (process.stdin.isTTY) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  ...(process.stdin.isTTY ? { promptSecret: promptOnTerminal } : {}),
};

/** A new password: standard input without its final line break, or asked twice on the terminal. */
export async function readNewPassword(io: CliIo): Promise<string> {
  const piped = await io.readStdin();
  if (piped !== undefined) return piped.replace(/\r?\n$/, '');
  if (!io.promptSecret)
    throw new AppError('invalid_input', 'give the password on standard input', { field: 'password' });
  const first = await io.promptSecret('Password: ');
  const again = await io.promptSecret('Repeat password: ');
  if (first !== again) throw new AppError('invalid_input', 'the passwords differ', { field: 'password' });
  return first;
}

/**
 * One line that says what went wrong, for stderr, safe for a terminal (the message may quote
 * VMmanager or a template name). Unknown errors leak nothing but their message.
 */
export function describeError(error: unknown): string {
  if (isAppError(error)) return `error: ${terminalText(error.message)} (${error.code})`;
  if (error instanceof Error) return `error: ${terminalText(error.message.split('\n')[0] ?? '')}`;
  return 'error: unexpected failure';
}

/**
 * THE way a command prints for people: every control character, escape sequence and bidi
 * override that could reach the text (template names, VMmanager messages) is shown, not obeyed;
 * only the line breaks of the text itself stay. Values inside a line go through `terminalText`
 * (or `formatTable`/`formatFields`), so that a newline in a name cannot forge a line.
 */
export function printHuman(io: CliIo, text: string, stream: 'out' | 'err' = 'out'): void {
  io[stream](terminalLines(text));
}

export { terminalText };

/**
 * A line of human output whose values are shown safely: `` safe`template ${name} removed\n` ``
 * puts each value through `terminalText`; the literal text stays as written.
 */
export const safe = (strings: TemplateStringsArray, ...values: unknown[]): string =>
  strings.reduce(
    (text, part, i) => text + part + (i < values.length ? terminalText(String(values[i])) : ''),
    '',
  );

/** Parses an integer flag or argument; a bad value is `invalid_input` naming the flag. */
export function parseIntFlag(value: string, flag: string, options: { min?: number } = {}): number {
  const min = options.min ?? 0;
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > 2147483647) {
    throw new AppError('invalid_input', `${flag} must be a whole number ≥ ${min}, not "${value}"`, {
      field: flag,
    });
  }
  return Number(value);
}

/** Parses a comma-separated list of ids. */
export function parseIdList(value: string, flag: string): number[] {
  if (value.trim() === '') return [];
  return value.split(',').map((part) => parseIntFlag(part.trim(), flag, { min: 1 }));
}

/** Prints rows as an aligned text table; each cell is one line with its control characters shown. */
export function formatTable(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [
    headers,
    ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : terminalText(String(c))))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return (
    cells
      .map((r) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** JSON for `--json` output: dates as ISO strings, two-space indent. */
export const toJson = (value: unknown): string => JSON.stringify(value, null, 2) + '\n';

/** THE way a command prints `--json`: as it is (JSON escapes C0 characters itself). */
export const printJson = (io: CliIo, value: unknown, stream: 'out' | 'err' = 'out'): void =>
  io[stream](toJson(value));

const outputBufferBytes = 256 * 1024;

/**
 * Writes `path` through `<path>.partial` and renames it on close, so that a file under the name
 * asked for is always complete. Small writes are gathered into 256 KiB ones.
 */
export async function openLocalOutput(path: string): Promise<OutputFile> {
  const partial = `${path}.partial`;
  const handle = await open(partial, 'w', 0o600).catch((error: NodeJS.ErrnoException) => {
    throw new AppError('invalid_input', `cannot write ${path}: ${error.code ?? error.message}`, {
      field: 'file',
    });
  });
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    pendingBytes = 0;
    await handle.write(text);
  };
  return {
    async write(text) {
      pending.push(text);
      pendingBytes += text.length;
      if (pendingBytes >= outputBufferBytes) await flush();
    },
    async close() {
      await flush();
      await handle.sync();
      await handle.close();
      await rename(partial, path);
    },
    async abort() {
      await handle.close().catch(() => undefined);
      await rm(partial, { force: true });
    },
  };
}

/** The output file `path` names: standard output for `-`, else a file on the user's side. */
export function openOutput(io: CliIo, path: string): Promise<OutputFile> {
  if (path === '-') {
    const noop = async () => undefined;
    return Promise.resolve({ write: async (text) => io.out(text), close: noop, abort: noop });
  }
  return io.openOutput ? io.openOutput(path) : openLocalOutput(path);
}
