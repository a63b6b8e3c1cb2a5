/**
 * examples/durable/template.yaml: cfn-lint and the SAM translator accept it,
 * doctor finds nothing, and after the transform the durable hook has
 * DurableConfig within CodeDeploy's hour and least-privilege IAM: the starter
 * may invoke only the durable function's alias and report only to the group;
 * the durable function may checkpoint only its own executions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { diagnose, readTemplate } from '../../src/doctor/index.js';
import { cfnLint, samTranslate, type LintFinding, type Translation } from './tools.js';

const root = join(import.meta.dirname, '../..');
const FILE = 'examples/durable/template.yaml';
const inCi = process.env.CI === 'true';

function needTool(ctx: TestContext, missing: string | undefined): void {
  if (!missing) return;
  if (inCi) throw new Error(`${missing} (required when CI=true)`);
  ctx.skip(missing);
}

let lint: Awaited<ReturnType<typeof cfnLint>>;
let translated: Awaited<ReturnType<typeof samTranslate>>;

beforeAll(async () => {
  [lint, translated] = await Promise.all([cfnLint([join(root, FILE)]), samTranslate([join(root, FILE)])]);
}, 120_000);

function resourcesAfterTransform(ctx: TestContext): Record<string, any> {
  needTool(ctx, 'missing' in translated ? translated.missing : undefined);
  if ('failure' in translated) throw new Error(translated.failure);
  const result = (translated as { results: Record<string, Translation> }).results[join(root, FILE)]!;
  if ('error' in result) throw new Error(result.error);
  return result.template.Resources as Record<string, any>;
}

const statements = (policies: any[]): any[] => policies.flatMap((p: any) => p.PolicyDocument.Statement);
const grants = (list: any[], action: string): any[] => list.filter((s) => [s.Action].flat().includes(action));
const GROUP_ARN = { 'Fn::Sub': 'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${ServerlessDeploymentApplication}/${AppFunctionDeploymentGroup}' };

describe(FILE, () => {
  it('passes cfn-lint', (ctx) => {
    needTool(ctx, 'missing' in lint ? lint.missing : undefined);
    if ('failure' in lint) throw new Error(lint.failure);
    const findings = (lint as { findings: LintFinding[] }).findings.map((f) => `${f.Rule.Id} line ${f.Location.Start.LineNumber}: ${f.Message}`);
    expect(findings).toEqual([]);
  });

  it('is clean under codedeploy-hooks doctor', async () => {
    expect(diagnose(await readTemplate(join(root, FILE)))).toEqual([]);
  });

  it('translates; the durable function has DurableConfig within the hour and is published under an alias', (ctx) => {
    const r = resourcesAfterTransform(ctx);
    expect(r.BakeHook.Properties.DurableConfig).toEqual({ ExecutionTimeout: 3600, RetentionPeriodInDays: 7 });
    expect(r.BakeHookAliaslive.Type).toBe('AWS::Lambda::Alias');
    // CodeDeploy invokes the plain starter, never the durable function.
    const alias = Object.values(r).find((x: any) => x.Type === 'AWS::Lambda::Alias' && x.UpdatePolicy) as any;
    expect(alias.UpdatePolicy.CodeDeployLambdaAliasUpdate.AfterAllowTrafficHook).toEqual({ Ref: 'StartBakeHook' });
  });

  it('the starter starts only the alias (qualified) and reports only to the group', (ctx) => {
    const r = resourcesAfterTransform(ctx);
    expect(r.StartBakeHook.Properties.Environment.Variables.CODEDEPLOY_HOOKS_DURABLE_FUNCTION).toEqual({ Ref: 'BakeHookAliaslive' });
    const list = statements(r.StartBakeHookRole.Properties.Policies);
    expect(grants(list, 'lambda:InvokeFunction').map((s) => s.Resource)).toEqual([{ Ref: 'BakeHookAliaslive' }]);
    expect(grants(list, 'codedeploy:PutLifecycleEventHookExecutionStatus').map((s) => s.Resource)).toEqual([GROUP_ARN]);
    expect(list.flatMap((s) => [s.Action].flat()).sort()).toEqual(['codedeploy:PutLifecycleEventHookExecutionStatus', 'lambda:InvokeFunction']);
  });

  it('the durable function checkpoints only its own executions (qualified ARN pattern), reads and reports only on the group', (ctx) => {
    const r = resourcesAfterTransform(ctx);
    expect(r.BakeHook.Properties.Role).toEqual({ 'Fn::GetAtt': ['BakeHookRole', 'Arn'] });
    // Not SAM's AWSLambdaBasicDurableExecutionRolePolicy, whose checkpoint grant is not scoped to this function.
    expect(JSON.stringify(r.BakeHookRole.Properties.ManagedPolicyArns)).not.toContain('Durable');
    const list = statements(r.BakeHookRole.Properties.Policies);
    for (const action of ['lambda:CheckpointDurableExecution', 'lambda:GetDurableExecutionState']) {
      const [s, ...rest] = grants(list, action);
      expect(rest).toEqual([]);
      expect(s.Resource['Fn::Sub'][0]).toMatch(/:function:CodeDeployHookBake-\$\{StackUuid\}:\*$/);
    }
    expect(r.BakeHook.Properties.FunctionName['Fn::Join'][1][0]).toBe('CodeDeployHookBake-');
    for (const action of ['codedeploy:PutLifecycleEventHookExecutionStatus', 'codedeploy:GetDeployment', 'codedeploy:GetDeploymentTarget']) {
      expect(grants(list, action).map((s) => s.Resource)).toEqual([GROUP_ARN]);
    }
  });

  it('points each esbuild function at an entry point that exports its handler', async () => {
    const template = await readTemplate(join(root, FILE));
    for (const id of ['StartBakeHook', 'BakeHook']) {
      const r = (template.root.Resources as Record<string, any>)[id];
      const entry = join(root, dirname(FILE), r.Properties.CodeUri, r.Metadata.BuildProperties.EntryPoints[0]);
      expect(existsSync(entry), entry).toBe(true);
      expect(readFileSync(entry, 'utf8')).toMatch(/export const handler\b/);
      expect(r.Properties.Handler).toBe(`${entry.split('/').pop()!.replace('.ts', '')}.handler`);
    }
  });
});
