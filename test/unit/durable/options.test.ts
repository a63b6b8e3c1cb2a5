import { describe, expect, it } from 'vitest';
import { defineDurableHook } from '../../../src/durable/index.js';
import { validateDurableOptions } from '../../../src/durable/options.js';
import type { Check } from '../../../src/types.js';

const check: Check = { name: 'c', run: async () => ({ state: 'passed', reason: 'ok' }) };
const MIN = 60_000;

describe('durable hook options', () => {
  it('accepts a 50-minute bake with the default 5-minute reserve', () => {
    expect(() => defineDurableHook({ bake: { checks: [check], intervalMs: MIN, durationMs: 50 * MIN } })).not.toThrow();
  });

  it.each([
    [{}, 'options'],
    [{ bake: { checks: [check], intervalMs: MIN, durationMs: 58 * MIN } }, 'bake'],
    [{ bake: { checks: [check], intervalMs: MIN, durationMs: 50 * MIN }, hourReserveMs: 20 * MIN }, 'bake'],
    [{ bake: { checks: [check], intervalMs: 500, count: 3 } }, 'bake.intervalMs'],
    [{ bake: { checks: [check], intervalMs: MIN } }, 'bake'],
    [{ bake: { checks: [], intervalMs: MIN, count: 2 } }, 'bake.checks'],
    [{ bake: { checks: [check], intervalMs: MIN, count: 2, deadlineMarginMs: 5 } }, 'bake.deadlineMarginMs'],
    [{ bake: { checks: [check], intervalMs: MIN, count: 2, failureLimit: -2 } }, 'bake.failureLimit'],
    [{ checks: [check], hourReserveMs: 1000 }, 'hourReserveMs'],
    [{ checks: [check], hourReserveMs: 3_600_000 }, 'hourReserveMs'],
    [{ checks: [check], reserveMs: -1 }, 'reserveMs'],
    [{ checks: [check], nope: 1 }, 'nope'],
  ])('%j is rejected naming %s', (options, field) => {
    expect(() => validateDurableOptions(options as never)).toThrow(expect.objectContaining({ field }));
  });
});
