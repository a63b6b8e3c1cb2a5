/**
 * Every deployable template in the repo passes cfn-lint, translates with the
 * SAM translator, validates against the SAM JSON schema, and is clean under
 * `codedeploy-hooks doctor`. The shipped template's IAM is checked after the
 * transform, where the generated roles can be seen.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ValidateFunction } from 'ajv-draft-04';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { diagnose, readTemplate } from '../../src/doctor/index.js';
import { cfnLint, samTranslate, type LintFinding, type Translation } from './tools.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
// Relative to the repository: the schema is shared by the workspace, next to the repo,
// so a fresh clone elsewhere has no schema: these tests then skip (required under CI=true).
const SCHEMA = '../shared/schemas/sam.schema.json';

const TEMPLATES = [
  'template.yaml',
  'examples/ecs/template.yaml',
  'examples/ecs-native/template.yaml',
  'test/fixtures/templates/clean-sam-prefixed.yaml',
  'test/fixtures/templates/clean-sam-custom-role.yaml',
  'test/fixtures/templates/clean-cfn-alias.json',
  'test/fixtures/templates/clean-ecs-codedeploy.yaml',
  'test/fixtures/templates/clean-ecs-native.yaml',
];

/** A broken template every tool must reject: proves the checks above are not vacuous. */
const CONTROL = 'test/fixtures/templates/cdh007-no-auto-publish-alias.yaml';

const inCi = process.env.CI === 'true';
const isSam = (file: string): boolean => readFileSync(join(root, file), 'utf8').includes('AWS::Serverless-2016-10-31');

/** Skip with the install hint locally; fail in CI. */
function needTool(ctx: TestContext, missing: string | undefined): void {
  if (!missing) return;
  if (inCi) throw new Error(`${missing} (required when CI=true)`);
  ctx.skip(missing);
}

let lint: Awaited<ReturnType<typeof cfnLint>>;
let translated: Awaited<ReturnType<typeof samTranslate>>;

beforeAll(async () => {
  const files = [...TEMPLATES, CONTROL].map((f) => join(root, f));
  [lint, translated] = await Promise.all([cfnLint(files), samTranslate(files.filter((f) => isSam(relative(root, f))))]);
}, 120_000);

function translation(ctx: TestContext, file: string): Translation {
  needTool(ctx, 'missing' in translated ? translated.missing : undefined);
  if ('failure' in translated) throw new Error(translated.failure);
  const result = (translated as { results: Record<string, Translation> }).results[join(root, file)];
  if (!result) throw new Error(`no translation for ${file}`);
  return result;
}

function lintFindings(ctx: TestContext, file: string): string[] {
  needTool(ctx, 'missing' in lint ? lint.missing : undefined);
  if ('failure' in lint) throw new Error(lint.failure);
  const mine = (lint as { findings: LintFinding[] }).findings.filter((f) => relative(root, f.Filename) === file || f.Filename === join(root, file));
  return mine.map((f) => `${f.Rule.Id} line ${f.Location.Start.LineNumber}: ${f.Message}`);
}

// ajv-draft-04 is CommonJS: under NodeNext its default import is the module, whose `default` is the class.
const Ajv = AjvModule.default;
let compiled: ValidateFunction | undefined;
function schemaValidator(ctx: TestContext): ValidateFunction {
  const schemaPath = join(root, SCHEMA);
  if (!existsSync(schemaPath)) needTool(ctx, `the SAM JSON schema: put the workspace's shared/ folder beside the repository (${SCHEMA} was not found)`);
  compiled ??= new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
  return compiled;
}

describe('control: a broken template', () => {
  it('is rejected by cfn-lint, the translator and the schema', async (ctx) => {
    expect(lintFindings(ctx, CONTROL).join('\n')).toContain('AutoPublishAlias');
    const result = translation(ctx, CONTROL);
    expect('error' in result ? result.error : '').toContain('AutoPublishAlias');
    const misspelled = await readTemplate(join(root, 'test/fixtures/templates/cdh006-misspelled-preference.yaml'));
    expect(schemaValidator(ctx)(misspelled.root)).toBe(false);
  });
});

describe.each(TEMPLATES)('%s', (file) => {
  it('passes cfn-lint', (ctx) => {
    expect(lintFindings(ctx, file)).toEqual([]);
  });

  // Plain CloudFormation templates have nothing to translate.
  if (isSam(file)) {
    it('translates with the SAM translator', (ctx) => {
      const result = translation(ctx, file);
      expect('error' in result ? result.error : undefined).toBeUndefined();
    });
  }

  it(`validates against ${SCHEMA}`, async (ctx) => {
    const validate = schemaValidator(ctx);
    const template = await readTemplate(join(root, file));
    const ok = validate(template.root);
    expect(ok ? [] : validate.errors?.slice(0, 5).map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
  });

  it('is clean under codedeploy-hooks doctor', async () => {
    const findings = diagnose(await readTemplate(join(root, file)));
    expect(findings.map((f) => `${f.rule} ${f.resource}: ${f.message}`)).toEqual([]);
  });
});

/** A template's resources after the SAM transform, where the generated roles can be seen. */
const transformed = (ctx: TestContext, file: string): Record<string, any> => {
  const result = translation(ctx, file);
  if ('error' in result) throw new Error(result.error);
  return result.template.Resources as Record<string, any>;
};
const statements = (resources: Record<string, any>, roleId: string): any[] =>
  resources[roleId].Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
const grants = (list: any[], action: string): any[] => list.filter((s) => [s.Action].flat().includes(action));

describe('template.yaml after the SAM transform', () => {
  const load = (ctx: TestContext): Record<string, any> => transformed(ctx, 'template.yaml');

  it.for(['PreTrafficHookRole', 'PostTrafficHookRole'])('%s reports and reads only on the deployment group ARN', (role, ctx) => {
    const list = statements(load(ctx), role);
    for (const action of ['codedeploy:PutLifecycleEventHookExecutionStatus', 'codedeploy:GetDeployment', 'codedeploy:GetDeploymentTarget']) {
      const [s, ...rest] = grants(list, action);
      expect(rest).toEqual([]);
      expect(s.Resource).toEqual({
        'Fn::Sub': 'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${ServerlessDeploymentApplication}/${AppFunctionDeploymentGroup}',
      });
    }
  });

  it('PreTrafficHookRole may invoke AppFunction and its qualified ARNs, nothing else', (ctx) => {
    const [s, ...rest] = grants(statements(load(ctx), 'PreTrafficHookRole'), 'lambda:InvokeFunction');
    expect(rest).toEqual([]);
    expect(s.Resource).toEqual([{ 'Fn::GetAtt': ['AppFunction', 'Arn'] }, { 'Fn::Sub': '${AppFunction.Arn}:*' }]);
  });

  it('wires the hooks into the alias update policy, with stack-unique CodeDeployHook_ names under 64 characters', (ctx) => {
    const resources = load(ctx);
    const alias = Object.values(resources).find((r: any) => r.Type === 'AWS::Lambda::Alias') as any;
    expect(alias.UpdatePolicy.CodeDeployLambdaAliasUpdate).toMatchObject({
      BeforeAllowTrafficHook: { Ref: 'PreTrafficHook' },
      AfterAllowTrafficHook: { Ref: 'PostTrafficHook' },
    });
    for (const id of ['PreTrafficHook', 'PostTrafficHook']) {
      const [, [prefix, uuid]] = resources[id].Properties.FunctionName['Fn::Join'];
      expect(prefix).toMatch(/^CodeDeployHook_/);
      expect(uuid).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] });
      expect(prefix.length + 36).toBeLessThanOrEqual(64);
      expect(resources[id].Properties.Runtime).toBe('nodejs24.x');
    }
    // The hooks are not traffic-shifted themselves: only AppFunction has a deployment group.
    const groups = Object.keys(resources).filter((k) => resources[k].Type === 'AWS::CodeDeploy::DeploymentGroup');
    expect(groups).toEqual(['AppFunctionDeploymentGroup']);
  });

  it('gates the deployment on alarms scoped to the new version, a rate (not a count) of errors, and the canary verdict', (ctx) => {
    const resources = load(ctx);
    const group = resources.AppFunctionDeploymentGroup.Properties;
    expect(group.AlarmConfiguration.Alarms).toEqual([
      { Name: { Ref: 'AppNewVersionErrorRateAlarm' } },
      { Name: { Ref: 'AppNewVersionLatencyAlarm' } },
      { Name: { Ref: 'AppCanaryVerdictAlarm' } },
    ]);
    const dimsOf = (list: any[]) => Object.fromEntries(list.map((d: any) => [d.Name, d.Value]));
    const rate = resources.AppNewVersionErrorRateAlarm.Properties;
    const lambdaMetrics = rate.Metrics.filter((m: any) => m.MetricStat?.Metric.Namespace === 'AWS/Lambda');
    expect(lambdaMetrics.map((m: any) => m.MetricStat.Metric.MetricName)).toEqual(['Errors', 'Invocations']);
    for (const dims of [dimsOf(resources.AppNewVersionLatencyAlarm.Properties.Dimensions), ...lambdaMetrics.map((m: any) => dimsOf(m.MetricStat.Metric.Dimensions))]) {
      expect(dims.Resource).toEqual({ 'Fn::Sub': '${AppFunction}:live' });
      expect(dims.ExecutedVersion['Fn::GetAtt'][1]).toBe('Version');
    }
    expect(rate.Metrics.find((m: any) => m.ReturnData).Expression).toBe('(FILL(errNew, 0) + FILL(fiveNew, 0)) / (invNew + 20)');
    expect(rate.Threshold).toBe(0.1);
    expect(resources.AppNewVersionLatencyAlarm.Properties.ExtendedStatistic).toBe('p99');
    expect(resources.AppCanaryVerdictAlarm.Properties).toMatchObject({ Namespace: 'CodeDeployHooks', MetricName: 'CanaryVerdict', Statistic: 'Maximum', Threshold: 1 });
  });

  it('CanaryAnalyzerRole reads only its deployment group and publishes only to the CodeDeployHooks namespace', (ctx) => {
    const resources = load(ctx);
    const list = statements(resources, 'CanaryAnalyzerRole');
    for (const action of ['codedeploy:ListDeployments', 'codedeploy:GetDeployment', 'codedeploy:GetDeploymentTarget']) {
      const [s, ...rest] = grants(list, action);
      expect(rest).toEqual([]);
      expect(s.Resource['Fn::Sub']).toMatch(/:deploymentgroup:\$\{ServerlessDeploymentApplication\}\/\$\{AppFunctionDeploymentGroup\}$/);
    }
    const [put] = grants(list, 'cloudwatch:PutMetricData');
    expect(put.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'CodeDeployHooks' } });
    expect(grants(list, 'codedeploy:PutLifecycleEventHookExecutionStatus')).toEqual([]);
    expect(grants(list, 'codedeploy:StopDeployment')).toEqual([]);
    const schedule = Object.values(resources).find((r: any) => r.Type === 'AWS::Events::Rule') as any;
    expect(schedule.Properties.ScheduleExpression).toBe('rate(1 minute)');
  });
});

describe('examples/ecs/template.yaml after the SAM transform', () => {
  const GROUP_ARN = /:deploymentgroup:\$\{CodeDeployApplication\}\/\$\{DeploymentGroup\}$/;

  it('CanaryAnalyzerRole reads only its deployment group, finds the target groups, and publishes only to the CodeDeployHooks namespace', (ctx) => {
    const resources = transformed(ctx, 'examples/ecs/template.yaml');
    const list = statements(resources, 'CanaryAnalyzerRole');
    for (const action of ['codedeploy:ListDeployments', 'codedeploy:GetDeployment', 'codedeploy:ListDeploymentTargets', 'codedeploy:GetDeploymentTarget']) {
      const [s, ...rest] = grants(list, action);
      expect(rest).toEqual([]);
      expect(s.Resource['Fn::Sub']).toMatch(GROUP_ARN);
    }
    // compareVersions resolves green and blue by target group name: their ARNs give the metric dimensions.
    expect(grants(list, 'elasticloadbalancing:DescribeTargetGroups')).toHaveLength(1);
    const [put] = grants(list, 'cloudwatch:PutMetricData');
    expect(put.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': 'CodeDeployHooks' } });
    for (const never of ['codedeploy:PutLifecycleEventHookExecutionStatus', 'codedeploy:StopDeployment', 'cloudwatch:PutMetricAlarm']) expect(grants(list, never)).toEqual([]);
    expect(list.flatMap((s) => [s.Action].flat()).every((a: string) => !a.endsWith('*'))).toBe(true);
    const env = resources.CanaryAnalyzer.Properties.Environment.Variables;
    expect(env).toMatchObject({ CODEDEPLOY_HOOKS_APPLICATION: { Ref: 'CodeDeployApplication' }, CODEDEPLOY_HOOKS_DEPLOYMENT_GROUP: { Ref: 'DeploymentGroup' } });
    const schedule = Object.values(resources).find((r: any) => r.Type === 'AWS::Events::Rule') as any;
    expect(schedule.Properties.ScheduleExpression).toBe('rate(1 minute)');
    expect(schedule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': ['CanaryAnalyzer', 'Arn'] } })]);
  });

  it('stops the deployment on the canary verdict of <cluster>/<service> during a canary, and the hooks may read that alarm', (ctx) => {
    const resources = transformed(ctx, 'examples/ecs/template.yaml');
    const group = resources.DeploymentGroup.Properties;
    expect(group.AlarmConfiguration.Alarms).toEqual([{ Name: { Ref: 'Target5xxAlarm' } }, { Name: { Ref: 'CanaryVerdictAlarm' } }]);
    expect(group.AutoRollbackConfiguration.Events).toContain('DEPLOYMENT_STOP_ON_ALARM');
    const verdict = resources.CanaryVerdictAlarm.Properties;
    expect(verdict).toMatchObject({ Namespace: 'CodeDeployHooks', MetricName: 'CanaryVerdict', Statistic: 'Maximum', Threshold: 1, TreatMissingData: 'notBreaching' });
    // hooks/checks/canary-analysis.ts names an ECS deployment by its target id, <cluster>:<service>, as cluster/service.
    expect(verdict.Dimensions).toEqual([{ Name: 'Target', Value: { 'Fn::Sub': '${Cluster}/${Service.Name}' } }]);
    expect(resources.Service.Properties.Cluster).toEqual({ Ref: 'Cluster' });
    // A canary window for the analyzer to guard, unless the deployer chooses all at once.
    expect(group.DeploymentConfigName).toEqual({ Ref: 'DeploymentConfigName' });
    for (const role of ['EcsTestTrafficHookRole', 'EcsPostTrafficHookRole']) {
      const [read] = grants(statements(resources, role), 'cloudwatch:DescribeAlarms');
      expect(read.Resource, role).toEqual([{ 'Fn::GetAtt': ['Target5xxAlarm', 'Arn'] }, { 'Fn::GetAtt': ['CanaryVerdictAlarm', 'Arn'] }]);
    }
  });
});

describe('examples/ecs/template.yaml parameters', () => {
  it('deploys with a 10 %, 5-minute canary by default, any predefined ECS config allowed', async () => {
    const template = await readTemplate(join(root, 'examples/ecs/template.yaml'));
    const param = (template.root.Parameters as Record<string, any>).DeploymentConfigName;
    expect(param.Default).toBe('CodeDeployDefault.ECSCanary10Percent5Minutes');
    expect(param.AllowedValues).toContain('CodeDeployDefault.ECSAllAtOnce');
  });
});

describe.each(['template.yaml', 'examples/ecs/template.yaml'])('%s esbuild wiring', (file) => {
  it('points every esbuild function at an existing entry point whose bundle name matches its Handler', async () => {
    const template = await readTemplate(join(root, file));
    const resources = template.root.Resources as Record<string, any>;
    const built = Object.entries(resources).filter(([, r]) => r.Metadata?.BuildMethod === 'esbuild');
    expect(built.length).toBeGreaterThanOrEqual(2);
    for (const [id, r] of built) {
      const props = r.Properties;
      const build = r.Metadata.BuildProperties;
      expect(build.Format, id).toBe('esm');
      expect(build.OutExtension, id).toEqual(['.js=.mjs']);
      expect(build.EntryPoints, id).toHaveLength(1);
      const entry = join(root, dirname(file), props.CodeUri, build.EntryPoints[0]);
      expect(existsSync(entry), `${id}: ${relative(root, entry)} exists`).toBe(true);
      const [module, exported] = String(props.Handler).split('.');
      expect(module, id).toBe(basename(entry, '.ts'));
      expect(readFileSync(entry, 'utf8'), `${id}: ${relative(root, entry)} exports ${exported}`).toMatch(new RegExp(`export (const|async function|function) ${exported}\\b`));
    }
  });
});
