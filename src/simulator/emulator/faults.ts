import type { ServiceName } from '../state/world.js';

/**
 * Fault injection for reliability tests: the next matching requests are
 * throttled, fail with 500/503, lose their connection, wait, or hang.
 */

export type FaultKind = 'throttle' | '500' | '503' | 'reset' | 'delay' | 'hang';

export interface FaultSpec {
  service: ServiceName;
  /** Operation name (e.g. 'PutLifecycleEventHookExecutionStatus', 'Invoke'); all when omitted. */
  operation?: string;
  kind: FaultKind;
  /** For 'delay': how long before the request is served normally (default 1000). */
  delayMs?: number;
  /** How many matching requests are affected (default: all until removed). */
  times?: number;
}

export interface FaultHandle {
  readonly spec: FaultSpec;
  /** Requests this fault has affected so far. */
  readonly hits: number;
  /** Requests it will still affect (Infinity when unlimited). */
  readonly remaining: number;
  remove(): void;
}

interface ActiveFault {
  spec: FaultSpec;
  hits: number;
  remaining: number;
}

export class FaultInjector {
  private readonly active: ActiveFault[] = [];

  add(spec: FaultSpec): FaultHandle {
    if (spec.times !== undefined && !(spec.times >= 1)) throw new RangeError(`faults.add: times must be >= 1, got ${spec.times}`);
    const fault: ActiveFault = { spec: { ...spec }, hits: 0, remaining: spec.times ?? Infinity };
    this.active.push(fault);
    const remove = (): void => {
      const i = this.active.indexOf(fault);
      if (i >= 0) this.active.splice(i, 1);
    };
    return {
      spec: fault.spec,
      get hits() { return fault.hits; },
      get remaining() { return fault.remaining; },
      remove,
    };
  }

  clear(): void {
    this.active.length = 0;
  }

  /** The first fault matching this request, consumed once; undefined when none applies. */
  take(service: string, operation: string): FaultSpec | undefined {
    const fault = this.active.find((f) => f.spec.service === service && (!f.spec.operation || f.spec.operation === operation) && f.remaining > 0);
    if (!fault) return undefined;
    fault.hits++;
    fault.remaining--;
    if (fault.remaining <= 0) this.active.splice(this.active.indexOf(fault), 1);
    return fault.spec;
  }
}
