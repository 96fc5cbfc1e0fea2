/** The closed set of error codes that domain code may throw; HTTP status is mapped in `http/`. */
export const errorCodes = [
  'invalid_input',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'locked',
  'upstream_unavailable',
  'upstream_auth',
  'upstream_invalid',
  'upstream_timeout',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export type ErrorDetails = Record<string, unknown>;

/** The one error type of os-catalog: a code from the closed set, a plain message and details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

export const invalidInput = (message: string, details: ErrorDetails = {}): AppError =>
  new AppError('invalid_input', message, details);

export const notFound = (what: string, id: unknown): AppError =>
  new AppError('not_found', `${what} ${String(id)} does not exist`, { what, id });

export const conflict = (message: string, details: ErrorDetails = {}): AppError =>
  new AppError('conflict', message, details);
