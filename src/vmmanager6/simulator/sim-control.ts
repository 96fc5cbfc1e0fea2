import { AppError, isAppError } from '../../shared/errors.js';
import type { SimAnswer } from './sim-api.js';
import type { SimFaultQueue } from './sim-faults.js';
import type { SimHosts } from './sim-hosts.js';
import { checkModesPatch, defaultSimModes, type SimModes } from './sim-modes.js';
import { checkSuspendRequest, type SimSuspension } from './sim-suspend.js';
import type { SimSessions } from './sim-sessions.js';
import type { SimState } from './sim-state.js';
import type { SimSeed, SimTemplateInput, SimTemplatePatch } from './sim-types.js';

/** The prefix of the control API; VMmanager 6 itself has no path starting with `/_sim`. */
export const controlPrefix = '/_sim';

interface ControlContext {
  state: SimState;
  faults: SimFaultQueue;
  sessions: SimSessions;
  modes: SimModes;
  suspension: SimSuspension;
  hosts: SimHosts;
}

type Handler = (ctx: ControlContext, body: unknown, id: number) => unknown;

const ok = { ok: true };

// `METHOD path` → handler; `:id` is the only parameter the control API needs.
const routes: Record<string, Handler> = {
  'GET /state': (ctx) => ctx.state.snapshot(),
  'GET /templates': (ctx) => ctx.state.listTemplates(),
  'POST /templates': (ctx, body) => ctx.state.addTemplate(body as SimTemplateInput),
  'PUT /templates': (ctx, body) => {
    if (!Array.isArray(body)) throw new AppError('invalid_input', 'PUT /_sim/templates takes an array', {});
    ctx.state.replaceTemplates(body as SimTemplateInput[]);
    return ok;
  },
  'PATCH /templates/:id': (ctx, body, id) => ctx.state.updateTemplate(id, body as SimTemplatePatch),
  'DELETE /templates/:id': (ctx, _body, id) => (ctx.state.removeTemplate(id), ok),
  'PATCH /repositories/:id': (ctx, body, id) => {
    const name = (body as { name?: unknown })?.name;
    if (typeof name !== 'string' || !name)
      throw new AppError('invalid_input', 'repository name is required', {});
    ctx.state.renameRepository(id, name);
    return ok;
  },
  'POST /reset': (ctx, body) => {
    ctx.state.reset((body as { seed?: SimSeed })?.seed ?? 'default');
    Object.assign(ctx.modes, defaultSimModes());
    ctx.suspension.resume();
    ctx.hosts.clear();
    return ok;
  },
  'GET /hosts': (ctx) => ctx.hosts.list(),
  'DELETE /hosts': (ctx) => (ctx.hosts.clear(), ok),
  'GET /suspend': (ctx) => ctx.suspension.status(),
  'POST /suspend': (ctx, body) => {
    const { ms, body: kind } = checkSuspendRequest(body);
    ctx.suspension.suspend(ms, kind);
    return ctx.suspension.status();
  },
  'DELETE /suspend': (ctx) => (ctx.suspension.resume(), ok),
  'GET /modes': (ctx) => ctx.modes,
  'PATCH /modes': (ctx, body) => Object.assign(ctx.modes, checkModesPatch(body)),
  'GET /faults': (ctx) => ctx.faults.list(),
  'POST /faults': (ctx, body) => (ctx.faults.add(body as never), ok),
  'DELETE /faults': (ctx) => (ctx.faults.clear(), ok),
  'POST /sessions/expire': (ctx) => (ctx.sessions.expireAll(), ok),
  'POST /tokens': (ctx) => ({ token: ctx.sessions.issueApiToken() }),
  'DELETE /tokens': (ctx) => (ctx.sessions.revokeApiTokens(), ok),
};

const statusOf = (error: AppError): number =>
  error.code === 'not_found' ? 404 : error.code === 'conflict' ? 409 : 400;

/** Answers one control API request (`/_sim/...`); these requests never see faults. */
export function handleControlRequest(
  ctx: ControlContext,
  method: string,
  path: string,
  rawBody: string,
): SimAnswer {
  const rest = path.slice(controlPrefix.length);
  const idMatch = /^(.*\/)(\d+)$/.exec(rest);
  const key = idMatch ? `${method} ${idMatch[1]}:id` : `${method} ${rest}`;
  const handler = routes[key];
  if (!handler)
    return { status: 404, body: { error: { code: 404, msg: `no control route ${method} ${path}` } } };
  try {
    const body = rawBody ? (JSON.parse(rawBody) as unknown) : undefined;
    return { status: 200, body: handler(ctx, body, Number(idMatch?.[2])) };
  } catch (error) {
    if (isAppError(error))
      return { status: statusOf(error), body: { error: { code: error.code, msg: error.message } } };
    if (error instanceof SyntaxError)
      return { status: 400, body: { error: { code: 'invalid_input', msg: 'body is not JSON' } } };
    throw error;
  }
}
