import { Type, type Static } from 'typebox';

// The protocol between a CLI and the server that owns the PGlite data directory: both sides
// import it, so neither imports the other (see docs/architecture.md, "The CLI while the service runs").

/** The file (mode 0600) holding the control token: only the data directory's owner can read it. */
export const controlTokenFileName = 'control.token';
export const controlPath = '/_control/cli';

/** The body a CLI posts: its argv, and its stdin when the command reads one. */
export const ForwardedCommand = Type.Object(
  {
    argv: Type.Array(Type.String({ maxLength: 10_000 }), { maxItems: 200 }),
    stdin: Type.Optional(Type.String({ maxLength: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type ForwardedCommand = Static<typeof ForwardedCommand>;

/** One NDJSON line of the answer: output as it happens, output files' pieces, then the exit code. */
export interface ControlLine {
  out?: string;
  err?: string;
  exitCode?: number;
  /** An output file of the command (`backup --out FILE`), written by the CLI, where the user is. */
  file?: string;
  data?: string;
  done?: boolean;
  abort?: boolean;
}

/**
 * The only commands a CLI forwards to the running server, and the only ones the server runs:
 * `serve`, `migrate`, `restore` and `vmmanager-sim` own the data directory (or a process) themselves.
 */
export const forwardableCommands: ReadonlySet<string> = new Set([
  'templates',
  'tariffs',
  'modules',
  'sync',
  'admin',
  'tokens',
  'backup',
  'product-types',
  'audit',
  'webhooks',
  'prune',
  'orders',
]);

/** The command an argv names (its first word that is not an option). */
export const commandOf = (argv: readonly string[]): string | undefined =>
  argv.find((arg) => !arg.startsWith('-'));

export const isForwardable = (argv: readonly string[]): boolean => {
  const command = commandOf(argv);
  return command !== undefined && forwardableCommands.has(command);
};

/** Commands that read standard input: the CLI sends it along when it forwards them. */
export const readsStdin = (argv: readonly string[]): boolean =>
  argv.includes('--password-stdin') || (commandOf(argv) === 'admin' && argv.includes('create'));
