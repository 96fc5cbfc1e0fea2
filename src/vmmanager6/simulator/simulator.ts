import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { handleApiRequest, type SimApiContext, type SimRequest } from './sim-api.js';
import { controlPrefix, handleControlRequest } from './sim-control.js';
import { createFaultQueue, type SimFault } from './sim-faults.js';
import { defaultSimModes, type SimModes } from './sim-modes.js';
import { createSuspension, type SimSuspension } from './sim-suspend.js';
import { applyFaultBefore, writeAnswer, writeWithFault } from './sim-respond.js';
import { createSessions, type SimSessions } from './sim-sessions.js';
import { createSimState, type SimState } from './sim-state.js';
import { createHosts, type SimHosts } from './sim-hosts.js';
import type { SimSeed } from './sim-types.js';

/** Defaults of the simulator's one account (documented in docs/vmmanager6.md). */
export const simulatorDefaults = {
  email: 'admin@example.com',
  password: 'simulator',
  port: 0,
  host: '127.0.0.1',
};

export interface SimulatorOptions {
  port?: number;
  host?: string;
  email?: string;
  password?: string;
  /** Roles whoami reports; without `@admin` the cluster and repository lists answer 403. */
  roles?: string[];
  stateFile?: string;
  tls?: { key: string; cert: string };
  /** Inactivity timeout of tokens (default one hour). */
  tokenTtlMs?: number;
  seed?: SimSeed;
  /** The switches to start with (default: every answer complete and current). */
  modes?: Partial<SimModes>;
  /**
   * The simulator's clock: timed suspensions and the tokens' inactivity timeout (tests share a
   * fake one with the client's retries).
   */
  now?: () => number;
}

/** A record of one API request the simulator received (never the token itself). */
export interface SimRequestRecord {
  method: string;
  path: string;
  rawQuery: string;
  hasXsrfHeader: boolean;
  hasSes6Cookie: boolean;
  /** Bytes of an `oversize` answer that were written before it ended or the client left. */
  bytesSent?: number;
}

/** A running simulator: its address, state controls, fault injection and request log. */
export interface VmmanagerSimulator {
  url: string;
  port: number;
  email: string;
  password: string;
  state: SimState;
  sessions: SimSessions;
  /** The VMs `POST /vm/v3/host` created (also `GET /_sim/hosts`). */
  hosts: SimHosts;
  /** The current switches; change them in place or through `PATCH /_sim/modes`. */
  modes: SimModes;
  /** Timed suspensions (every API path answers 503), also `POST /_sim/suspend`. */
  suspension: SimSuspension;
  requests: SimRequestRecord[];
  injectFault(fault: SimFault): void;
  clearFaults(): void;
  close(): Promise<void>;
}

const maxRecords = 10_000;

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const toSimRequest = (req: IncomingMessage, body: string): SimRequest => {
  const raw = req.url ?? '/';
  const queryAt = raw.indexOf('?');
  return {
    method: req.method ?? 'GET',
    path: queryAt < 0 ? raw : raw.slice(0, queryAt),
    rawQuery: queryAt < 0 ? '' : raw.slice(queryAt + 1),
    headers: req.headers,
    body,
  };
};

const recordOf = (request: SimRequest): SimRequestRecord => ({
  method: request.method,
  path: request.path,
  rawQuery: request.rawQuery,
  hasXsrfHeader: typeof request.headers['x-xsrf-token'] === 'string',
  hasSes6Cookie: String(request.headers.cookie ?? '').includes('ses6='),
});

/** Starts a VMmanager 6 simulator (HTTP, or HTTPS when `tls` is given) and resolves once it listens. */
export async function startVmmanagerSimulator(options: SimulatorOptions = {}): Promise<VmmanagerSimulator> {
  const email = options.email ?? simulatorDefaults.email;
  const password = options.password ?? simulatorDefaults.password;
  const state = createSimState({ stateFile: options.stateFile, seed: options.seed });
  const sessions = createSessions(options.tokenTtlMs ?? 3_600_000, options.now ?? Date.now);
  const faults = createFaultQueue();
  const requests: SimRequestRecord[] = [];
  const modes: SimModes = { ...defaultSimModes(), ...options.modes };
  const suspension = createSuspension(options.now ?? Date.now);
  const hosts = createHosts();
  const control = { state, faults, sessions, modes, suspension, hosts };
  const api: SimApiContext = {
    state,
    sessions,
    hosts,
    account: { email, password, roles: options.roles ?? ['@admin'] },
    modes,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const request = toSimRequest(req, await readBody(req));
    if (request.path.startsWith(controlPrefix)) {
      return writeAnswer(res, handleControlRequest(control, request.method, request.path, request.body));
    }
    const record = recordOf(request);
    requests.push(record);
    // A long-running CLI simulator must not grow without bound; tests only look at recent calls.
    if (requests.length > maxRecords) requests.splice(0, requests.length - maxRecords);
    if (modes.redirectToHttps) return redirectToHttps(req, res);
    const suspended = suspension.answer();
    if (suspended) return writeAnswer(res, suspended);
    const fault = faults.take(request.path);
    if (fault && applyFaultBefore(fault, req, res, record)) return;
    if (fault?.kind === 'expire_tokens') sessions.expireAll();
    writeWithFault(res, handleApiRequest(api, request), fault);
  };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => {
      if (!res.headersSent)
        writeAnswer(res, { status: 500, body: { error: { code: 500, msg: 'simulator failure' } } });
    });
  };
  const server: Server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? simulatorDefaults.port, options.host ?? simulatorDefaults.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? simulatorDefaults.host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    email,
    password,
    state,
    sessions,
    hosts,
    modes,
    suspension,
    requests,
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    close: () => closeServer(server),
  };
}

// An http→https proxy in front of an installation: the same address on https, 301, no body.
function redirectToHttps(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(301, {
    location: `https://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`,
    'content-length': 0,
  });
  res.end();
}

// Hanging requests (the timeout fault) would keep close() waiting forever, so sockets are cut.
const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
