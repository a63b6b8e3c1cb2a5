/**
 * The post-traffic hook's CODEDEPLOY_HOOKS_COMPARE in the emulator: `false`
 * (what a YAML 1.1 loader makes of an unquoted `off`) runs the bake without
 * the comparison, and a value the hook does not know fails the deployment
 * with the variable and the allowed values, instead of gating on a guess.
 */
import { describe, expect, it } from 'vitest';
import { runHook } from '../../src/testing/index.js';
import { handler as postTraffic } from '../../hooks/post-traffic.js';

const COMPARISON = 'new version vs old version';
const run = (compare: string) =>
  runHook(postTraffic, {
    scenario: 'lambda-canary-healthy',
    lifecycleEvent: 'AfterAllowTraffic',
    env: { CODEDEPLOY_HOOKS_COMPARE: compare, CODEDEPLOY_HOOKS_BAKE_DURATION_MS: '0' },
  });

describe('post-traffic hook with CODEDEPLOY_HOOKS_COMPARE', () => {
  it.each(['disabled', 'false', 'off'])('%s: bakes on the alarms and runs no comparison', async (value) => {
    const r = await run(value);
    expect(r.reportedStatus, r.verdict?.reason).toBe('Succeeded');
    expect(r.verdict?.checks.map((c) => c.name)).toEqual(['bake on alarms']);
  });

  it('observe: the comparison runs, not enforced', async () => {
    const r = await run('observe');
    expect(r.reportedStatus, r.verdict?.reason).toBe('Succeeded');
    // Inside the bake: each measurement lists it, not enforced.
    const bake = r.verdict?.checks[0]?.details as { measurements: { checks: { name: string; enforced: boolean }[] }[] } | undefined;
    expect(bake?.measurements[0]?.checks.find((c) => c.name === COMPARISON)?.enforced).toBe(false);
  });

  it('a value it does not know: reports Failed, naming the variable and the allowed values', async () => {
    const r = await run('true');
    expect(r.reportedStatus).toBe('Failed');
    expect(r.verdict?.reason).toContain('invalid option CODEDEPLOY_HOOKS_COMPARE: must be one of enforce, observe, disabled (off means disabled, false means disabled), got "true"');
  });
});
