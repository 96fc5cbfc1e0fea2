import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const devEntry = fileURLToPath(new URL('./dev.ts', import.meta.url));

/**
 * Starts `os-catalog <args>` (default `serve`) from the sources; resolves once `readyLine` is
 * printed. `budgetMs` only bounds a start that never comes, within the tests' 60 s: tsx compiles
 * the sources first, and on the loaded 2-core CI machine a demo start took more than the 30 s it
 * had. A child that does not get ready is killed, so that it holds no data directory afterwards.
 */
export async function startServeChild(
  env: NodeJS.ProcessEnv,
  args: string[] = ['serve'],
  readyLine = /listening on (\S+)/,
  budgetMs = 50_000,
): Promise<ChildProcess & { output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', devEntry, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => void (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "${readyLine.source}" in ${budgetMs / 1000} s:\n${output}`));
    }, budgetMs);
    child.stdout.on('data', () => {
      if (readyLine.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`os-catalog ${args.join(' ')} exited with ${code}:\n${output}`));
    });
  });
  return Object.assign(child, { output: () => output });
}

/** Runs one CLI command as its own process, as a user would. */
export function runCliChild(
  env: NodeJS.ProcessEnv,
  argv: string[],
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', devEntry, ...argv], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Stops a child started by `startServeChild` and waits for it to exit. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
