/**
 * JUnit XML for CI systems (CodeBuild reports, GitLab, Jenkins): one test
 * suite per hook (lifecycle event), one test case per check; a check that did
 * not pass is a <failure> with its reason. A hook that never reported or
 * crashed, and a deployment that rolled back for an alarm, get a test case of
 * their own, so a red deployment is never an all-green report.
 */
import type { SimulationResult } from '../engine/result.js';

export function junitReport(result: SimulationResult): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const hook of result.hooks) {
    const cases: string[] = [];
    const classname = `${result.scenario}.${hook.lifecycleEvent}`;
    if (hook.status === 'NotRun') {
      // The deployment ended before this lifecycle event: shown as skipped, not passed.
      cases.push(testcase(`${hook.lifecycleEvent} reported`, classname, 0, `<skipped message="${attr(`not run: the deployment ended before ${hook.lifecycleEvent}`)}"/>`));
      tests++;
      skipped++;
      suites.push(suite(`${result.scenario} ${hook.lifecycleEvent} (${hook.functionName})`, cases, 0));
      continue;
    }
    for (const check of hook.verdict?.checks ?? []) {
      const failed = check.state !== 'passed';
      const body = failed
        ? `<failure message="${attr(`${check.state}: ${check.reason}`)}" type="${attr(check.state)}">${text(detailText(check.reason, check.details))}</failure>`
        : '';
      const note = check.enforced ? '' : '<system-out>not enforced (dry run)</system-out>';
      // A non-enforced check is reported but cannot fail the build.
      const counted = failed && check.enforced;
      cases.push(testcase(check.name, classname, check.durationMs, counted ? body : note || (failed ? `<system-out>${text(`${check.state}: ${check.reason}`)}</system-out>` : '')));
      tests++;
      if (counted) failures++;
    }
    // The lifecycle event itself: fails when the hook did not report Succeeded.
    const hookFailed = hook.status !== 'Succeeded';
    const why = hook.error ?? hook.verdict?.reason ?? (hook.status === 'NoReport' ? 'the hook never reported a status' : `status ${hook.status}`);
    const logs = hook.logs.length ? `<system-out>${text(hook.logs.join(''))}</system-out>` : '';
    cases.push(testcase(`${hook.lifecycleEvent} reported`, classname, hook.durationMs ?? 0, hookFailed ? `<failure message="${attr(`${hook.status}: ${why}`)}" type="${attr(hook.status)}"/>${logs}` : logs));
    tests++;
    if (hookFailed) failures++;
    suites.push(suite(`${result.scenario} ${hook.lifecycleEvent} (${hook.functionName})`, cases, hook.durationMs ?? 0));
  }
  // The deployment as a whole.
  const depFailed = result.status !== 'Succeeded';
  const depCase = testcase(
    `deployment ${result.deploymentId} ${result.status}`,
    `${result.scenario}.deployment`,
    result.durationMs,
    depFailed ? `<failure message="${attr(result.reason)}" type="${attr(result.errorCode ?? result.status)}"/>` : '',
  );
  tests++;
  if (depFailed) failures++;
  suites.push(suite(`${result.scenario} deployment`, [depCase], result.durationMs));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="codedeploy-hooks simulate ${attr(result.scenario)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(result.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

function suite(name: string, cases: string[], ms: number): string {
  const failures = cases.filter((c) => c.includes('<failure')).length;
  const skipped = cases.filter((c) => c.includes('<skipped')).length;
  return `  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${secs(ms)}">\n${cases.join('\n')}\n  </testsuite>`;
}

function testcase(name: string, classname: string, ms: number, inner: string): string {
  const open = `    <testcase name="${attr(name)}" classname="${attr(classname)}" time="${secs(ms)}"`;
  return inner ? `${open}>${inner}</testcase>` : `${open}/>`;
}

function detailText(reason: string, details: Record<string, unknown> | undefined): string {
  return details ? `${reason}\n${JSON.stringify(details, null, 2)}` : reason;
}

function secs(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** XML 1.0 forbids most control characters even when escaped: drop them. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

function text(s: string): string {
  return clean(s).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function attr(s: string): string {
  return text(s).replaceAll('"', '&quot;').replaceAll('\n', '&#10;');
}
