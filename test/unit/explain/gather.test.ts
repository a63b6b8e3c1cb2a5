/**
 * explain over hand-built worlds served by the emulator: the paths a
 * simulation does not take (no AppSpec, an S3 revision, unreadable sources,
 * several verdict lines for one event, a deployment still running, a
 * rollback deployment).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { explainDeployment, renderStory } from '../../../src/explain/index.js';
import { startEmulator, type Emulator } from '../../../src/simulator/emulator/index.js';
import { createWorld, type World } from '../../../src/simulator/state/index.js';
import type { HookVerdict } from '../../../src/types.js';
import { verdictRecord } from '../../../src/verdict-log.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function lambdaWorld(): { world: World; deploymentId: string } {
  const world = createWorld();
  const cd = world.codeDeploy;
  cd.createApplication({ applicationName: 'app', computePlatform: 'Lambda' });
  cd.createDeploymentGroup({ applicationName: 'app', deploymentGroupName: 'group', deploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce', alarmConfiguration: { enabled: true, alarms: [{ name: 'errors' }] } });
  world.cloudWatch.putMetricAlarm({ AlarmName: 'errors', Namespace: 'App', MetricName: 'Errors', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  const d = cd.createDeployment({ applicationName: 'app', deploymentGroupName: 'group', lambdaTarget: { functionName: 'fn', functionAlias: 'live', currentVersion: '3', targetVersion: '4' } });
  return { world, deploymentId: d.deploymentId };
}

function verdictLine(deploymentId: string, status: 'Succeeded' | 'Failed', reported: boolean, reason: string): string {
  const v: HookVerdict = {
    status, deploymentId, lifecycleEvent: 'BeforeAllowTraffic', platform: 'Lambda', durationMs: 10, reported, reason,
    checks: [{ name: 'smoke', state: status === 'Failed' ? 'failed' : 'passed', reason, enforced: true, durationMs: 3, attempts: 1 }],
  };
  return JSON.stringify(verdictRecord(v, undefined, reported ? { outcome: 'accepted', attempts: 1 } : { outcome: 'failed', attempts: 3, error: { name: 'AccessDeniedException', message: 'not allowed' } }, 'NS', 'exec'));
}

function failPreTraffic(world: World, deploymentId: string): void {
  const cd = world.codeDeploy;
  const exec = cd.createHookExecution(deploymentId, 'BeforeAllowTraffic');
  cd.reportHookExecution({ deploymentId, lifecycleEventHookExecutionId: exec.executionId, status: 'Failed' });
  cd.completeLifecycleEvent(deploymentId, 'AllowTraffic', 'Skipped');
  cd.completeLifecycleEvent(deploymentId, 'AfterAllowTraffic', 'Skipped');
  cd.setDeploymentStatus(deploymentId, 'Failed', { code: 'HOOK_EXECUTION_FAILURE', message: 'hook failed' });
}

async function explain(world: World, deploymentId: string, extra: Record<string, unknown> = {}) {
  emulator = await startEmulator({ world });
  return explainDeployment(deploymentId, { endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1, ...extra });
}

describe('Function: explainDeployment on hand-built worlds', () => {
  it('without an AppSpec, reads the verdict lines of the hook functions given; the reported line wins over a retry', async () => {
    const { world, deploymentId } = lambdaWorld();
    failPreTraffic(world, deploymentId);
    world.logs.putLines('/aws/lambda/CodeDeployHook_pre', 's1', [verdictLine(deploymentId, 'Failed', false, 'first try: status 502')], Date.now() - 2000);
    world.logs.putLines('/aws/lambda/CodeDeployHook_pre', 's2', [verdictLine(deploymentId, 'Failed', true, 'status 500 from /health')], Date.now() - 1000);
    const story = await explain(world, deploymentId, { hookFunctions: ['arn:aws:lambda:us-east-1:123456789012:function:CodeDeployHook_pre'] });
    expect(story.hookSource).toBe('given');
    expect(story.gaps.map((g) => g.source)).toEqual(['GetDeployment revision']);
    expect(story.cause).toMatchObject({ kind: 'hook-failed', checkName: 'smoke' });
    const pre = story.events.find((e) => e.name === 'BeforeAllowTraffic')!;
    expect(pre.verdict).toMatchObject({ reported: true, otherLines: 1, logGroup: '/aws/lambda/CodeDeployHook_pre' });
    expect(story.failedCheck?.reason).toBe('status 500 from /health');
  });

  it('a verdict that never reached CodeDeploy is told as such, with the report error', async () => {
    const { world, deploymentId } = lambdaWorld();
    const cd = world.codeDeploy;
    const exec = cd.createHookExecution(deploymentId, 'BeforeAllowTraffic');
    cd.expireHookExecution(exec.executionId);
    cd.setDeploymentStatus(deploymentId, 'Failed', { code: 'TIMEOUT', message: 'timed out' });
    world.logs.putLines('/aws/lambda/CodeDeployHook_pre', 's', [verdictLine(deploymentId, 'Succeeded', false, 'all passed')]);
    const story = await explain(world, deploymentId, { hookFunctions: ['CodeDeployHook_pre'] });
    expect(story.cause.kind).toBe('hook-no-report');
    expect(story.cause.summary).toMatch(/its verdict was Succeeded but the report did not reach CodeDeploy \(AccessDeniedException: not allowed\)/);
  });

  it('an S3 revision is a gap that says to give the hooks', async () => {
    const { world, deploymentId } = lambdaWorld();
    failPreTraffic(world, deploymentId);
    world.codeDeploy.getDeployment(deploymentId).revision = { revisionType: 'S3', s3Location: { bucket: 'b', key: 'appspec.yaml', bundleType: 'YAML' } };
    const story = await explain(world, deploymentId);
    expect(story.hookSource).toBe('none');
    expect(story.gaps).toEqual([{ source: 'CodeDeploy GetApplicationRevision', message: expect.stringMatching(/S3 revision \(s3:\/\/b\/appspec\.yaml\).*--hook-function/) }]);
    expect(story.events.find((e) => e.name === 'BeforeAllowTraffic')?.missingVerdict).toMatch(/hook function of this event is unknown/);
    expect(story.advice.join('\n')).toMatch(/pass them with --hook-function/);
  });

  it('sources that fail (CloudWatch Logs, alarm history) become gaps; the story is still told', async () => {
    const { world, deploymentId } = lambdaWorld();
    failPreTraffic(world, deploymentId);
    emulator = await startEmulator({ world });
    emulator.faults.add({ service: 'logs', kind: '500' });
    emulator.faults.add({ service: 'cloudwatch', operation: 'DescribeAlarmHistory', kind: '503' });
    const story = await explainDeployment(deploymentId, { endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 1, hookFunctions: ['CodeDeployHook_pre'] });
    expect(story.gaps.map((g) => g.source)).toEqual(expect.arrayContaining(['CloudWatch Logs FilterLogEvents /aws/lambda/CodeDeployHook_pre', 'CloudWatch DescribeAlarmHistory errors']));
    expect(story.gaps.find((g) => g.source.startsWith('CloudWatch Logs'))?.message).toMatch(/ServiceUnavailableException/);
    expect(story.cause.kind).toBe('hook-no-report');
    expect(story.alarms).toEqual([expect.objectContaining({ name: 'errors', transitions: [], historyUnknown: true })]);
    expect(story.events.find((e) => e.name === 'BeforeAllowTraffic')?.missingVerdict).toBe('no verdict line for BeforeAllowTraffic found; /aws/lambda/CodeDeployHook_pre (could not be read)');
    const text = renderStory(story);
    expect(text).toMatch(/errors: INSUFFICIENT_DATA now; its state changes could not be read/);
    expect(text).toMatch(/Not known\n(?: {2}- .*\n)* {2}- CloudWatch Logs FilterLogEvents \/aws\/lambda\/CodeDeployHook_pre: .*ServiceUnavailableException/);
  });

  it('a deployment still running says which hook it waits for', async () => {
    const { world, deploymentId } = lambdaWorld();
    world.codeDeploy.createHookExecution(deploymentId, 'BeforeAllowTraffic');
    const story = await explain(world, deploymentId, { hookFunctions: ['CodeDeployHook_pre'] });
    expect(story.outcome).toBe('in-progress');
    expect(story.cause).toMatchObject({ kind: 'in-progress', lifecycleEvent: 'BeforeAllowTraffic' });
  });

  it('a rollback deployment points at the deployment it rolled back', async () => {
    const { world, deploymentId } = lambdaWorld();
    const cd = world.codeDeploy;
    const rollback = cd.createDeployment({
      applicationName: 'app', deploymentGroupName: 'group', creator: 'codeDeployRollback',
      rollbackInfo: { rollbackTriggeringDeploymentId: deploymentId, rollbackMessage: 'rolled back' },
      lambdaTarget: { functionName: 'fn', functionAlias: 'live', currentVersion: '4', targetVersion: '3' },
    });
    for (const e of ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic']) cd.completeLifecycleEvent(rollback.deploymentId, e, e === 'AllowTraffic' ? 'Succeeded' : 'Skipped');
    cd.setDeploymentStatus(rollback.deploymentId, 'Succeeded');
    const story = await explain(world, rollback.deploymentId);
    expect(story.rollback?.triggeringDeploymentId).toBe(deploymentId);
    expect(story.advice.join('\n')).toContain(`codedeploy-hooks explain ${deploymentId}`);
  });
});
