import type { LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createApp } from '../app.js';
import { createLogger } from '../shared/logger.js';
import { createSecretBox } from '../shared/secrets.js';
import { createTestDatabase } from '../test/test-database.js';
import { createTestApp, type TestApp } from '../test/test-app.js';
import { createSyncApp } from '../sync/sync.test-kit.js';
import { buildHttpServer, type HttpServer, type HttpServerOptions } from './http.server.js';

export interface HttpKit {
  app: TestApp;
  server: HttpServer;
  /** Bearer headers of an admin-scope and a storefront-scope token. */
  adminToken: string;
  storefrontToken: string;
  admin: { email: string; password: string };
  /** Signs in and returns the cookie header and the CSRF token. */
  login(): Promise<{ cookie: string; csrf: string }>;
  close(): Promise<void>;
}

export const adminEmail = 'root@example.test';
export const adminPassword = 'correct horse battery staple';

/** A test app with an HTTP server (in-process), one admin and two tokens. */
export async function createHttpKit(options: HttpServerOptions & { app?: TestApp } = {}): Promise<HttpKit> {
  const app = options.app ?? (await createTestApp());
  await app.auth.createAdmin({ email: adminEmail, password: adminPassword }, 'cli');
  const adminToken = (await app.auth.createToken({ name: 'script', scope: 'admin' }, 'cli')).secret;
  const storefrontToken = (await app.auth.createToken({ name: 'shop', scope: 'storefront' }, 'cli')).secret;
  const server = await buildHttpServer(app, options);
  return {
    app,
    server,
    adminToken,
    storefrontToken,
    admin: { email: adminEmail, password: adminPassword },
    async login() {
      const res = await server.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: adminEmail, password: adminPassword },
      });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'oscat_session')!;
      return {
        cookie: `oscat_session=${cookie.value}`,
        csrf: res.json<{ csrfToken: string }>().csrfToken,
      };
    },
    async close() {
      await server.close();
      await app.close();
    },
  };
}

/** An HTTP kit whose app syncs through the fast simulator client factory (sync and module routes). */
export async function createSyncHttpKit(): Promise<HttpKit> {
  const database = await createTestDatabase();
  const app = createSyncApp(database);
  return createHttpKit({ app: { ...app, testDatabase: database, close: () => database.close() } });
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The parsed error body of a failed response. */
export const errorOf = (res: LightMyRequestResponse) =>
  res.json<{ error: { code: string; message: string; details: Record<string, unknown> } }>().error;

/** A test app whose logger writes JSON lines into `lines` (to check that no secret is ever logged). */
export async function createLoggedTestApp(): Promise<{ app: TestApp; lines: string[] }> {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const testDatabase = await createTestDatabase();
  const app = createApp({
    database: testDatabase,
    secrets: createSecretBox(randomBytes(32)),
    logger: createLogger({ level: 'debug', destination }),
  });
  return { app: { ...app, testDatabase, close: () => testDatabase.close() }, lines };
}

/** An HTTP kit on a logged test app: `lines` are its JSON log lines. */
export async function createLoggedHttpKit(): Promise<{ kit: HttpKit; lines: string[] }> {
  const logged = await createLoggedTestApp();
  return { kit: await createHttpKit({ app: logged.app }), lines: logged.lines };
}
