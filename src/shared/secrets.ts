import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from './errors.js';

/** Encrypts and decrypts secrets at rest (module passwords) with AES-256-GCM. */
export interface SecretBox {
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

const version = 'v1';

/** Builds a SecretBox from a 32-byte key. */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new AppError('invalid_input', 'the secret key must be 32 bytes');
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [version, iv.toString('base64'), tag.toString('base64'), data.toString('base64')].join(':');
    },
    decrypt(sealed) {
      const [v, iv, tag, data] = sealed.split(':');
      if (v !== version || !iv || !tag || data === undefined) {
        throw new AppError('internal', 'a stored secret has an unknown format');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new AppError(
          'internal',
          'a stored secret cannot be decrypted: is OSCAT_SECRET_KEY the key it was stored with?',
        );
      }
    },
  };
}

/** The configured key, or undefined when neither `OSCAT_SECRET_KEY` nor the key file exists. */
export function readSecretKey(options: { secret?: string | undefined; keyFile: string }): Buffer | undefined {
  if (options.secret) return createHash('sha256').update(options.secret, 'utf8').digest();
  if (!existsSync(options.keyFile)) return undefined;
  const key = Buffer.from(readFileSync(options.keyFile, 'utf8').trim(), 'base64');
  if (key.length !== 32)
    throw new AppError('invalid_input', `key file ${options.keyFile} does not hold a 32-byte key`);
  return key;
}

/**
 * The key comes from `OSCAT_SECRET_KEY` (any string; hashed to 32 bytes) or from a key file
 * generated on first start with mode 0600.
 */
export function loadSecretKey(options: { secret?: string | undefined; keyFile: string }): Buffer {
  const existing = readSecretKey(options);
  if (existing) return existing;
  const key = randomBytes(32);
  mkdirSync(dirname(options.keyFile), { recursive: true, mode: 0o700 });
  writeFileSync(options.keyFile, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return key;
}
