/**
 * Reports from a real simulated run: the JSON report is the whole result, and
 * JUnit XML has one test case per check, failures carrying their reasons.
 */
import { describe, expect, it } from 'vitest';
import { jsonReport, junitReport, simulate } from '../../src/simulator/index.js';
import type { SimulationResult } from '../../src/simulator/index.js';

describe('reports', () => {
  it('JUnit XML: one test case per check, a failure with the check reason, escaped', async () => {
    const r = await simulate('lambda-canary-broken-version', { timeScale: 300 });
    const xml = junitReport(r);
    const checks = r.hooks[0]!.verdict!.checks;
    for (const c of checks) expect(xml).toContain(`<testcase name="${c.name}" classname="lambda-canary-broken-version.BeforeAllowTraffic"`);
    const failed = checks.find((c) => c.state === 'failed')!;
    expect(xml).toContain(`<failure message="failed: ${failed.reason}"`);
    // Checks + the hook's report + the skipped AfterAllowTraffic + the deployment. Every enforced
    // check that did not pass is a failure (the follow-up invocations after the failed first one
    // did not run: inconclusive), and so are the hook's report and the deployment.
    const notPassed = checks.filter((c) => c.enforced && c.state !== 'passed').length;
    expect(notPassed).toBeGreaterThanOrEqual(1);
    expect(xml).toMatch(new RegExp(`<testsuites [^>]*tests="${checks.length + 3}" failures="${notPassed + 2}" errors="0" skipped="1"`));
    expect(xml).toContain('<skipped message="not run: the deployment ended before AfterAllowTraffic"/>');
    const json = JSON.parse(jsonReport(r)) as SimulationResult & { reportVersion: number };
    expect(json.reportVersion).toBe(1);
    expect(json.deploymentId).toBe(r.deploymentId);
    expect(json.hooks[0]!.verdict!.checks).toHaveLength(checks.length);
  });

  it('escapes XML special characters and drops control characters', () => {
    const base: SimulationResult = {
      scenario: 's&<"x">',
      source: 'f',
      description: '',
      platform: 'Lambda',
      deploymentId: 'd-AAAAAAAAA',
      deploymentConfigName: 'c',
      status: 'Succeeded',
      reason: 'ok',
      rolledBack: false,
      timeScale: 1,
      startedAt: new Date(0).toISOString(),
      durationMs: 1500,
      simulatedSeconds: 1,
      alarms: [],
      traffic: { total: 0, failed: 0, byVersion: {} },
      timeline: [],
      hooks: [
        {
          lifecycleEvent: 'BeforeAllowTraffic',
          functionName: 'fn',
          module: 'm',
          export: 'handler',
          status: 'Succeeded',
          logs: ['line <1>\u0001\n'],
          durationMs: 10,
          verdict: {
            status: 'Succeeded',
            deploymentId: 'd-AAAAAAAAA',
            lifecycleEvent: 'BeforeAllowTraffic',
            durationMs: 10,
            reported: true,
            reason: 'r',
            checks: [
              { name: 'a "quoted" <check>', state: 'passed', reason: 'fine & dandy', enforced: true, durationMs: 3, attempts: 1 },
              { name: 'dry', state: 'failed', reason: 'bad', enforced: false, durationMs: 1, attempts: 1 },
            ],
          },
        },
      ],
    };
    const xml = junitReport(base);
    expect(xml).toContain('name="a &quot;quoted&quot; &lt;check&gt;"');
    expect(xml).toContain('classname="s&amp;&lt;&quot;x&quot;&gt;.BeforeAllowTraffic"');
    expect(xml).toContain('<system-out>line &lt;1&gt;\n</system-out>');
    // A failed check that is not enforced is shown but does not fail the build.
    expect(xml).toContain('<testcase name="dry" classname="s&amp;&lt;&quot;x&quot;&gt;.BeforeAllowTraffic" time="0.001"><system-out>not enforced (dry run)</system-out></testcase>');
    expect(xml).toMatch(/<testsuites [^>]*tests="4" failures="0" errors="0" skipped="0" time="1.500">/);
  });
});
