/** explain's story as the report's view: times relative to the start, what the story does not know left out, never a crash. */
import { describe, expect, it } from 'vitest';
import { STORY_VERSION, type DeploymentStory } from '../../../src/explain/index.js';
import { storyHtmlReport, viewOfStory } from '../../../src/html-report/index.js';

function story(over: Partial<DeploymentStory> = {}): DeploymentStory {
  return {
    storyVersion: STORY_VERSION,
    deploymentId: 'd-STORY0001',
    status: 'Failed',
    outcome: 'rolled-back',
    headline: 'Deployment d-STORY0001 was rolled back: AfterAllowTestTraffic hook reported Failed',
    cause: { kind: 'hook-failed', summary: 'the smoke suite failed' },
    events: [],
    alarms: [],
    advice: [],
    gaps: [],
    hookSource: 'appspec',
    ...over,
  };
}

describe('viewOfStory', () => {
  it('places events, alarm changes and the rollback in seconds since the start', () => {
    const view = viewOfStory(story({
      computePlatform: 'ECS',
      startTime: '2026-01-01T10:00:00.000Z',
      completeTime: '2026-01-01T10:10:00.000Z',
      failedEvent: 'AfterAllowTestTraffic',
      target: { platform: 'ECS', taskSets: [{ label: 'Blue' }, { label: 'Green' }] },
      traffic: { phase: 'before-shift', estimated: false, summary: 'no production traffic reached the green task set' },
      events: [
        { name: 'Install', status: 'Succeeded', startTime: '2026-01-01T10:00:00.000Z', endTime: '2026-01-01T10:02:00.000Z' },
        {
          name: 'AfterAllowTestTraffic',
          status: 'Failed',
          startTime: '2026-01-01T10:02:00.000Z',
          endTime: '2026-01-01T10:05:30.000Z',
          hookFunction: 'CodeDeployHook_test',
          verdict: { status: 'Failed', reason: '1 of 1 enforced checks did not pass', reported: true, reportOutcome: 'accepted', checks: [{ name: 'smoke', state: 'failed', enforced: true, reason: 'got 503' }], logGroup: '/aws/lambda/CodeDeployHook_test', otherLines: 0 },
        },
        { name: 'AfterAllowTraffic', status: 'Skipped', hookFunction: 'CodeDeployHook_post' },
      ],
      alarms: [{ name: 'green-5xx', stateNow: 'OK', firedDuringDeployment: false, transitions: [{ time: '2026-01-01T10:01:00.000Z', from: 'INSUFFICIENT_DATA', to: 'OK' }, { time: 'not a time', to: 'ALARM' }] }],
    }));
    expect(view.durationSeconds).toBe(600);
    expect(view.versions.map((v) => v.label)).toEqual(['Blue', 'Green']);
    expect(view.markers).toEqual([
      { at: 120, kind: 'lifecycle', label: 'Install Succeeded' },
      { at: 330, kind: 'lifecycle', label: 'AfterAllowTestTraffic Failed' },
      { at: 330, kind: 'rollback', label: 'Rollback' },
      { at: 600, kind: 'end', label: 'End Failed' },
    ]);
    // Traffic never moved: the weight stays at 0; an unreadable time is left out, not drawn at NaN.
    expect(view.weights).toEqual([{ at: 0, targetPercent: 0 }]);
    expect(view.alarms).toEqual([{ name: 'green-5xx', changes: [{ at: 60, state: 'OK', reason: '' }], finalState: 'OK' }]);
    expect(view.hooks.map((h) => [h.lifecycleEvent, h.status, h.reported])).toEqual([
      ['AfterAllowTestTraffic', 'Failed', 'reported Failed (accepted)'],
      ['AfterAllowTraffic', 'Skipped', 'not run: AfterAllowTraffic was skipped'],
    ]);
    const page = storyHtmlReport(story());
    expect(page).not.toContain('NaN');
  });

  it('draws a story that knows no times, no target and no events, saying what it can', () => {
    const view = viewOfStory(story({ status: 'InProgress', outcome: 'in-progress', headline: 'still running' }));
    expect(view.headline).toBe('IN PROGRESS');
    expect(view.durationSeconds).toBe(1);
    expect(view.markers).toEqual([]);
    const page = storyHtmlReport(story({ status: 'InProgress', outcome: 'in-progress', headline: 'still running' }));
    expect(page).toContain('<p id="verdict" class="verdict verdict-running" data-status="InProgress">… IN PROGRESS</p>');
    expect(page).toContain('<p>No lifecycle hooks ran.</p>');
    expect(page).not.toContain('NaN');
  });
});
