/**
 * examples/ecs-native/template.yaml: a service deployed by ECS itself
 * (BLUE_GREEN, or CANARY by parameter) whose lifecycle hooks are the ready
 * ECS-native hooks; the role ECS assumes may invoke only those functions, the
 * hooks may only describe this service's deployments and read what they
 * measure; and cfn-lint 1.51 (whose schema predates TargetType,
 * TimeoutConfiguration and PRE_PRODUCTION_TRAFFIC_SHIFT) accepts it.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../src/doctor/index.js';
import { cfnLint, type LintFinding } from '../template/tools.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const FILE = join(root, 'examples/ecs-native/template.yaml');
const load = async () => (await readTemplate(FILE)).root as Record<string, any>;
const HOOKS = { TestTrafficHook: 'hooks/ecs-native-test-traffic.ts', ProductionBakeHook: 'hooks/ecs-native-production-bake.ts' };
const statements = (fn: any): any[] => fn.Properties.Policies.flatMap((p: any) => p.Statement);

describe('examples/ecs-native/template.yaml', () => {
  it('passes cfn-lint', async (ctx) => {
    const lint = await cfnLint([FILE]);
    if ('missing' in lint) {
      if (process.env.CI === 'true') throw new Error(`${lint.missing} (required when CI=true)`);
      ctx.skip(lint.missing);
    }
    if ('failure' in lint) throw new Error(lint.failure);
    expect((lint as { findings: LintFinding[] }).findings.map((f) => `${f.Rule.Id} line ${f.Location.Start.LineNumber}: ${f.Message}`)).toEqual([]);
  }, 120_000);

  it('deploys with the ECS controller, BLUE_GREEN by default and CANARY as the variant, rolling back on its alarm', async () => {
    const { Parameters, Conditions, Resources } = await load();
    expect(Parameters.Strategy).toMatchObject({ Default: 'BLUE_GREEN', AllowedValues: ['BLUE_GREEN', 'CANARY'] });
    expect(Conditions.IsCanary).toEqual({ 'Fn::Equals': [{ Ref: 'Strategy' }, 'CANARY'] });
    const service = Resources.Service.Properties;
    expect(service.DeploymentController).toEqual({ Type: 'ECS' });
    const config = service.DeploymentConfiguration;
    expect(config.Strategy).toEqual({ Ref: 'Strategy' });
    expect(config.CanaryConfiguration['Fn::If'][0]).toBe('IsCanary');
    expect(config.Alarms).toEqual({ AlarmNames: [{ Ref: 'Target5xxAlarm' }], Enable: true, Rollback: true });
    const lb = service.LoadBalancers[0].AdvancedConfiguration;
    expect(lb).toMatchObject({ AlternateTargetGroupArn: { Ref: 'GreenTargetGroup' }, ProductionListenerRule: { Ref: 'ProductionListenerRule' }, TestListenerRule: { Ref: 'TestListenerRule' } });
  });

  it('hooks the ready hooks at their stages, using only fields both cfn-lint generations know', async () => {
    const { Resources } = await load();
    const hooks = Resources.Service.Properties.DeploymentConfiguration.LifecycleHooks as any[];
    expect(hooks.map((h) => h.HookTargetArn['Fn::GetAtt'][0])).toEqual(Object.keys(HOOKS));
    for (const [id, entry] of Object.entries(HOOKS)) expect(Resources[id].Metadata.BuildProperties.EntryPoints).toEqual([entry]);
    expect(hooks[0].LifecycleStages).toEqual(['POST_TEST_TRAFFIC_SHIFT']);
    expect(hooks[1].LifecycleStages['Fn::If']).toEqual(['IsCanary', ['PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'], ['POST_PRODUCTION_TRAFFIC_SHIFT']]);
    for (const hook of hooks) {
      expect(Object.keys(hook).sort()).toEqual(['HookTargetArn', 'LifecycleStages', 'RoleArn']);
      expect(hook.RoleArn).toEqual({ 'Fn::GetAtt': ['HookInvokeRole', 'Arn'] });
    }
    expect(JSON.stringify(Resources.Service)).not.toContain('PRE_PRODUCTION_TRAFFIC_SHIFT');
  });

  it('lets ECS assume the invoke role, which may invoke only the hook functions', async () => {
    const { Resources } = await load();
    const role = Resources.HookInvokeRole.Properties;
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(role.ManagedPolicyArns).toBeUndefined();
    const granted = role.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    expect(granted).toHaveLength(1);
    expect(granted[0].Action).toBe('lambda:InvokeFunction');
    const resources = JSON.stringify(granted[0].Resource);
    for (const id of Object.keys(HOOKS)) expect(resources).toContain(id);
    expect(resources).not.toMatch(/function:\*|"\*"/);
  });

  it.each(Object.keys(HOOKS))('%s may only describe this service and read what it measures', async (id) => {
    const { Resources } = await load();
    const list = statements(Resources[id]);
    const actions = list.flatMap((s) => [s.Action].flat());
    // Read-only: no ECS, ELB or CloudWatch write, and nothing of CodeDeploy.
    expect(actions.filter((a: string) => !/^(ecs:Describe|elasticloadbalancing:Describe|cloudwatch:(Describe|GetMetricData))/.test(a))).toEqual([]);
    const ecs = list.find((s) => [s.Action].flat().some((a: string) => a.startsWith('ecs:')));
    const scoped = (ecs.Resource as any[]).map((r) => r['Fn::Sub']);
    expect(scoped).toEqual([
      expect.stringMatching(/:service\/\$\{Cluster\}\/\$\{AWS::StackName\}-web$/),
      expect.stringMatching(/:service-deployment\/\$\{Cluster\}\/\$\{AWS::StackName\}-web\/\*$/),
      expect.stringMatching(/:service-revision\/\$\{Cluster\}\/\$\{AWS::StackName\}-web\/\*$/),
    ]);
    expect(Resources.Service.Properties.ServiceName).toEqual({ 'Fn::Sub': '${AWS::StackName}-web' });
    const alarms = list.find((s) => [s.Action].flat().includes('cloudwatch:DescribeAlarms'));
    expect(alarms.Resource).toEqual({ 'Fn::GetAtt': ['Target5xxAlarm', 'Arn'] });
  });
});
