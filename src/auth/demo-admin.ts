import { randomBytes } from 'node:crypto';
import type { App } from '../app.js';

export const demoAdminEmail = 'demo@os-catalog.local';

/**
 * For the demo: creates the demo admin with a random password and returns the credentials once
 * (the caller prints them). Returns null when the account already exists (password unknown).
 */
export async function ensureDemoAdmin(app: App): Promise<{ email: string; password: string } | null> {
  const existing = await app.auth.listAdmins();
  if (existing.some((a) => a.email === demoAdminEmail)) return null;
  const password = randomBytes(12).toString('base64url');
  await app.auth.createAdmin({ email: demoAdminEmail, password }, 'demo');
  return { email: demoAdminEmail, password };
}
