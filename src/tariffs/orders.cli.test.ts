import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { lendApp } from '../cli/cli-context.js';
import { oneLineError, runCliCaptured } from '../cli/cli.test-helpers.js';
import {
  addTestModule,
  connectTemplates,
  createTestApp,
  insertTemplates,
  type TestApp,
} from '../test/test-app.js';

let app: TestApp;
let templateIds: number[];
let tariffId: number;

beforeAll(async () => {
  app = await createTestApp();
  templateIds = await insertTemplates(app.db, [
    { internalName: 'ISPsystem__Ubuntu 24.04' },
    { internalName: 'ISPsystem__Big Linux', minDiskMib: 30 * 1024 },
  ]);
  const module = await addTestModule(app, 'msk\u001b[31m');
  await connectTemplates(app.db, module.id, templateIds);
  tariffId = (
    await app.tariffs.createTariff({ name: 'VPS-1', diskMib: 20480, moduleIds: [module.id] }, 'test')
  ).id;
});
afterAll(async () => app?.close());

const cli = (...argv: string[]) => runCliCaptured(['orders', 'check', ...argv], { apps: lendApp(app) });

describe('os-catalog orders check', () => {
  test('an orderable order exits 0 with the placement, by names or ids; control characters are shown, not obeyed', async () => {
    const byName = await cli('--tariff', 'VPS-1', '--template', 'ISPsystem__Ubuntu 24.04');
    expect(byName.code, byName.err).toBe(0);
    expect(byName.out).toMatch(/^orderable\s+yes$/m);
    expect(byName.out).toMatch(/^module\s+\d+ \(msk\\x1b\[31m\)$/m);
    expect(byName.out).not.toContain('\u001b');
    expect(byName.out).toMatch(/^VMmanager template\s+\S+$/m);
    const json = await cli('--tariff', String(tariffId), '--template', String(templateIds[0]), '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({
      orderable: true,
      templateId: templateIds[0],
      moduleName: 'msk\u001b[31m',
      alternatives: [],
    });
  });

  test('a refused order exits 3 with its reason; a bigger disk makes it orderable', async () => {
    const small = await cli('--tariff', 'VPS-1', '--template', 'ISPsystem__Big Linux');
    expect(small).toMatchObject({ code: 3, out: 'not orderable: disk_too_small\n' });
    const big = await cli('--tariff', 'VPS-1', '--template', 'ISPsystem__Big Linux', '--disk-gib', '40');
    expect(big.code, big.err).toBe(0);
    const unknown = await cli('--tariff', 'VPS-1', '--template', 'ISPsystem__Nothing', '--json');
    expect(unknown.code).toBe(3);
    expect(JSON.parse(unknown.out)).toEqual({ orderable: false, reason: 'unknown' });
  });

  test('bad input exits with another code than not orderable, in one line', async () => {
    for (const argv of [
      ['--tariff', 'VPS-1', '--template', 'ISPsystem__Ubuntu 24.04', '--disk-gib', '0'],
      ['--tariff', 'VPS-1', '--template', 'ISPsystem__Ubuntu 24.04', '--purpose', 'resell'],
      ['--tariff', 'No such tariff', '--template', 'ISPsystem__Ubuntu 24.04'],
      ['--tariff', 'VPS-1', '--template', '999999'],
    ]) {
      const result = await cli(...argv);
      expect(result.code, argv.join(' ')).not.toBe(0);
      expect(result.code, argv.join(' ')).not.toBe(3);
      expect(result.err, argv.join(' ')).toMatch(oneLineError);
    }
    expect((await cli('--tariff', 'VPS-1')).code).toBe(64);
  });
});
