/**
 * Fuzz: the doctor's template reader and rules. Arbitrary text, arbitrary
 * object trees (as JSON and as YAML) and the fixture templates with one value
 * changed either give well-formed findings or a TemplateError naming the file
 * — never another exception, and never a hang. Each run goes to a child
 * process (fuzz-child.ts, via bounded-runner.ts) and is bounded in wall-clock time: a run that does
 * not answer within PER_RUN_MS is killed and fails the property with its input.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseTemplate } from '../../src/doctor/index.js';
import { BoundedRunner } from './bounded-runner.js';
import { FUZZ_RUNS } from './runs.js';

/** `npm run fuzz` runs 10,000 cases per property: give each property time in proportion. */
const FUZZ_TIMEOUT_MS = Math.max(30_000, FUZZ_RUNS * 40);

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = resolve(here, '../fixtures/templates');
const FILE = 'fuzz-template.yaml';
/** One template of a few KiB must be read and diagnosed well within this. */
const PER_RUN_MS = 3000;

const runner = new BoundedRunner(PER_RUN_MS);
beforeAll(async () => {
  await runner.run('doctor', 'Resources: {}', FILE); // start the child outside any test's budget
}, 30_000);
afterAll(() => runner.close());

/** Fails (with the input) unless the answer is well-formed findings or a TemplateError. */
async function check(text: string): Promise<void> {
  const answer = await runner.run('doctor', text, FILE);
  if (answer === 'timeout') throw new Error(`the doctor did not finish within ${PER_RUN_MS} ms on:\n${text.slice(0, 800)}`);
  if (answer.kind === 'crash') throw new Error(`the doctor threw ${answer.name} while ${answer.stage}: ${answer.message}\n--- input ---\n${text.slice(0, 800)}`);
  if (answer.kind === 'scenario') throw new Error('unexpected scenario answer');
  if (answer.kind === 'expected-error') {
    expect(answer.name).toBe('TemplateError');
    expect(answer.file).toBe(FILE);
    expect(answer.message).toContain(FILE);
    return;
  }
  for (const f of answer.findings as Record<string, unknown>[]) {
    expect(typeof f.rule).toBe('string');
    expect(['error', 'warning']).toContain(f.severity);
    expect(typeof f.resource).toBe('string');
    expect(Number.isInteger(f.line) && (f.line as number) >= 1).toBe(true);
    expect(typeof f.message === 'string' && f.message !== '').toBe(true);
    expect(typeof f.fix === 'string' && f.fix !== '').toBe(true);
  }
}

const fixtureTexts = readdirSync(FIXTURES)
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .map((f) => readFileSync(join(FIXTURES, f), 'utf8'));
/** Fixture templates in long form (as the reader produced them), to break one value at a time. */
const fixtureTrees = fixtureTexts.map((t) => parseTemplate(t, 'fixture').root);

const RESOURCE_TYPES = [
  'AWS::Serverless::Function', 'AWS::Lambda::Function', 'AWS::Lambda::Alias', 'AWS::IAM::Role', 'AWS::IAM::Policy',
  'AWS::IAM::RolePolicy', 'AWS::IAM::ManagedPolicy', 'AWS::CloudWatch::Alarm', 'AWS::CodeDeploy::DeploymentGroup',
  'AWS::CodeDeploy::Application', 'AWS::CodeDeploy::DeploymentConfig', 'AWS::ECS::Service',
];
/** IAM-ish and CloudFormation-ish leaves: wildcards, intrinsics, near-miss names. */
const leaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 60, 900, 901, '', '*', 'live', 'Allow', 'Deny', 'codedeploy:*', 'lambda:InvokeFunction', 'PreTraffic', 'PostTraffic', 'Canary10Percent5Minutes', ...RESOURCE_TYPES),
  fc.tuple(fc.integer({ min: 1, max: 14 }), fc.constantFrom('', 'Z', 'codedeploy:', 'x*')).map(([n, tail]) => `${'*'.repeat(n)}${tail}`),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('Ref', 'Fn::GetAtt', 'Fn::Sub', 'Fn::Join', 'Fn::If', 'Fn::Select').chain((k) => fc.anything({ maxDepth: 1 }).map((v) => ({ [k]: v }))),
  fc.anything({ maxDepth: 2 }),
);

function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value as object);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

function setAt(tree: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(tree) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = replacement;
  return copy;
}

function serialize(tree: unknown, asJson: boolean): string | undefined {
  try {
    return asJson ? JSON.stringify(tree) : (stringify(tree) as string | undefined);
  } catch {
    return undefined; // e.g. BigInt in JSON: not a text anyone could write
  }
}

describe('Fuzz: doctor template reader and rules', () => {
  it('the fixture templates read and diagnose cleanly within the bound', async () => {
    expect(fixtureTexts.length).toBeGreaterThan(0);
    for (const text of fixtureTexts) await check(text);
  });

  it('arbitrary text gives findings or a TemplateError naming the file', async () => {
    const text = fc.oneof(
      fc.string({ maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom(...fixtureTexts).chain((t) =>
        fc.tuple(fc.nat({ max: t.length }), fc.nat({ max: 40 }), fc.string({ maxLength: 20 })).map(([at, cut, insert]) => t.slice(0, at) + insert + t.slice(at + cut)),
      ),
      fc.constantFrom('!Ref', '!GetAtt', '!Sub', '!If', '!Select', '!Split', '!Join', '!Base64', '!Unknown').map((tag) => `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Role: ${tag} [a, b]\n`),
    );
    await fc.assert(fc.asyncProperty(text, check), { numRuns: FUZZ_RUNS, endOnFailure: true });
  }, FUZZ_TIMEOUT_MS);

  it('arbitrary template-shaped trees (JSON and YAML) give findings or a TemplateError', async () => {
    const resource = fc.record(
      {
        Type: fc.oneof(fc.constantFrom(...RESOURCE_TYPES), leaf),
        Properties: fc.oneof(
          fc.dictionary(fc.constantFrom('Role', 'Policies', 'DeploymentPreference', 'AutoPublishAlias', 'FunctionName', 'Timeout', 'Dimensions', 'PolicyDocument', 'Roles', 'ManagedPolicyArns', 'AlarmConfiguration', 'ServiceRoleArn', 'ECSServices', 'LoadBalancerInfo', 'ApplicationName', 'ComputePlatform', 'DeploymentController', 'DeploymentConfiguration', 'AssumeRolePolicyDocument', 'Handler', 'Environment'), leaf, { maxKeys: 5 }),
          leaf,
        ),
        UpdatePolicy: fc.oneof(leaf, fc.record({ CodeDeployLambdaAliasUpdate: fc.dictionary(fc.constantFrom('BeforeAllowTrafficHook', 'AfterAllowTrafficHook', 'DeploymentGroupName', 'ApplicationName'), leaf, { maxKeys: 3 }) })),
      },
      { requiredKeys: ['Type'] },
    );
    const tree = fc.oneof(
      fc.anything({ maxDepth: 3 }),
      fc.record({ Resources: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), resource, { maxKeys: 4 }), Globals: fc.anything({ maxDepth: 2 }), Parameters: fc.anything({ maxDepth: 2 }) }, { requiredKeys: ['Resources'] }),
    );
    // Appspec-shaped trees: a Resources list and a Hooks list of near-miss entries.
    const appspec = fc.record({
      version: fc.oneof(fc.constant(0), leaf),
      Resources: fc.oneof(fc.array(fc.dictionary(fc.string({ maxLength: 8 }), fc.record({ Type: fc.oneof(fc.constantFrom('AWS::Lambda::Function', 'AWS::ECS::Service'), leaf), Properties: fc.oneof(fc.dictionary(fc.constantFrom('Name', 'Alias', 'CurrentVersion', 'TargetVersion', 'TaskDefinition', 'LoadBalancerInfo', 'Aliass'), leaf, { maxKeys: 4 }), leaf) }), { maxKeys: 2 }), { maxLength: 2 }), leaf),
      Hooks: fc.oneof(fc.array(fc.dictionary(fc.constantFrom('BeforeAllowTraffic', 'AfterAllowTraffic', 'AfterAllowTestTraffic', 'BeforeInstall', 'PreTraffic', 'Befor'), leaf, { maxKeys: 2 }), { maxLength: 3 }), leaf),
    }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(tree, appspec), fc.boolean(), async (t, asJson) => {
        const text = serialize(t, asJson);
        if (text !== undefined) await check(text);
      }),
      { numRuns: FUZZ_RUNS, endOnFailure: true },
    );
  }, FUZZ_TIMEOUT_MS);

  it('a fixture template with one value changed gives findings or a TemplateError', async () => {
    const mutated = fc.constantFrom(...fixtureTrees).chain((root) =>
      fc.tuple(fc.constantFrom(...paths(root)), leaf, fc.boolean()).map(([path, value, asJson]) => serialize(setAt(root, path, value), asJson)),
    );
    await fc.assert(
      fc.asyncProperty(mutated, async (text) => {
        if (text !== undefined) await check(text);
      }),
      { numRuns: FUZZ_RUNS, endOnFailure: true },
    );
  }, FUZZ_TIMEOUT_MS);

  // Deterministic companion of what the fuzzer found: an IAM action with a run of
  // wildcards (legal IAM syntax) must not send the wildcard matcher into
  // exponential backtracking.
  it('a hook policy whose Action is a run of wildcards is diagnosed within the bound', async () => {
    const text = [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  App:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      AutoPublishAlias: live',
      '      DeploymentPreference:',
      '        Type: Canary10Percent5Minutes',
      '        Hooks:',
      '          PreTraffic: !Ref Hook',
      '  Hook:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      FunctionName: CodeDeployHook_pre',
      '      Policies:',
      '        - Statement:',
      '            - Effect: Allow',
      "              Action: '************Z'",
      "              Resource: '*'",
    ].join('\n');
    await check(text);
  });
});
