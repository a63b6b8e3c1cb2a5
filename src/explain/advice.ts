/**
 * What to do next, from the story's cause: fix what the check found, look at
 * the alarm's metric, make the hook report, or fill the gaps in what explain
 * could read. Commands are the AWS CLI's, so they can be pasted as they are.
 */
import type { Evidence } from './gather.js';
import type { DeploymentStory } from './story.js';
import { formatMinutes } from './traffic.js';

export function adviceFor(story: DeploymentStory, ev: Evidence): string[] {
  const out: string[] = [];
  const target = story.target?.platform === 'Lambda' ? story.target : undefined;
  const cause = story.cause;
  const check = story.failedCheck;

  switch (cause.kind) {
    case 'none':
      out.push('Nothing to do: the deployment succeeded.');
      break;
    case 'in-progress':
      out.push(cause.hookFunction
        ? `Wait, or look at what ${cause.hookFunction} is doing: aws logs tail /aws/lambda/${cause.hookFunction} --since 1h`
        : 'Wait for the deployment to finish, then run explain again.');
      break;
    case 'hook-failed':
      if (check) {
        out.push(`Fix what check "${check.name}" found in the new version: ${check.reason}`);
        if (target && /invoke/i.test(check.name)) {
          out.push(`Reproduce it by invoking the new version: aws lambda invoke --function-name ${target.functionName}:${target.targetVersion} --payload '{}' --cli-binary-format raw-in-base64-out out.json`);
        }
        if (check.state === 'inconclusive') out.push('An inconclusive check fails the hook by default (fail closed); give it more data or time, or set `inconclusive: "pass"` if that is what you mean.');
        if (check.state === 'error') out.push('The check itself errored (not the new version): look at its permissions and the services it calls.');
      }
      out.push(`Run the same hook locally before deploying again: codedeploy-hooks simulate --scenario <your scenario> (see the README's simulator section).`);
      break;
    case 'hook-no-report': {
      const fn = cause.hookFunction;
      out.push(`Make the hook report on every path: a codedeploy-hooks hook reports Failed when a check throws or time runs out; a hook that returns without PutLifecycleEventHookExecutionStatus leaves CodeDeploy waiting up to an hour.`);
      if (fn) out.push(`Look at what ${fn} logged (errors, "Task timed out"): aws logs filter-log-events --log-group-name /aws/lambda/${fn} --start-time ${ev.window.startTime} --end-time ${ev.window.endTime}`);
      out.push('Check that the hook may call codedeploy:PutLifecycleEventHookExecutionStatus and that CodeDeploy may invoke it (with the managed roles its name must start with CodeDeployHook_): codedeploy-hooks doctor template.yaml');
      break;
    }
    case 'alarm': {
      const alarm = story.alarms.find((a) => a.name === cause.alarmName);
      const wasAlready = alarm && !alarm.firedDuringDeployment && alarm.stateNow === 'ALARM';
      if (cause.alarmName) out.push(`Look at the metric behind alarm ${cause.alarmName} for the new version: aws cloudwatch describe-alarms --alarm-names ${cause.alarmName}`);
      if (wasAlready) out.push(`The alarm did not change state during the deployment: if it was already in ALARM before it started, CodeDeploy stops every attempt; fix the alarm (or its metric) first.`);
      if (story.traffic?.phase === 'shifting') out.push(`It fired while the new version had ${story.traffic.targetWeightPercent ?? 'part'}% of the traffic: a pre-traffic hook with the same check (e.g. invokeTarget on the failing path) would catch this before any user request reaches it.`);
      break;
    }
    case 'manual-stop':
      out.push('Someone (or a tool) called StopDeployment: nothing in the deployment itself failed. Start it again when ready.');
      break;
    case 'deployment-error':
      out.push('CodeDeploy failed the deployment outside the hooks: read errorInformation and the lifecycle events above; the AWS console shows the same deployment under CodeDeploy → Deployments.');
      break;
  }

  const noLines = story.events.filter((e) => e.missingVerdict && e.hookFunction);
  if (noLines.length > 0 && cause.kind !== 'hook-no-report') {
    out.push(`No verdict line was found for ${noLines.map((e) => e.name).join(', ')}: if the hooks log to other groups, pass them with --log-group.`);
  }
  if (story.hookSource === 'none') out.push('The hook functions are unknown (the AppSpec could not be read): pass them with --hook-function NAME to read their verdict lines.');
  if (story.gaps.length > 0) out.push(`Some sources could not be read (see "Not known" above); explain needs the read-only permissions listed in the README.`);
  if (story.rollback?.triggeringDeploymentId) out.push(`This is a rollback deployment: explain the deployment it rolled back: codedeploy-hooks explain ${story.rollback.triggeringDeploymentId}`);
  const slow = story.events.find((e) => e.verdict && e.durationMs !== undefined && e.durationMs > 15 * 60_000);
  if (slow) out.push(`${slow.name} took ${formatMinutes(slow.durationMs!)}: longer than a Lambda invocation can run; the hook may have been retried.`);
  return out;
}
