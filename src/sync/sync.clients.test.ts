import { describe, expect, it } from 'vitest';
import { addSimModule } from './sync.test-kit.js';

import { useSyncTestbed } from './sync.test-helpers.js';

const bed = useSyncTestbed();

const logins = () => bed.sim.sessions.issued().length;
const sync = (moduleId: number) => bed.app.sync.runSync(moduleId, { trigger: 'manual' });

describe('the VMmanager session of a module', () => {
  it('is reused by its runs: one login for several syncs', async () => {
    const module = await addSimModule(bed.app, bed.sim, 'msk', { clusterId: 1 });
    const before = logins();
    for (let i = 0; i < 3; i += 1) expect((await sync(module.id)).outcome).not.toBe('failed');
    expect(logins() - before).toBe(1);
  });

  it('is opened again when VMmanager ended it, and the run still succeeds', async () => {
    const module = await addSimModule(bed.app, bed.sim, 'msk', { clusterId: 1 });
    await sync(module.id);
    const before = logins();
    bed.sim.sessions.expireAll();
    expect((await sync(module.id)).outcome).toBe('no_change');
    expect(logins() - before).toBe(1);
  });

  it('is replaced when the module’s credentials change: a wrong password fails the next run', async () => {
    const module = await addSimModule(bed.app, bed.sim, 'msk', { clusterId: 1 });
    await sync(module.id);
    await bed.app.modules.updateModule(module.id, { password: 'not-the-password' }, 'admin');
    const run = await sync(module.id);
    expect(run.outcome).toBe('failed');
    expect(run.error?.code).toBe('upstream_auth');
    await bed.app.modules.updateModule(module.id, { password: bed.sim.password }, 'admin');
    expect((await sync(module.id)).outcome).toBe('no_change');
  });

  it('is dropped after a failed fetch: the next run logs in afresh', async () => {
    const module = await addSimModule(bed.app, bed.sim, 'msk', { clusterId: 1 });
    await sync(module.id);
    bed.sim.injectFault({ kind: 'non_json', path: '/vm/v3/os', times: 'always' });
    expect((await sync(module.id)).outcome).toBe('failed');
    bed.sim.clearFaults();
    const before = logins();
    expect((await sync(module.id)).outcome).toBe('no_change');
    expect(logins() - before).toBe(1);
  });

  it('re-filters an unchanged VMmanager answer when the module moves to another cluster', async () => {
    const module = await addSimModule(bed.app, bed.sim, 'msk', { clusterId: 1 });
    await sync(module.id);
    await bed.app.modules.updateModule(module.id, { clusterId: 2 }, 'admin');
    const run = await sync(module.id);
    const onlyOnTwo = bed.sim.state
      .listTemplates()
      .filter((t) => t.state === 'active' && !t.adminonly)
      .filter((t) => t.clusters.some((c) => c.id === 2) && !t.clusters.some((c) => c.id === 1));
    expect(onlyOnTwo.length).toBeGreaterThan(0);
    expect(run.outcome).toBe('applied');
    expect(run.counts.added).toBe(onlyOnTwo.length);
  });
});
