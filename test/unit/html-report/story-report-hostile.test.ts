/** explain's story with hostile and huge content (verdict lines are written by whatever can write to the log group), drawn as the HTML report. */
import { describe, expect, it } from 'vitest';
import { STORY_VERSION, type DeploymentStory } from '../../../src/explain/index.js';
import { storyHtmlReport } from '../../../src/html-report/index.js';

const EVIL = `"'><img src=x onerror=alert(1)></script><script>alert(2)</script><!--`;

function story(over: Partial<DeploymentStory> = {}): DeploymentStory {
  return {
    storyVersion: STORY_VERSION, deploymentId: `d-${EVIL}`, status: 'Failed', outcome: 'rolled-back', headline: EVIL,
    cause: { kind: 'hook-failed', summary: EVIL }, events: [], alarms: [], advice: [EVIL] as never, gaps: [EVIL] as never, hookSource: 'appspec', ...over,
  };
}

describe('HTML report of a hostile or huge story', () => {
  it('escapes hostile strings from verdict lines everywhere (no tag of theirs survives)', () => {
    const page = storyHtmlReport(story({
      computePlatform: 'ECS', startTime: '2026-01-01T10:00:00.000Z', completeTime: '2026-01-01T10:10:00.000Z', failedEvent: EVIL,
      target: { platform: 'ECS', taskSets: [{ label: EVIL }, { label: EVIL }] },
      traffic: { phase: 'before-shift', estimated: false, summary: EVIL },
      events: [{
        name: EVIL, status: 'Failed', startTime: '2026-01-01T10:02:00.000Z', endTime: '2026-01-01T10:05:30.000Z', hookFunction: EVIL,
        verdict: {
          status: 'Failed', reason: EVIL, reported: true, reportOutcome: EVIL, reportError: EVIL, timestamp: EVIL, bypassReason: EVIL,
          checks: [
            { name: EVIL, state: EVIL, enforced: true, reason: EVIL, details: { [EVIL]: EVIL } },
          ],
          logGroup: EVIL, logStream: EVIL, otherLines: 0,
        },
      } as never],
      alarms: [{ name: EVIL, stateNow: EVIL, firedDuringDeployment: true, transitions: [{ time: '2026-01-01T10:01:00.000Z', from: EVIL, to: 'ALARM', reason: EVIL }] } as never],
    }));
    expect(page).not.toMatch(/<img/i);
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('onerror=alert(1)>');
  });

  it('a check state read from a verdict line that names an Object.prototype member is not drawn as that member', () => {
    const page = storyHtmlReport(story({
      events: [{ name: 'AfterAllowTraffic', status: 'Failed', hookFunction: 'h', verdict: { status: 'Failed', reason: 'r', checks: [
        { name: 'proto', state: '__proto__', enforced: true, reason: 'x' }, { name: 'ctor', state: 'constructor', enforced: true, reason: 'x' },
      ], logGroup: 'g', otherLines: 0 } } as never],
    }));
    expect(page).not.toContain('[object Object]');
    expect(page).not.toContain('native code');
    // Drawn as the state it is, with no icon.
    expect(page).toContain('<td class="state-__proto__"> __proto__</td>');
    expect(page).toContain('<td class="state-constructor"> constructor</td>');
  });

  it('draws a story with 20,000 events and 20,000 alarm transitions in reasonable time', () => {
    const t0 = Date.parse('2026-01-01T10:00:00.000Z');
    const iso = (s: number) => new Date(t0 + s * 1000).toISOString();
    const events = Array.from({ length: 20_000 }, (_, i) => ({ name: `E${i}`, status: 'Succeeded', startTime: iso(i), endTime: iso(i + 1) }));
    const transitions = Array.from({ length: 20_000 }, (_, i) => ({ time: iso(i), from: i % 2 ? 'ALARM' : 'OK', to: i % 2 ? 'OK' : 'ALARM' }));
    const started = performance.now();
    const page = storyHtmlReport(story({ startTime: iso(0), completeTime: iso(20_001), events: events as never, alarms: [{ name: 'a', stateNow: 'OK', firedDuringDeployment: true, transitions } as never] }));
    expect(page.length).toBeLessThan(20_000_000);
    expect(performance.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
