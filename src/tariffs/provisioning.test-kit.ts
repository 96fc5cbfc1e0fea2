import type { VmmanagerSimulator } from '../vmmanager6/simulator/simulator.js';
import type { OrderCheckResult, Placement } from './order-check.service.js';

/** What the simulator answered to a create: the host id, or the refusal's reason. */
export type HostAnswer = { created: true; id: number } | { created: false; status: number; reason: string };

/** The sizes a storefront orders with: the tariff's disk and RAM. */
export interface OrderedSizes {
  diskMib: number;
  ramMib: number;
}

/**
 * A storefront's VMmanager side: logs in once and creates VMs with `POST /vm/v3/host`, the body
 * ISPsystem's WHMCS module sends, built from an order check's placement.
 */
export async function createHostClient(sim: Pick<VmmanagerSimulator, 'url' | 'email' | 'password'>) {
  const login = await fetch(`${sim.url}/auth/v4/public/token`, {
    method: 'POST',
    body: JSON.stringify({ email: sim.email, password: sim.password }),
  });
  const { token } = (await login.json()) as { token: string };
  let serial = 0;
  return {
    /** Creates a VM from `os` on `cluster` with the ordered sizes. */
    async createHost(os: number | null, cluster: number | null, sizes: OrderedSizes): Promise<HostAnswer> {
      serial += 1;
      const res = await fetch(`${sim.url}/vm/v3/host`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-xsrf-token': token },
        body: JSON.stringify({
          name: `order-${serial}`,
          password: 'Customer-Secret-1',
          os,
          cluster,
          cpu_number: 1,
          ram_mib: sizes.ramMib,
          hdd_mib: sizes.diskMib,
          ipv4_number: 1,
        }),
      });
      const body = (await res.json()) as { id?: number; error?: { value?: { reason?: string } } };
      return res.status === 200 && typeof body.id === 'number'
        ? { created: true, id: body.id }
        : { created: false, status: res.status, reason: body.error?.value?.reason ?? 'unknown' };
    },
    /** Creates a VM where the check says to build it (`upstreamId` on `clusterId`). */
    createFromPlacement(placement: Placement, sizes: OrderedSizes): Promise<HostAnswer> {
      return this.createHost(placement.upstreamId, placement.clusterId, sizes);
    },
  };
}

export type HostClient = Awaited<ReturnType<typeof createHostClient>>;

/** Every placement an orderable check offers: the one chosen, then the alternatives. */
export const placementsOf = (result: OrderCheckResult): Placement[] =>
  result.orderable ? [result, ...result.alternatives] : [];
