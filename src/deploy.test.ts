import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const unitPath = join(root, 'deploy', 'os-catalog.service');
const installDir = '/opt/os-catalog';

/** The unit as `Section.Key → values` (keys may repeat); comments and blank lines dropped. */
function parseUnit(text: string): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      continue;
    }
    const eq = line.indexOf('=');
    expect(eq, `not Key=Value: ${line}`).toBeGreaterThan(0);
    const key = `${section}.${line.slice(0, eq)}`;
    entries.set(key, [...(entries.get(key) ?? []), line.slice(eq + 1)]);
  }
  return entries;
}

describe('the systemd unit (deploy/os-catalog.service)', () => {
  const unit = parseUnit(readFileSync(unitPath, 'utf8'));
  const one = (key: string) => {
    const values = unit.get(key);
    expect(values, key).toHaveLength(1);
    return values![0]!;
  };

  it('starts the built CLI on the Node npm ci installs, as its own user, from the install directory', () => {
    expect(one('Service.WorkingDirectory')).toBe(installDir);
    expect(one('Service.User')).toBe('oscat');
    const [node, script, command] = one('Service.ExecStart').split(' ');
    expect(command).toBe('serve');
    // The same paths inside this checkout (installed by `npm ci`) exist and are runnable.
    const local = (path: string) => path.replace(installDir, root.replace(/\/$/, ''));
    expect(statSync(local(node!)).mode & 0o111).not.toBe(0);
    expect(existsSync(local(script!))).toBe(true);
    expect(execFileSync(local(node!), ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
    expect(unit.get('Service.Environment')).toEqual(['OSCAT_DEMO=0', 'OSCAT_DATA_DIR=/var/lib/os-catalog']);
    expect(one('Service.StateDirectory')).toBe('os-catalog');
  });

  it('restarts on failure and is hardened', () => {
    expect(one('Service.Restart')).toBe('on-failure');
    expect(one('Service.KillSignal')).toBe('SIGTERM');
    for (const [key, value] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['ProtectHome', 'yes'],
      ['PrivateTmp', 'yes'],
      ['PrivateDevices', 'yes'],
      ['CapabilityBoundingSet', ''],
      ['UMask', '0077'],
      ['StateDirectoryMode', '0700'],
    ]) {
      expect(one(`Service.${key!}`), key).toBe(value);
    }
    expect(unit.has('Service.MemoryDenyWriteExecute')).toBe(false); // V8's JIT needs it off
    expect(one('Install.WantedBy')).toBe('multi-user.target');
  });

  it('passes systemd-analyze verify where systemd is installed (this checkout standing in for /opt)', () => {
    const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (analyze.error) {
      // No systemd on this machine: the parsing tests above are the check.
      expect((analyze.error as NodeJS.ErrnoException).code).toBe('ENOENT');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'oscat-unit-'));
    const copy = join(dir, 'os-catalog.service');
    writeFileSync(
      copy,
      readFileSync(unitPath, 'utf8')
        .replaceAll(installDir, root.replace(/\/$/, ''))
        // verify resolves the user: use one that exists here.
        .replace(/^User=oscat$/m, 'User=root')
        .replace(/^Group=oscat$/m, 'Group=root'),
    );
    const result = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
    const complaints = result.stderr.split('\n').filter((line) => line.includes('os-catalog.service'));
    expect(complaints, result.stderr).toEqual([]);
    expect(result.status, result.stderr).toBe(0);
  });
});
