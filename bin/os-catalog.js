#!/usr/bin/env node
// Runs the compiled CLI (built by `npm ci` through the `prepare` script, or by `npm run build`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const supportedMajor = 24;

if (Number(process.versions.node.split('.')[0]) !== supportedMajor) {
  // Started by a system Node we do not support (the shebang found it on PATH): hand over to the
  // Node 24 that `npm ci` installed (the `node` dev dependency), with the same arguments and stdio.
  const bundled = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(bundled)) {
    process.stderr.write(
      `os-catalog: needs Node ${supportedMajor}, this is ${process.version}; run "npm ci" in ${fileURLToPath(new URL('..', import.meta.url))} to install it\n`,
    );
    process.exit(1);
  }
  const child = spawn(bundled, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
} else {
  const { runCli } = await import('../dist/cli/main.js');
  // Long-running commands (serve, vmmanager-sim) keep the event loop alive after this returns.
  process.exitCode = await runCli(process.argv.slice(2));
}
