/**
 * The issue-15 rules and texts on variants of the clean fixtures: each test
 * changes one thing and shows that the rule fires, or stays quiet where the
 * template gives no evidence. The must-flag and clean fixtures themselves are
 * in rules.test.ts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose, parseTemplate, TemplateError, type Finding } from '../../../src/doctor/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/templates');
const fixture = (file: string): string => readFileSync(join(fixtures, file), 'utf8');

/** The fixture with each `from` replaced once by `to` (a missing `from` fails the test, not silently passes). */
function edit(file: string, ...pairs: [from: string, to: string][]): string {
  return pairs.reduce((text, [from, to]) => {
    if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
    return text.replace(from, to);
  }, fixture(file));
}

const findings = (text: string, rule?: string, file = 't.yaml'): Finding[] => diagnose(parseTemplate(text, file)).filter((f) => rule === undefined || f.rule === rule);
const rules = (text: string, file = 't.yaml'): string[] => findings(text, undefined, file).map((f) => `${f.rule} ${f.resource}`);

/** clean-cfn-alias.json as an object to change, and back to text. */
function cfn(change: (resources: Record<string, any>) => void): string {
  const doc = JSON.parse(fixture('clean-cfn-alias.json'));
  change(doc.Resources);
  return JSON.stringify(doc, null, 2);
}

describe('CDH008 reads !Sub with its variable map (the false positive of issue 15)', () => {
  const dimension = (alias: string) =>
    edit('clean-sam-prefixed.yaml', ['          Value: !Sub ${AppFunction}:live\n', `          Value: !Sub ['\${Fn}:\${Alias}', { Fn: !Ref AppFunction, Alias: ${alias} }]\n`]);

  it('sees ${Fn}:${Alias} with {Fn: !Ref AppFunction, Alias: live} as the alias', () => {
    expect(rules(dimension('live'))).toEqual([]);
  });

  it('still flags the map when it names another alias', () => {
    expect(findings(dimension('prod'), 'CDH008').map((f) => f.message)).toEqual([expect.stringContaining("Resource dimension is '${AppFunction}:prod', not the alias live")]);
  });
});

describe('fix texts in a plain CloudFormation template name its own resources, not SAM ids', () => {
  it('CDH002 names the Application and DeploymentGroup of the template', () => {
    const text = cfn((r) => r.HookRole.Properties.Policies[0].PolicyDocument.Statement.shift());
    const [hit] = findings(text, 'CDH002', 't.json');
    expect(hit!.fix).toContain('deploymentgroup:${Application}/${DeploymentGroup}');
    expect(hit!.fix).not.toContain('ServerlessDeploymentApplication');
  });

  it('CDH008 writes ExecutedVersion as the alias version resource', () => {
    const text = cfn((r) => {
      r.DeploymentGroup.Properties.AlarmConfiguration = { Enabled: true, Alarms: [{ Name: { Ref: 'Errors' } }] };
      r.Errors = { Type: 'AWS::CloudWatch::Alarm', Properties: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'AppFunction' } }] } };
    });
    const [hit] = findings(text, 'CDH008', 't.json');
    expect(hit!.fix).toContain('ExecutedVersion: !GetAtt AppVersion.Version');
    expect(hit!.fix).not.toContain('AppFunction.Version.Version');
  });

  it("CDH001 points at the deployment group's ServiceRoleArn, not DeploymentPreference.Role", () => {
    const text = cfn((r) => {
      r.CodeDeployRole.Properties.Policies = [];
      r.CodeDeployRole.Properties.ManagedPolicyArns = ['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda'];
    });
    const [hit] = findings(text, 'CDH001', 't.json');
    expect(hit!.fix).toContain("the deployment group's ServiceRoleArn (DeploymentGroup)");
    expect(hit!.fix).not.toContain('DeploymentPreference');
  });
});

describe('CDH003 on a grant without a Resource (found by the fuzzer: it threw)', () => {
  it('says the hook may invoke nothing, at the statement', () => {
    const text = edit('clean-sam-prefixed.yaml', ['              Resource:\n                - !GetAtt AppFunction.Arn\n                - !Sub ${AppFunction.Arn}:*\n', '']);
    const [hit, ...rest] = findings(text, 'CDH003');
    expect(rest).toEqual([]);
    expect(hit!.message).toContain('may invoke no resource (its statement has no Resource), but not AppFunction');
  });
});

describe('CDH013 judges only what it can read', () => {
  const report = (resource: string, extra = '') =>
    edit(
      'clean-sam-prefixed.yaml',
      ['              Resource: !Sub arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${ServerlessDeploymentApplication}/${AppFunctionDeploymentGroup}\n            - Effect: Allow\n              Action: lambda:InvokeFunction', `              Resource: ${resource}\n            - Effect: Allow\n              Action: lambda:InvokeFunction`],
    ) + extra;

  it("flags another SAM function's deployment group", () => {
    const text = report('!Sub arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${ServerlessDeploymentApplication}/${OtherFunctionDeploymentGroup}');
    expect(rules(text)).toEqual(['CDH013 PreTrafficHook']);
  });

  it('accepts a wildcard over the right application, and stays quiet on a parameter', () => {
    expect(rules(report('!Sub arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${ServerlessDeploymentApplication}/*'))).toEqual([]);
    expect(rules(report('!Sub arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${AppName}/*', '\nParameters:\n  AppName:\n    Type: String\n'))).toEqual([]);
  });

  it('reads literal names in a plain CloudFormation template', () => {
    const scoped = (arn: string) =>
      cfn((r) => {
        r.Application.Properties = { ...r.Application.Properties, ApplicationName: 'orders' };
        r.HookRole.Properties.Policies[0].PolicyDocument.Statement[0].Resource = arn;
      });
    expect(rules(scoped('arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:orders/*'), 't.json')).toEqual([]);
    expect(rules(scoped('arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:payments/*'), 't.json')).toEqual(['CDH013 PreTrafficHook']);
  });
});

describe('CDH014 and explicit Deny statements', () => {
  const deny = (statement: string) =>
    edit('clean-sam-prefixed.yaml', ['              Action: cloudwatch:DescribeAlarms\n              Resource: !GetAtt NewVersionErrors.Arn\n', `              Action: cloudwatch:DescribeAlarms\n              Resource: !GetAtt NewVersionErrors.Arn\n${statement}`]);

  it('leaves a Deny with a Condition, or on other resources, alone', () => {
    expect(rules(deny("            - Effect: Deny\n              Action: codedeploy:*\n              Resource: '*'\n              Condition:\n                Bool:\n                  aws:SecureTransport: 'false'\n"))).toEqual([]);
    expect(rules(deny('            - Effect: Deny\n              Action: codedeploy:*\n              Resource: arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:other/*\n'))).toEqual([]);
  });

  it('flags a Deny of a read the hook is allowed, as a failure rather than a hang', () => {
    const [hit] = findings(deny("            - Effect: Deny\n              Action: cloudwatch:Describe*\n              Resource: '*'\n"), 'CDH014');
    expect(hit!.message).toContain('overrides its Allow of cloudwatch:DescribeAlarms');
    expect(hit!.message).toContain('every deployment rolls back');
  });
});

describe('CDH015 deployment configuration names', () => {
  it('warns (no did-you-mean) on a name far from the predefined ones, and accepts a declared custom configuration', () => {
    const far = edit('clean-sam-prefixed.yaml', ['        Type: Canary10Percent5Minutes\n', '        Type: OrdersGradualRollout\n']);
    expect(findings(far, 'CDH015').map((f) => f.severity)).toEqual(['warning']);
    const declared = `${far}\n  Rollout:\n    Type: AWS::CodeDeploy::DeploymentConfig\n    Properties:\n      DeploymentConfigName: OrdersGradualRollout\n      ComputePlatform: Lambda\n`;
    expect(rules(declared)).toEqual([]);
  });

  it("flags a misspelled CodeDeployDefault name on a plain deployment group", () => {
    const text = cfn((r) => (r.DeploymentGroup.Properties.DeploymentConfigName = 'CodeDeployDefault.LambdaCanary10Percent5Minute'));
    const [hit, ...rest] = findings(text, 'CDH015', 't.json');
    expect(rest).toEqual([]);
    expect(hit!.message).toContain("did you mean 'CodeDeployDefault.LambdaCanary10Percent5Minutes'");
    expect(hit!.severity).toBe('error');
  });
});

describe('CDH012 alarm references', () => {
  const alarm = (value: string, extra = '') => edit('clean-sam-prefixed.yaml', ['          - !Ref NewVersionErrors\n', `          - ${value}\n`]) + extra;

  it("flags an alarm's ARN where its name is wanted, and a !Ref to something that is not an alarm", () => {
    expect(findings(alarm('!GetAtt NewVersionErrors.Arn'), 'CDH012').map((f) => f.message)).toEqual([expect.stringContaining('an ARN')]);
    expect(findings(alarm('!Ref PreTrafficHook'), 'CDH012').map((f) => f.message)).toEqual([expect.stringContaining('a AWS::Serverless::Function, not a CloudWatch alarm')]);
  });

  it('warns on a literal name the template does not define, and accepts a parameter', () => {
    expect(findings(alarm('orders-5xx'), 'CDH012').map((f) => f.severity)).toEqual(['warning']);
    expect(findings(alarm('!Ref AlarmName', '\nParameters:\n  AlarmName:\n    Type: String\n'), 'CDH012')).toEqual([]);
  });
});

describe('CDH017 and a group without a test listener', () => {
  const noRoute = (hookEdit?: [string, string]) =>
    edit('clean-ecs-codedeploy.yaml', ['            TestTrafficRoute:\n              ListenerArns: [!Ref TestListener]\n', ''], ...(hookEdit ? [hookEdit] : []));

  it('only warns when no hook needs the test listener', () => {
    const withoutTestHook = noRoute(['      Handler: ecs-test-traffic.handler\n      FunctionName: !Join [\'\', [CodeDeployHook_ecs-test-,', '      Handler: ecs-smoke.handler\n      FunctionName: !Join [\'\', [CodeDeployHook_ecs-smoke-,']);
    expect(findings(withoutTestHook.replace('  TestTrafficHook:', '  SmokeHook:'), 'CDH017').map((f) => f.severity)).toEqual(['warning']);
  });

  it('accepts a test-traffic hook given its own URL', () => {
    const ownUrl = noRoute(['      Timeout: 120\n', '      Timeout: 120\n      Environment:\n        Variables:\n          CODEDEPLOY_HOOKS_HTTP_BASE_URL: https://green.example.com\n']);
    expect(findings(ownUrl, 'CDH017').map((f) => f.severity)).toEqual(['warning']);
  });
});

describe('which functions of a CodeDeploy ECS template are hooks', () => {
  const extra = (id: string, props = '') => `${fixture('clean-ecs-codedeploy.yaml')}\n  ${id}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: index.handler\n      Timeout: 10\n${props}`;

  it('are the functions that present themselves as hooks, not every function', () => {
    expect(rules(extra('GithubWebhook'))).toEqual([]);
    expect(rules(extra('SmokeHook'))).toEqual(['CDH001 SmokeHook', 'CDH002 SmokeHook', 'CDH009 SmokeHook']);
    expect(rules(extra('Smoke', '      Environment:\n        Variables:\n          CODEDEPLOY_HOOKS_CHECK_ALARMS: "true"\n'))).toEqual(['CDH001 Smoke', 'CDH002 Smoke', 'CDH009 Smoke']);
  });
});

describe('CDH009 with the ready hooks and custom hooks', () => {
  it('counts only what a custom hook sets, and the defaults of a ready hook', () => {
    const custom = edit('clean-ecs-codedeploy.yaml', ['      Handler: ecs-post-traffic.handler\n', '      Handler: index.handler\n'], ['      Timeout: 300\n', '      Timeout: 60\n']);
    expect(findings(custom, 'CDH009')).toEqual([]);
    const ready = edit('clean-ecs-codedeploy.yaml', ['      Timeout: 300\n', '      Timeout: 60\n']);
    expect(findings(ready, 'CDH009').map((f) => f.message)).toEqual([expect.stringContaining('bakes for 120 s (CODEDEPLOY_HOOKS_BAKE_DURATION_MS unset: the ecs-post-traffic default)')]);
  });
});

describe('ECS-native hooks', () => {
  const stages = (list: string, type = '') =>
    edit('clean-ecs-native.yaml', ['            LifecycleStages: [POST_TEST_TRAFFIC_SHIFT]\n', `            LifecycleStages: [${list}]\n${type}`]);

  it('CDH022 flags a typo with a suggestion, a stage without hooks, and a pause hook where a rollback runs', () => {
    expect(findings(stages('POST_TEST_TRAFIC_SHIFT'), 'CDH022').map((f) => f.message)).toEqual([expect.stringContaining("did you mean 'POST_TEST_TRAFFIC_SHIFT'")]);
    expect(findings(stages('BAKE_TIME'), 'CDH022').map((f) => f.message)).toEqual([expect.stringContaining('a stage ECS runs without hooks')]);
    expect(findings(stages('TEST_TRAFFIC_SHIFT', '            TargetType: PAUSE\n'), 'CDH022').map((f) => f.message)).toEqual([expect.stringContaining('also runs during a rollback')]);
    expect(findings(stages('PRE_PRODUCTION_TRAFFIC_SHIFT, TEST_TRAFFIC_SHIFT'), 'CDH022')).toEqual([]);
  });

  it('CDH022 checks each branch of an !If and takes other intrinsics as given', () => {
    const branches = (a: string, b: string) => stages('POST_TEST_TRAFFIC_SHIFT').replace('            LifecycleStages: [POST_TEST_TRAFFIC_SHIFT]\n', `            LifecycleStages: !If\n              - IsCanary\n              - [${a}]\n              - [${b}]\n`);
    expect(findings(branches('PRODUCTION_TRAFFIC_SHIFT, POST_PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFFIC_SHIFT'), 'CDH022')).toEqual([]);
    expect(findings(branches('PRODUCTION_TRAFFIC_SHIFT', 'POST_PRODUCTION_TRAFIC_SHIFT'), 'CDH022').map((f) => f.message)).toEqual([expect.stringContaining("did you mean 'POST_PRODUCTION_TRAFFIC_SHIFT'")]);
    expect(findings(stages('POST_TEST_TRAFFIC_SHIFT').replace('LifecycleStages: [POST_TEST_TRAFFIC_SHIFT]', 'LifecycleStages: !Split [",", !Ref Stages]'), 'CDH022')).toEqual([]);
  });

  it('CDH023 wants a qualified grant for a qualified hook target', () => {
    const qualified = edit('clean-ecs-native.yaml', ['          - HookTargetArn: !GetAtt TestTrafficHook.Arn\n', '          - HookTargetArn: !Sub ${TestTrafficHook.Arn}:live\n']);
    expect(rules(qualified)).toEqual(['CDH023 Service']);
    const granted = qualified.replace('                Resource: !GetAtt TestTrafficHook.Arn\n', '                Resource: !Sub ${TestTrafficHook.Arn}:*\n');
    expect(rules(granted)).toEqual([]);
  });

  it('CDH021 flags a Lambda hook without RoleArn, and CDH024 alarms that are not enabled', () => {
    expect(rules(edit('clean-ecs-native.yaml', ['            RoleArn: !GetAtt HookInvokeRole.Arn\n', '']))).toEqual(['CDH021 Service']);
    expect(findings(edit('clean-ecs-native.yaml', ['          Enable: true\n', '          Enable: false\n']), 'CDH024').map((f) => f.message)).toEqual([expect.stringContaining('Enable is false')]);
  });
});

describe('appspec files', () => {
  it('are told from templates by their shape, in YAML and JSON', () => {
    expect(parseTemplate(fixture('clean-appspec-lambda.yaml'), 'a.yaml').kind).toBe('appspec');
    expect(parseTemplate(fixture('clean-appspec-ecs.json'), 'a.json').kind).toBe('appspec');
    expect(parseTemplate(fixture('clean-sam-prefixed.yaml'), 't.yaml').kind).toBe('template');
    expect(parseTemplate('version: 0.0\nHooks:\n  - BeforeAllowTraffic: CodeDeployHook_x\n', 'a.yaml').kind).toBe('appspec');
  });

  it('refuses an EC2/On-Premises appspec by name', () => {
    expect(() => parseTemplate('version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /srv\n', 'appspec.yml')).toThrow(TemplateError);
    expect(() => parseTemplate('version: 0.0\nos: linux\n', 'appspec.yml')).toThrow(/appspec\.yml: an EC2\/On-Premises appspec/);
  });

  const lambda = (...pairs: [string, string][]) => edit('clean-appspec-lambda.yaml', ...pairs);

  it("CDH019 maps SAM's event names, refuses ECS events in a Lambda appspec, and wants Hooks as a list", () => {
    expect(findings(lambda(['  - BeforeAllowTraffic:', '  - PreTraffic:']), 'CDH019').map((f) => f.fix)).toEqual(["rename 'PreTraffic' to 'BeforeAllowTraffic'"]);
    expect(findings(lambda(['  - BeforeAllowTraffic:', '  - AfterAllowTestTraffic:']), 'CDH019').map((f) => f.message)).toEqual([expect.stringContaining('is an ECS event; a Lambda deployment runs only BeforeAllowTraffic, AfterAllowTraffic')]);
    expect(findings(lambda(['  - BeforeAllowTraffic: CodeDeployHook_pre-orders-api\n  - AfterAllowTraffic:', '  BeforeAllowTraffic: CodeDeployHook_pre-orders-api\n  AfterAllowTraffic:']), 'CDH019').map((f) => f.message)).toEqual([expect.stringContaining('Hooks is a mapping')]);
    expect(findings(lambda(['  - BeforeAllowTraffic: CodeDeployHook_pre-orders-api', '  - BeforeAllowTraffic: my hook function']), 'CDH019').map((f) => f.message)).toEqual([expect.stringContaining('neither a Lambda function name nor a function ARN')]);
  });

  it('CDH018 flags versions that shift nothing, $LATEST, a wrong Type and a misspelled property', () => {
    expect(findings(lambda(['        TargetVersion: 8', '        TargetVersion: 7']), 'CDH018').map((f) => f.message)).toEqual([expect.stringContaining('no traffic to shift')]);
    expect(findings(lambda(['        TargetVersion: 8', "        TargetVersion: $LATEST"]), 'CDH018').map((f) => f.message)).toEqual([expect.stringContaining('published version number')]);
    expect(findings(lambda(['      Type: AWS::Lambda::Function', '      Type: AWS::Serverless::Function']), 'CDH018').map((f) => f.message)).toEqual([expect.stringContaining("has Type 'AWS::Serverless::Function'")]);
    expect(findings(lambda(['        Alias: live', '        Aliases: live']), 'CDH018').map((f) => f.message)).toEqual([expect.stringContaining("'Aliases' is not one CodeDeploy reads (did you mean 'Alias'?)")]);
    expect(findings(lambda(['version: 0.0', 'version: 1.0']), 'CDH018').map((f) => f.message)).toEqual([expect.stringContaining('only version 0.0')]);
  });

  it("CDH020 only warns about CodePipeline's <TASK_DEFINITION>", () => {
    const pipeline = fixture('clean-appspec-ecs.json').replace('"arn:aws:ecs:us-east-1:123456789012:task-definition/orders:42"', '"<TASK_DEFINITION>"');
    expect(findings(pipeline, undefined, 'a.json').map((f) => `${f.rule} ${f.severity}`)).toEqual(['CDH020 warning']);
  });

  it("reports the shipped ECS example appspec's three placeholders, as the README says", () => {
    const text = readFileSync(join(fixtures, '../../../examples/ecs/appspec.yaml'), 'utf8');
    expect(findings(text, undefined, 'appspec.yaml').map((f) => `${f.rule} ${f.severity}`)).toEqual(['CDH020 error', 'CDH020 error', 'CDH020 error']);
  });

  it('template rules find nothing in an appspec and appspec rules nothing in a template', () => {
    const appspecRules = new Set(['CDH018', 'CDH019', 'CDH020']);
    const broken = fixture('cdh020-appspec-placeholders.yaml');
    expect(rules(broken).every((r) => appspecRules.has(r.split(' ')[0]!))).toBe(true);
    expect(rules(fixture('cdh010-deprecated-runtime.yaml')).some((r) => appspecRules.has(r.split(' ')[0]!))).toBe(false);
  });
});
