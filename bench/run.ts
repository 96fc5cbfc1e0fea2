// `npm run bench [-- args]`: every benchmark in bench/ (each `*.bench.ts`), one after another.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort();
let failed = 0;
for (const bench of benches) {
  if (!process.argv.includes('--json')) console.log(`\n## ${bench}\n`);
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', dir + bench, ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) failed += 1;
}
process.exitCode = failed > 0 ? 1 : 0;
