/**
 * The shipped templates give each ready hook exactly the permissions it uses.
 * Each hook runs in the emulator against a healthy built-in scenario; the API
 * calls it made, as IAM actions, must equal the actions its role grants in the
 * template. The emulator does not enforce IAM, so the resources are checked
 * against the template itself: the alarm reads name exactly the deployment
 * group's alarms (the only ones the ready hooks ask for), and only actions
 * without resource-level permissions are granted on "*".
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../src/doctor/index.js';
import { HOOK_ACTIONS } from '../../src/doctor/hook-actions.js';
import { runHook, type HookHandlerLike } from '../../src/testing/index.js';
import { handler as preTraffic } from '../../hooks/pre-traffic.js';
import { handler as postTraffic } from '../../hooks/post-traffic.js';
import { handler as ecsTestTraffic } from '../../hooks/ecs-test-traffic.js';
import { handler as ecsPostTraffic } from '../../hooks/ecs-post-traffic.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Each ready hook (by its esbuild entry point) and a healthy scenario at its lifecycle event. */
const READY_HOOKS: Record<string, { handler: HookHandlerLike; scenario: string; lifecycleEvent: string }> = {
  'hooks/pre-traffic.ts': { handler: preTraffic, scenario: 'lambda-canary-healthy', lifecycleEvent: 'BeforeAllowTraffic' },
  'hooks/post-traffic.ts': { handler: postTraffic, scenario: 'lambda-canary-healthy', lifecycleEvent: 'AfterAllowTraffic' },
  'hooks/ecs-test-traffic.ts': { handler: ecsTestTraffic, scenario: 'ecs-bluegreen-healthy', lifecycleEvent: 'AfterAllowTestTraffic' },
  'hooks/ecs-post-traffic.ts': { handler: ecsPostTraffic, scenario: 'ecs-bluegreen-healthy', lifecycleEvent: 'AfterAllowTraffic' },
};

/** The emulator records wire operations; IAM names two of them differently. */
function iamAction(service: string, operation: string): string {
  if (service === 'elbv2') return `elasticloadbalancing:${operation}`;
  if (service === 'lambda' && operation === 'Invoke') return 'lambda:InvokeFunction';
  return `${service}:${operation}`;
}

interface Grant {
  actions: string[];
  resources: unknown[];
}

const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function grantsOf(fn: any): Grant[] {
  return list(fn.Properties.Policies).flatMap((p: any) =>
    list(p.Statement).map((s: any) => ({ actions: list(s.Action) as string[], resources: list(s.Resource) })),
  );
}

/** The alarms the deployment shifting traffic gates on: SAM's DeploymentPreference, or the ECS deployment group. */
function groupAlarmIds(resources: Record<string, any>): string[] {
  const refs = Object.values(resources).flatMap((r: any) =>
    r.Type === 'AWS::CodeDeploy::DeploymentGroup'
      ? list(r.Properties.AlarmConfiguration?.Alarms).map((a: any) => a.Name)
      : list(r.Properties?.DeploymentPreference?.Alarms),
  );
  return refs.map((ref: any) => ref.Ref as string);
}

async function hooksOf(file: string) {
  const template = await readTemplate(join(root, file));
  const resources = template.root.Resources as Record<string, any>;
  const hooks = Object.entries(resources)
    .filter(([, r]) => READY_HOOKS[r.Metadata?.BuildProperties?.EntryPoints?.[0]])
    .map(([id, fn]) => ({ id, fn, ready: READY_HOOKS[fn.Metadata.BuildProperties.EntryPoints[0]]! }));
  return { resources, hooks };
}

describe.each(['template.yaml', 'examples/ecs/template.yaml'])('%s hook roles', (file) => {
  it('grant each ready hook exactly the actions it calls in the simulator', async () => {
    const { hooks } = await hooksOf(file);
    expect(hooks.length).toBe(2);
    for (const { id, fn, ready } of hooks) {
      const r = await runHook(ready.handler, { scenario: ready.scenario, lifecycleEvent: ready.lifecycleEvent });
      // Succeeded: every check ran to the end, so every call it can make on this path was made.
      expect(r.reportedStatus, `${id}: ${r.verdict?.reason}`).toBe('Succeeded');
      const called = [...new Set(r.world.requests.map((q) => iamAction(q.service, q.operation)))].sort();
      const granted = [...new Set(grantsOf(fn).flatMap((g) => g.actions))].sort();
      expect(granted, id).toEqual(called);
      // The doctor's list of the actions codedeploy-hooks calls (CDH011) knows every one of them.
      expect(called.filter((a) => !(a in HOOK_ACTIONS)), id).toEqual([]);
    }
  }, 60_000);

  it("read alarms on exactly the deployment group's alarm ARNs, and nothing the hooks could name besides", async () => {
    const { resources, hooks } = await hooksOf(file);
    const alarms = groupAlarmIds(resources);
    expect(alarms.length).toBeGreaterThan(0);
    for (const { id, fn } of hooks) {
      const reads = grantsOf(fn).filter((g) => g.actions.some((a) => a.startsWith('cloudwatch:DescribeAlarm')));
      expect(reads, id).toHaveLength(1);
      expect(reads[0]!.resources, id).toEqual(alarms.map((a) => ({ 'Fn::GetAtt': [a, 'Arn'] })));
      // The ready hooks read the group's alarms plus CODEDEPLOY_HOOKS_ALARM_NAMES; the templates add none.
      expect(fn.Properties.Environment?.Variables?.CODEDEPLOY_HOOKS_ALARM_NAMES, id).toBeUndefined();
    }
  });

  it('grant "*" only on actions that have no resource-level permissions', async () => {
    const { hooks } = await hooksOf(file);
    for (const { id, fn } of hooks) {
      const onStar = grantsOf(fn).filter((g) => g.resources.includes('*')).flatMap((g) => g.actions);
      expect(onStar.filter((a) => HOOK_ACTIONS[a] !== 'none'), id).toEqual([]);
    }
  });
});
