import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSecretBox, loadSecretKey } from './secrets.js';

describe('secret box', () => {
  it('round-trips and never repeats a ciphertext', () => {
    const box = createSecretBox(
      loadSecretKey({ secret: 'a long enough secret key', keyFile: '/nonexistent' }),
    );
    const a = box.encrypt('hunter2');
    expect(a).not.toContain('hunter2');
    expect(box.encrypt('hunter2')).not.toBe(a);
    expect(box.decrypt(a)).toBe('hunter2');
  });

  it('refuses a tampered ciphertext or another key', () => {
    const box = createSecretBox(
      loadSecretKey({ secret: 'a long enough secret key', keyFile: '/nonexistent' }),
    );
    const sealed = box.encrypt('hunter2');
    const other = createSecretBox(
      loadSecretKey({ secret: 'another secret key...', keyFile: '/nonexistent' }),
    );
    expect(() => other.decrypt(sealed)).toThrow(/cannot be decrypted/);
    const parts = sealed.split(':');
    parts[3] = Buffer.from('tampered').toString('base64');
    expect(() => box.decrypt(parts.join(':'))).toThrow(/cannot be decrypted/);
  });

  it('generates a key file with mode 0600 once and reuses it', () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'oscat-key-')), 'secret.key');
    const first = loadSecretKey({ keyFile });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(loadSecretKey({ keyFile }).equals(first)).toBe(true);
    expect(readFileSync(keyFile, 'utf8').trim()).toBe(first.toString('base64'));
  });
});
