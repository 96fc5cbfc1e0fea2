// `npm run cli -- …`: the CLI straight from the TypeScript sources (no build), for development.
import { runCli } from './main.js';

process.exitCode = await runCli(process.argv.slice(2));
