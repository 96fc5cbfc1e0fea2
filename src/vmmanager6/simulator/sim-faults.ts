import { AppError } from '../../shared/errors.js';

/** The kinds of failure the simulator can stage. */
export type SimFaultKind =
  | 'timeout'
  | 'http_error'
  | 'unauthorized'
  | 'expire_tokens'
  | 'non_json'
  | 'empty_list'
  | 'truncated_list'
  | 'wrong_schema'
  | 'slow_drip'
  | 'refuse'
  | 'oversize'
  | 'redirect';

export const simFaultKinds: readonly SimFaultKind[] = [
  'timeout',
  'http_error',
  'unauthorized',
  'expire_tokens',
  'non_json',
  'empty_list',
  'truncated_list',
  'wrong_schema',
  'slow_drip',
  'refuse',
  'oversize',
  'redirect',
];

/** One staged fault. `path` limits it to one endpoint (exact path); `times` counts matching requests. */
export interface SimFault {
  kind: SimFaultKind;
  path?: string;
  times?: number | 'always';
  /** http_error: the HTTP status (default 500) and VMmanager error code (default = status). */
  status?: number;
  code?: number;
  /** http_error: the error message (default "Internal error", or "Service suspended" for 503). */
  msg?: string;
  /** oversize: how many bytes of a never-ending OS list to stream (default 512 MiB). */
  bytes?: number;
  /** redirect: where the 3xx answer (`status`, default 307) points. */
  location?: string;
  /** wrong_schema: which damage to do (default `list_missing`). */
  variant?: 'list_missing' | 'name_number';
  /** slow_drip: pause between chunks (default 100 ms) and chunk size (default 16 bytes). */
  intervalMs?: number;
  chunkBytes?: number;
}

interface Staged {
  fault: SimFault;
  left: number;
}

/** The fault queue: the first staged fault matching a request's path is used and counted down. */
export interface SimFaultQueue {
  add(fault: SimFault): void;
  clear(): void;
  list(): SimFault[];
  take(path: string): SimFault | undefined;
}

/** Checks a fault given through code or the control API. */
export function checkFault(value: unknown): SimFault {
  const fault = value as SimFault;
  if (!fault || typeof fault !== 'object' || !simFaultKinds.includes(fault.kind)) {
    throw new AppError('invalid_input', `fault kind must be one of ${simFaultKinds.join(', ')}`, {});
  }
  const times = fault.times ?? 1;
  if (times !== 'always' && !(Number.isInteger(times) && times > 0)) {
    throw new AppError('invalid_input', "fault times must be a positive integer or 'always'", {});
  }
  return fault;
}

/** Creates an empty fault queue. */
export function createFaultQueue(): SimFaultQueue {
  let staged: Staged[] = [];
  return {
    add(fault) {
      const checked = checkFault(fault);
      const times = checked.times ?? 1;
      staged.push({ fault: checked, left: times === 'always' ? Infinity : times });
    },
    clear() {
      staged = [];
    },
    list: () => staged.map((s) => ({ ...s.fault, times: s.left === Infinity ? 'always' : s.left })),
    take(path) {
      const hit = staged.find((s) => s.fault.path === undefined || s.fault.path === path);
      if (!hit) return undefined;
      hit.left -= 1;
      if (hit.left <= 0) staged = staged.filter((s) => s !== hit);
      return hit.fault;
    },
  };
}
