import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { chmod, rename } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress } from 'node:zlib';

/**
 * The Chromium the browser scenarios drive: `OSCAT_CHROMIUM` when set (for example Debian's
 * `/usr/bin/chromium`), otherwise the build that `npm ci` brings inside `@sparticuz/chromium`,
 * so that `npm ci && npm test` needs nothing from the system's package manager.
 */
export async function resolveChromium(): Promise<string> {
  const chosen = process.env.OSCAT_CHROMIUM;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`OSCAT_CHROMIUM=${chosen} does not exist`);
    return chosen;
  }
  return inflatePackagedChromium();
}

/**
 * Unpacks the package's brotli-compressed binary once per package version into
 * `node_modules/.cache`, not the package's own `/tmp/chromium`: that one path is shared by every
 * checkout on the machine and never re-checked against the installed version. The file is
 * written beside its final name and renamed, so concurrent test files never see half a binary.
 */
async function inflatePackagedChromium(): Promise<string> {
  const require = createRequire(import.meta.url);
  // The package exports only its entry point (build/index.js), two levels below its root.
  const packageDir = dirname(dirname(require.resolve('@sparticuz/chromium')));
  const packageJson = join(packageDir, 'package.json');
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const cacheDir = join(packageDir, '..', '..', '.cache', `os-catalog-chromium-${version}`);
  const binary = join(cacheDir, 'chromium');
  if (existsSync(binary)) return binary;
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  await pipeline(
    createReadStream(join(packageDir, 'bin', 'chromium.br')),
    createBrotliDecompress(),
    createWriteStream(partial),
  );
  await chmod(partial, 0o755);
  await rename(partial, binary);
  return binary;
}
