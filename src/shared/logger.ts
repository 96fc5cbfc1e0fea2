import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they appear. */
export const redactedPaths = [
  'password',
  '*.password',
  'token',
  '*.token',
  'apiToken',
  '*.apiToken',
  'secret',
  '*.secret',
  'passwordEncrypted',
  '*.passwordEncrypted',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/**
 * Where CLI commands log: standard error, so that standard output holds only what the command
 * prints (`--json` stays JSON).
 */
export const stderrDestination = (): DestinationStream => pino.destination({ dest: 2, sync: true });

/** The JSON logger used everywhere (pino), with secrets redacted. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    { level: options.level ?? 'info', redact: { paths: redactedPaths, censor: '[redacted]' } },
    options.destination,
  );
}
