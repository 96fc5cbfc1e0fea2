import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('the runtime', () => {
  it('is a Node that package.json engines admits (the one npm ci brings, not the system Node)', () => {
    const { engines } = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
    const match = /^>=(\d+)\.(\d+)\.(\d+) <(\d+)$/.exec(engines.node);
    expect(match, `engines.node "${engines.node}" has the form ">=A.B.C <D"`).not.toBeNull();
    const [low, high] = [match!.slice(1, 4).map(Number), Number(match![4])];
    const running = process.versions.node.split('.').map(Number);
    const atLeast =
      running[0]! !== low[0]!
        ? running[0]! > low[0]!
        : running[1]! !== low[1]!
          ? running[1]! > low[1]!
          : running[2]! >= low[2]!;
    expect(atLeast && running[0]! < high, `Node ${process.version} within ${engines.node}`).toBe(true);
  });
});
