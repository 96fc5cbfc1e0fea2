#!/usr/bin/env node
// Runs the compiled CLI (built by `npm ci` through the `prepare` script, or by `npm run build`).
import { runCli } from '../dist/cli/main.js';

// Long-running commands (serve, vmmanager-sim) keep the event loop alive after this returns.
process.exitCode = await runCli(process.argv.slice(2));
