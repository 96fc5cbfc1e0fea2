import type { Command } from 'commander';
import { AppError } from '../shared/errors.js';
import {
  simulatorDefaults,
  startVmmanagerSimulator,
  type VmmanagerSimulator,
} from './simulator/simulator.js';
import type { SimSeed } from './simulator/sim-types.js';

/** The flags of `vmmanager-sim`, as commander hands them over (strings). */
export interface SimulatorFlags {
  port: string;
  host: string;
  email: string;
  password: string;
  state?: string;
  templates?: string;
}

const parseCount = (value: string, flag: string, min: number, max: number): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new AppError('invalid_input', `${flag} must be a whole number from ${min} to ${max}`, { flag });
  }
  return n;
};

/** Starts the simulator from CLI flags, prints where it listens, and stops it on SIGINT/SIGTERM. */
export async function runSimulatorCommand(
  flags: SimulatorFlags,
  print: (line: string) => void = console.log,
): Promise<VmmanagerSimulator> {
  const seed: SimSeed = flags.templates
    ? { templates: parseCount(flags.templates, '--templates', 1, 1_000_000) }
    : 'default';
  const sim = await startVmmanagerSimulator({
    port: parseCount(flags.port, '--port', 0, 65_535),
    host: flags.host,
    email: flags.email,
    password: flags.password,
    stateFile: flags.state,
    seed,
  });
  print(`VMmanager 6 simulator listening on ${sim.url}`);
  print(`  login:    email ${sim.email}  password ${sim.password}`);
  print(
    `  try:      curl -s -X POST ${sim.url}/auth/v4/public/token -d '{"email":"${sim.email}","password":"${sim.password}"}'`,
  );
  print(`  control:  ${sim.url}/_sim/state  (see docs/vmmanager6.md)`);
  if (flags.state) print(`  state:    ${flags.state}`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return sim;
}

/** Adds `vmmanager-sim` to the CLI: a VMmanager 6 simulator for demos and manual tests. */
export function registerSimulatorCommand(program: Command): Command {
  return program
    .command('vmmanager-sim')
    .description('run a VMmanager 6 simulator that speaks the API subset os-catalog uses')
    .option('--port <n>', 'port to listen on (0 = any free port)', '8081')
    .option('--host <host>', 'address to listen on', simulatorDefaults.host)
    .option('--email <email>', 'admin email the simulator accepts', simulatorDefaults.email)
    .option('--password <password>', 'admin password the simulator accepts', simulatorDefaults.password)
    .option('--state <file>', 'JSON state file: loaded if it exists, written on every change')
    .option('--templates <n>', 'seed N generated templates instead of the realistic catalog')
    .action(async (flags: SimulatorFlags) => {
      await runSimulatorCommand(flags);
    });
}
