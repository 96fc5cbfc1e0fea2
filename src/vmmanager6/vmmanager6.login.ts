import { AppError } from '../shared/errors.js';
import { parseWith } from '../shared/validate.js';
import { mapStatusError } from './vmmanager6.errors.js';
import { decodeJson, readVmError, type HttpAnswer } from './vmmanager6.http.js';
import { LoginAnswerSchema } from './vmmanager6.schema.js';

/** The login path of Auth v4 (every public client since 2021). */
export const loginPath = '/auth/v4/public/token';

/**
 * The token of a login answer. A non-success status is refused with what it most likely means:
 * 404 or 405 "not a VMmanager 6 address" (the path does not exist there), another 4xx the credentials.
 * `confirmed: false` is refused on its own: VMmanager issued a session it has not confirmed.
 */
export function readLoginAnswer(answer: HttpAnswer, where: { url: string; email: string }): string {
  if (answer.status !== 201 && answer.status !== 200) throw loginRefused(answer, where);
  const parsed = parseWith(LoginAnswerSchema, decodeJson(answer, loginPath), {
    code: 'upstream_invalid',
    what: 'login answer',
  });
  if (parsed.confirmed === false) {
    throw new AppError(
      'upstream_auth',
      `VMmanager at ${where.url} accepted the password of ${where.email} but did not confirm the session (confirmed: false), as for an account that must still pass a second factor or a confirmation; use an account that signs in with the password alone, or an API token`,
      { status: answer.status, stage: 'login', reason: 'unconfirmed' },
    );
  }
  return parsed.token;
}

function loginRefused(answer: HttpAnswer, where: { url: string; email: string }): AppError {
  const info = readVmError(answer.text);
  // 405: a server without this path that refuses POST there (a web server's static files).
  if (answer.status === 404 || answer.status === 405) {
    return new AppError(
      'upstream_invalid',
      `${where.url} has no VMmanager 6 login (${loginPath} answered ${answer.status}): this does not look like the address of a VMmanager 6 installation; use the address VMmanager opens at in a browser, e.g. https://vm.example.com`,
      { status: answer.status, stage: 'login', reason: 'not_vmmanager', ...info },
    );
  }
  if (answer.status >= 400 && answer.status < 500) {
    return new AppError(
      'upstream_auth',
      `VMmanager at ${where.url} refused the login for ${where.email}: wrong email or password?`,
      { status: answer.status, stage: 'login', ...info },
    );
  }
  return mapStatusError(answer.status, info, { url: where.url, path: loginPath });
}
