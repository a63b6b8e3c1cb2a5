/**
 * explain's text rendering of strings it read from verdict lines (written by
 * whatever can write to the hook's log group) and from the API: nothing in
 * them drives the terminal, and a check state is only ever looked up as itself.
 */
import { describe, expect, it } from 'vitest';
import { renderStory, STORY_VERSION, type DeploymentStory } from '../../../src/explain/index.js';
import { describeAwsFailure } from '../../../src/explain/errors.js';

const story = (reason: string, state = 'failed', details?: Record<string, unknown>): DeploymentStory => ({
  storyVersion: STORY_VERSION, deploymentId: 'd-REVIEW01', status: 'Failed', outcome: 'rolled-back', headline: 'rolled back',
  cause: { kind: 'hook-failed', summary: reason }, failedEvent: 'AfterAllowTraffic',
  events: [{ name: 'AfterAllowTraffic', status: 'Failed', hookFunction: 'h', verdict: { status: 'Failed', reason, checks: [{ name: 'smoke', state, enforced: true, reason, ...(details ? { details } : {}) }], logGroup: 'g', otherLines: 0 } } as never],
  alarms: [], advice: [], gaps: [], hookSource: 'appspec',
});

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('explain text output on hostile verdict lines', () => {
  it('does not pass terminal control sequences from a verdict line to the terminal', () => {
    const out = renderStory(story('got 503\u001b]0;pwned\u0007\u001b[2J\u001b[31mALL GOOD\u001b[0m\r'), { color: false });
    expect(out).not.toMatch(/[\u001b\u0007\r]/);
    // Written out, so the line still shows what was there.
    expect(out).toContain('got 503\\x1b]0;pwned\\x07\\x1b[2J');
  });

  it('escapes C1 controls (a one-character CSI) and control characters in check details and their keys, keeping newlines and tabs', () => {
    const hostile = `a\u009b2Jb\u0085c\u007fd`;
    for (const verbose of [false, true]) {
      const out = renderStory(story(`x\ty`, 'failed', { [hostile]: hostile, nested: [{ deep: hostile }] }), { color: false, verbose });
      expect(out).not.toMatch(CONTROL);
      // Written out (details are shown as JSON, which doubles the backslash).
      expect(out).toMatch(/a\\+x9b2Jb/);
      expect(out).toContain('x\ty');
    }
  });

  it('still colours its own output when asked', () => {
    expect(renderStory(story('r'), { color: true })).toContain('\u001b[31m');
  });

  it('an API error message with control characters is written out in the one-line failure', () => {
    const line = describeAwsFailure(Object.assign(new Error('bad\u001b[2Jthing'), { name: 'Weird\u0007Error' }), 'CodeDeploy GetDeployment');
    expect(line).not.toMatch(CONTROL);
    expect(line).toContain('bad\\x1b[2Jthing');
  });

  it('a check state named after an Object.prototype member is not printed as that member', () => {
    for (const state of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const out = renderStory(story('x', state), { color: false });
      expect(out).not.toContain('native code');
      expect(out).not.toContain('[object Object]');
      expect(out).toContain(`· smoke: ${state}`);
    }
  });
});
