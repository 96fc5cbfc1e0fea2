import { isAppError } from '../../shared/errors.js';
import { createHost, renderHost, type SimHosts } from './sim-hosts.js';
import type { SimModes } from './sim-modes.js';
import type { SimSessions } from './sim-sessions.js';
import { renderOsItem } from './sim-shapes.js';
import type { SimState } from './sim-state.js';
import { compileWhere } from './sim-where.js';

/** What a handler answers; the server writes it (possibly after a fault changed it). */
export interface SimAnswer {
  status: number;
  body: unknown;
}

/** One incoming request, with the query kept raw as it arrived on the wire. */
export interface SimRequest {
  method: string;
  path: string;
  rawQuery: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What the API handlers need: the catalog, the sessions and the one account it accepts. */
export interface SimApiContext {
  state: SimState;
  sessions: SimSessions;
  /** The VMs `POST /vm/v3/host` created. */
  hosts: SimHosts;
  account: { email: string; password: string; roles: string[] };
  /** The switches of `PATCH /_sim/modes`; read on every request. */
  modes: SimModes;
}

/** The error body shape of VMmanager 6. */
export const errorAnswer = (status: number, code: number, msg: string, value: object = {}): SimAnswer => ({
  status,
  body: { error: { code, msg, value } },
});

const tokenOf = (request: SimRequest): string | undefined => {
  const header = request.headers['x-xsrf-token'];
  if (typeof header === 'string' && header) return header;
  const cookie = typeof request.headers.cookie === 'string' ? request.headers.cookie : '';
  return /(?:^|;\s*)ses6=([^;]+)/.exec(cookie)?.[1];
};

const rawParam = (rawQuery: string, name: string): string | undefined =>
  rawQuery
    .split('&')
    .find((part) => part.startsWith(`${name}=`))
    ?.slice(name.length + 1);

function login(ctx: SimApiContext, request: SimRequest): SimAnswer {
  let body: { email?: unknown; password?: unknown };
  try {
    body = JSON.parse(request.body) as typeof body;
  } catch {
    return errorAnswer(400, 2001, 'Invalid JSON in request body');
  }
  if (body?.email !== ctx.account.email || body?.password !== ctx.account.password) {
    // Real status and code for bad credentials are not documented; 401 + 3004 is our assumption.
    return errorAnswer(401, 3004, 'Incorrect email or password');
  }
  const { token, expiresAt } = ctx.sessions.issue();
  const confirmed = ctx.modes.loginConfirmed;
  return { status: 201, body: { id: '1', token, expires_at: expiresAt, confirmed } };
}

// The `where` filter sees the stored items; `render` gives each the shape it goes out in.
const listAnswer = <T>(
  ctx: SimApiContext,
  items: T[],
  request: SimRequest,
  lastNotify: number,
  render: (item: T) => unknown = (item) => item,
): SimAnswer => {
  const where = rawParam(request.rawQuery, 'where');
  try {
    const list = (where === undefined ? items : items.filter(compileWhere(where))).map(render);
    const size = ctx.modes.listSize ? { size: list.length } : {};
    return { status: 200, body: { last_notify: lastNotify, list, ...size } };
  } catch (error) {
    if (isAppError(error)) return errorAnswer(400, 2002, 'Invalid filter', { where, reason: error.message });
    throw error;
  }
};

const isAdmin = (ctx: SimApiContext): boolean => ctx.account.roles.includes('@admin');

// DCImanager's API examples show roles as one string, "[@admin]".
const rolesOf = (ctx: SimApiContext): string[] | string =>
  ctx.modes.rolesAs === 'string' ? `[${ctx.account.roles.join(', ')}]` : ctx.account.roles;

const whoami = (ctx: SimApiContext): SimAnswer => ({
  status: 200,
  body: {
    id: 1,
    ...(ctx.modes.whoamiEmail ? { email: ctx.account.email } : {}),
    ...(ctx.modes.whoamiRoles ? { roles: rolesOf(ctx) } : {}),
    state: 'active',
    auth_source: 'local',
  },
});

// The one account, as ISPsystem's WHMCS module reads it (`list[0].roles`).
const accounts = (ctx: SimApiContext, request: SimRequest): SimAnswer => {
  if (!ctx.modes.accountList) return errorAnswer(404, 404, 'Not found', { path: request.path });
  if (!isAdmin(ctx)) return errorAnswer(403, 3001, 'Access denied');
  const account = { id: 1, email: ctx.account.email, roles: ctx.account.roles, state: 'active' };
  return listAnswer(ctx, [account], request, 0, (item) => ({ ...item, roles: rolesOf(ctx) }));
};

// `POST /auth/v4/token {expires_at, description}` (gadost's auth.go, Zabbix's token setup): a
// long-lived token; the answer's shape beyond `token` is assumed.
function createApiToken(ctx: SimApiContext, request: SimRequest): SimAnswer {
  let body: { expires_at?: unknown; description?: unknown } = {};
  try {
    body = request.body ? (JSON.parse(request.body) as typeof body) : {};
  } catch {
    return errorAnswer(400, 2001, 'Invalid JSON in request body');
  }
  const token = ctx.sessions.issueApiToken();
  return {
    status: 201,
    body: { id: 1, token, expires_at: body?.expires_at ?? null, description: body?.description ?? '' },
  };
}

type Route = (ctx: SimApiContext, request: SimRequest) => SimAnswer;

const authedRoutes: Record<string, Partial<Record<'GET' | 'POST', Route>>> = {
  '/auth/v4/whoami': { GET: whoami },
  '/auth/v4/token': { POST: createApiToken },
  '/vm/v3/account': { GET: accounts },
  '/vm/v3/os': {
    GET: (ctx, request) => {
      const data = ctx.state.snapshot();
      return listAnswer(ctx, data.templates, request, data.lastNotify, renderOsItem);
    },
  },
  '/vm/v3/cluster': {
    GET: (ctx, request) => {
      if (!isAdmin(ctx)) return errorAnswer(403, 3001, 'Access denied');
      const data = ctx.state.snapshot();
      const clusters = data.clusters.map(({ node_ids, ...cluster }) => ({
        ...cluster,
        node_count: node_ids.length,
      }));
      return listAnswer(ctx, clusters, request, data.lastNotify);
    },
  },
  '/vm/v3/repository': {
    GET: (ctx, request) => {
      if (!isAdmin(ctx)) return errorAnswer(403, 3001, 'Access denied');
      const data = ctx.state.snapshot();
      return listAnswer(ctx, data.repositories, request, data.lastNotify);
    },
  },
  '/vm/v3/host': {
    GET: (ctx, request) => {
      const data = ctx.state.snapshot();
      return listAnswer(ctx, ctx.hosts.list(), request, data.lastNotify, (host) => renderHost(data, host));
    },
    POST: (ctx, request) => createHost(ctx.state.snapshot(), ctx.hosts, request.body),
  },
};

/** Answers one request of the VMmanager 6 API subset. */
export function handleApiRequest(ctx: SimApiContext, request: SimRequest): SimAnswer {
  if (request.path === '/auth/v4/public/token') {
    return request.method === 'POST' ? login(ctx, request) : errorAnswer(405, 405, 'Method not allowed');
  }
  const methods = Object.hasOwn(authedRoutes, request.path) ? authedRoutes[request.path] : undefined;
  if (!methods) return errorAnswer(404, 404, 'Not found', { path: request.path });
  const route = Object.hasOwn(methods, request.method)
    ? methods[request.method as 'GET' | 'POST']
    : undefined;
  if (!route) return errorAnswer(405, 405, 'Method not allowed');
  if (!ctx.sessions.touch(tokenOf(request)))
    return errorAnswer(401, 1000, 'Unauthorized: the token is invalid or expired');
  return route(ctx, request);
}
