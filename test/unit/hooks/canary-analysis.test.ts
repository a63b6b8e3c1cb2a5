/**
 * The canary analyzer against mocked AWS clients: which deployments it judges,
 * and the CanaryVerdict it publishes for the alarm in the deployment group.
 */
import { CloudWatchClient, GetMetricDataCommand, PutMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, GetDeploymentCommand, GetDeploymentTargetCommand, ListDeploymentsCommand, ListDeploymentTargetsCommand } from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeCanaries } from '../../../hooks/checks/canary-analysis.js';
import { canaryAnalysisConfig } from '../../../hooks/canary-analysis.js';
import { OptionsError } from '../../../src/errors.js';

const cd = mockClient(CodeDeployClient);
const cw = mockClient(CloudWatchClient);
afterEach(() => {
  cd.reset();
  cw.reset();
});

const ENV = { CODEDEPLOY_HOOKS_APPLICATION: 'app', CODEDEPLOY_HOOKS_DEPLOYMENT_GROUP: 'group' };

function deployment(opts: { weight: number; creator?: string }) {
  cd.on(ListDeploymentsCommand).resolves({ deployments: ['d-1'] });
  cd.on(GetDeploymentCommand).resolves({
    deploymentInfo: { deploymentId: 'd-1', computePlatform: 'Lambda', creator: (opts.creator ?? 'user') as 'user', createTime: new Date(Date.now() - 300_000), applicationName: 'app', deploymentGroupName: 'group' },
  });
  cd.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['my-fn'] });
  cd.on(GetDeploymentTargetCommand).resolves({
    deploymentTarget: {
      deploymentTargetType: 'LambdaTarget',
      lambdaTarget: { lambdaFunctionInfo: { functionName: 'my-fn', functionAlias: 'live', currentVersion: '1', targetVersion: '2', targetVersionWeight: opts.weight } },
    },
  });
}

/** Five minutes of canary: the old version serves 540 requests a minute, the new one 60 with `errorsNew` errors in all. */
function metrics(errorsNew: number) {
  const values: Record<string, number[]> = { err_base: [1, 1, 1, 1, 1], req_base: [540, 540, 540, 540, 540], err_new: [errorsNew, 0, 0, 0, 0], req_new: [60, 60, 60, 60, 60] };
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
      const v = values[q.Id as string] ?? (q.Id!.startsWith('lat') ? [100, 100, 100, 100, 100] : [0, 0, 0, 0, 0]);
      return { Id: q.Id, Values: v, Timestamps: v.map((_, i) => new Date(Date.now() - (5 - i) * 60_000)), StatusCode: 'Complete' };
    }),
  }));
  cw.on(PutMetricDataCommand).resolves({});
}

const run = (env: Record<string, string> = {}) =>
  analyzeCanaries(canaryAnalysisConfig({ ...ENV, ...env }), { codeDeploy: new CodeDeployClient({ region: 'us-east-1' }), cloudWatch: new CloudWatchClient({ region: 'us-east-1' }) }, Date.now() + 30_000);

const published = () => cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);

describe('canary analyzer', () => {
  it('publishes CanaryVerdict 1 for a new version worse than the old one, during the canary', async () => {
    deployment({ weight: 10 });
    metrics(60);
    const [v] = await run();
    expect(v).toMatchObject({ deploymentId: 'd-1', target: 'my-fn', verdict: 1 });
    expect(v!.reason).toMatch(/version 2 error rate 20% \(60\/300\) vs 0.19% \(5\/2700\) on version 1: worse/);
    expect(published()).toEqual([{ Namespace: 'CodeDeployHooks', MetricData: [{ MetricName: 'CanaryVerdict', Dimensions: [{ Name: 'Target', Value: 'my-fn' }], Value: 1, Unit: 'Count' }] }]);
    expect(cd.commandCalls(ListDeploymentsCommand)[0]!.args[0].input).toEqual({ applicationName: 'app', deploymentGroupName: 'group', includeOnlyStatuses: ['InProgress'] });
  });

  it('publishes 0 for a healthy new version (identical versions: no false rollback)', async () => {
    deployment({ weight: 10 });
    metrics(0);
    expect((await run())[0]).toMatchObject({ verdict: 0 });
    expect(published()[0]!.MetricData![0]!.Value).toBe(0);
  });

  it('observe mode logs the verdict but never publishes 1', async () => {
    deployment({ weight: 10 });
    metrics(60);
    expect((await run({ CODEDEPLOY_HOOKS_COMPARE: 'observe' }))[0]).toMatchObject({ verdict: 0, reason: expect.stringMatching(/worse/) });
    expect(published()[0]!.MetricData![0]!.Value).toBe(0);
  });

  it('judges nothing before the new version has traffic, nor rollbacks, nor when disabled', async () => {
    deployment({ weight: 0 });
    metrics(60);
    expect(await run()).toEqual([{ deploymentId: 'd-1', target: 'my-fn', reason: 'the new version has no production traffic yet; nothing to judge' }]);
    cd.reset();
    deployment({ weight: 10, creator: 'codeDeployRollback' });
    expect(await run()).toEqual([]);
    expect(await run({ CODEDEPLOY_HOOKS_COMPARE: 'disabled' })).toEqual([]);
    expect(published()).toEqual([]);
  });

  it('refuses to start without its deployment group', () => {
    expect(() => canaryAnalysisConfig({ CODEDEPLOY_HOOKS_APPLICATION: 'app' })).toThrow(OptionsError);
    expect(() => canaryAnalysisConfig({ CODEDEPLOY_HOOKS_APPLICATION: 'app' })).toThrow(/CODEDEPLOY_HOOKS_DEPLOYMENT_GROUP: is required/);
  });
});
