import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose, parseTemplate, readTemplate, RULES, type Finding } from '../../../src/doctor/index.js';
import { DURABLE_FLAGGED } from './durable-fixtures.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = join(root, 'test/fixtures/templates');

async function findingsOf(file: string): Promise<Finding[]> {
  return diagnose(await readTemplate(join(fixtures, file)));
}

/** Each must-flag fixture, with the rule, severity and resource it must produce. */
const FLAGGED: [file: string, rule: string, severity: 'error' | 'warning', resource: string, mentions: RegExp][] = [
  ['cdh001-generated-name.yaml', 'CDH001', 'error', 'PreTrafficHook', /generated name.*CodeDeployHook_\*/],
  ['cdh001-wrong-prefix.yaml', 'CDH001', 'error', 'PostTrafficHook', /named '\$\{AWS::StackName\}-post-traffic-hook'/],
  ['cdh001-cfn-managed-role.json', 'CDH001', 'error', 'PreTrafficHook', /role CodeDeployRole only invokes functions named CodeDeployHook_\*/],
  ['cdh002-no-report-permission.yaml', 'CDH002', 'error', 'PreTrafficHook', /PutLifecycleEventHookExecutionStatus/],
  ['cdh002-report-on-star.yaml', 'CDH002', 'warning', 'PostTrafficHook', /on "\*"/],
  ['cdh003-unqualified-invoke.yaml', 'CDH003', 'error', 'PreTrafficHook', /qualified/],
  ['cdh004-hook-traffic-shifted.yaml', 'CDH004', 'error', 'PreTrafficHook', /inherited from Globals/],
  ['cdh005-missing-hook.yaml', 'CDH005', 'error', 'AppFunction', /PostTrafficHookFunction, which is not a resource/],
  ['cdh006-misspelled-preference.yaml', 'CDH006', 'error', 'AppFunction', /did you mean 'DeploymentPreference'/],
  ['cdh006-misspelled-hook-keys.yaml', 'CDH006', 'error', 'AppFunction', /'PreTrafic' .*did you mean 'PreTraffic'/],
  ['cdh007-no-auto-publish-alias.yaml', 'CDH007', 'error', 'AppFunction', /no AutoPublishAlias/],
  ['cdh008-no-executed-version.yaml', 'CDH008', 'warning', 'NewVersionErrors', /no ExecutedVersion/],
  ['cdh008-alias-mismatch.yaml', 'CDH008', 'warning', 'NewVersionErrors', /not the alias live/],
  ['cdh009-default-timeout.yaml', 'CDH009', 'error', 'PreTrafficHook', /3 s \(the Lambda default\)/],
  ['cdh009-bake-longer-than-timeout.yaml', 'CDH009', 'error', 'PostTrafficHook', /bakes for 600 s/],
  ['cdh010-deprecated-runtime.yaml', 'CDH010', 'error', 'PreTrafficHook', /nodejs18\.x/],
  ['cdh011-alarms-on-star.yaml', 'CDH011', 'warning', 'PostTrafficHook', /cloudwatch:DescribeAlarms on any resource/],
  ['cdh011-unused-action.yaml', 'CDH011', 'warning', 'PostTrafficHook', /codedeploy:GetDeploymentConfig, which no codedeploy-hooks code calls/],
  ['cdh011-service-wildcard.yaml', 'CDH011', 'warning', 'PostTrafficHook', /every cloudwatch action \(cloudwatch:\*\)/],
  // Issue 15: the traps doctor missed.
  ['cdh012-missing-alarm.yaml', 'CDH012', 'error', 'AppFunction', /names NewVersionErorrs, which is not a resource or parameter/],
  ['cdh013-report-other-application.yaml', 'CDH013', 'error', 'PreTrafficHook', /deploymentgroup:orders-service\/orders-live', not for the deployment group that runs it \(AppFunctionDeploymentGroup\)/],
  ['cdh014-explicit-deny.yaml', 'CDH014', 'error', 'PostTrafficHook', /explicit Deny on codedeploy:\*.*overrides its Allow of codedeploy:PutLifecycleEventHookExecutionStatus/],
  ['cdh015-type-typo.yaml', 'CDH015', 'error', 'AppFunction', /'Canary10Percent5Minute' .*did you mean 'Canary10Percent5Minutes'/],
  ['cdh016-hook-invokes-any-function.yaml', 'CDH016', 'warning', 'PreTrafficHook', /may invoke every function in the account/],
  ['cdh016-codedeploy-role-any-function.yaml', 'CDH016', 'warning', 'HookInvokerRole', /lets CodeDeploy invoke every function.*function:\*/],
  ['cdh010-hook-runtime.yaml', 'CDH010', 'error', 'PreTrafficHook', /nodejs20\.x/],
  ['cdh005-self-hook.yaml', 'CDH005', 'error', 'AppFunction', /PreTraffic hook of AppFunction is AppFunction itself/],
  ['cdh003-other-function.yaml', 'CDH003', 'error', 'PreTrafficHook', /may invoke '\$\{OrdersFunction\.Arn\}'.*but not AppFunction, the function it validates/],
  // CodeDeploy ECS blue/green templates.
  ['cdh001-ecs-limited-unprefixed.yaml', 'CDH001', 'error', 'TestTrafficHook', /role CodeDeployServiceRole only invokes functions named CodeDeployHook_\*/],
  ['cdh002-ecs-no-report.yaml', 'CDH002', 'error', 'PostTrafficHook', /cannot call codedeploy:PutLifecycleEventHookExecutionStatus/],
  ['cdh009-ecs-wait-longer-than-timeout.yaml', 'CDH009', 'error', 'TestTrafficHook', /waits for healthy tasks up to 60 s .*times out after 45 s/],
  ['cdh016-ecs-broad-codedeploy-role.yaml', 'CDH016', 'warning', 'CodeDeployServiceRole', /AWSCodeDeployRoleForECS, which lets CodeDeploy invoke every function/],
  // Appspec files.
  ['cdh018-appspec-lambda-versions.yaml', 'CDH018', 'error', 'AppFunction', /Lambda resource AppFunction has no TargetVersion/],
  ['cdh019-appspec-event-names.yaml', 'CDH019', 'error', 'Hooks', /'AfterAllowTestTrafic' is not an ECS lifecycle event \(did you mean 'AfterAllowTestTraffic'\?\)/],
  ['cdh020-appspec-placeholders.yaml', 'CDH020', 'error', 'Hooks', /placeholder '<TestTrafficHookArn>'/],
  // ECS-native service templates.
  ['cdh012-native-missing-alarm.yaml', 'CDH012', 'error', 'Service', /names Green5xxAlarms, which is not a resource/],
  ['cdh021-native-role-trust.yaml', 'CDH021', 'error', 'Service', /role HookFunctionRole \(the hook's own execution role\), which trusts lambda\.amazonaws\.com, not ecs\.amazonaws\.com/],
  ['cdh022-native-stage-names.yaml', 'CDH022', 'error', 'Service', /'AfterAllowTestTraffic', which is not an ECS lifecycle stage .*POST_TEST_TRAFFIC_SHIFT/],
  ['cdh023-native-no-invoke.yaml', 'CDH023', 'error', 'Service', /role HookInvokeRole of lifecycle hook TestTrafficHook does not allow lambda:InvokeFunction/],
  ['cdh024-native-alarms-no-rollback.yaml', 'CDH024', 'warning', 'Service', /Rollback false/],
  ['cdh017-no-test-route.yaml', 'CDH017', 'error', 'DeploymentGroup', /no TestTrafficRoute, so test-traffic hook TestTrafficHook has no test listener/],
];

const CLEAN = ['clean-sam-prefixed.yaml', 'clean-sam-custom-role.yaml', 'clean-cfn-alias.json', 'clean-ecs-codedeploy.yaml', 'clean-appspec-lambda.yaml', 'clean-appspec-ecs.json', 'clean-ecs-native.yaml'];

describe('doctor rules', () => {
  it.each(FLAGGED)('%s is flagged with %s', async (file, rule, severity, resource, mentions) => {
    const findings = await findingsOf(file);
    const hit = findings.find((f) => f.rule === rule && f.resource === resource && mentions.test(f.message));
    expect(hit, JSON.stringify(findings, null, 2)).toBeDefined();
    expect(hit!.severity).toBe(severity);
    expect(hit!.message).toMatch(mentions);
    expect(hit!.fix.length).toBeGreaterThan(10);
    expect(hit!.line).toBeGreaterThan(1);
  });

  it.each(FLAGGED)('%s is flagged only for the trap it contains', async (file, rule) => {
    const findings = await findingsOf(file);
    expect(findings.map((f) => f.rule).filter((r) => r !== rule)).toEqual([]);
  });

  it.each(CLEAN)('%s has no findings', async (file) => {
    expect(await findingsOf(file)).toEqual([]);
  });

  it('has a must-flag fixture for every rule, and a fixture file for every entry', () => {
    const covered = new Set([...FLAGGED, ...DURABLE_FLAGGED].map(([, rule]) => rule));
    expect(RULES.map((r) => r.id).filter((id) => !covered.has(id))).toEqual([]);
    const onDisk = readdirSync(fixtures).filter((f) => /^(cdh|clean)/.test(f)).sort();
    expect(onDisk).toEqual([...FLAGGED.map(([f]) => f), ...CLEAN].sort());
  });

  it('flags both the misspelled Hook key and the misspelled event inside it', async () => {
    const messages = (await findingsOf('cdh006-misspelled-hook-keys.yaml')).map((f) => f.message);
    expect(messages).toEqual([expect.stringContaining("did you mean 'Hooks'"), expect.stringContaining("did you mean 'PreTraffic'")]);
  });

  it('checks a hook named under a misspelled key as the hook it was meant to be', () => {
    const text = readFileSync(join(fixtures, 'cdh006-misspelled-hook-keys.yaml'), 'utf8').replace('      Timeout: 60\n', '');
    const findings = diagnose(parseTemplate(text, 'inline.yaml'));
    expect(findings.map((f) => `${f.rule} ${f.resource}`)).toEqual(['CDH006 AppFunction', 'CDH006 AppFunction', 'CDH009 PreTrafficHook']);
    // The event is read from the misspelled key too: PreTrafic is the pre-traffic hook, whose invoke grant CDH003 checks.
    const unqualified = text.replace('                - !Sub ${AppFunction.Arn}:*\n', '');
    expect(diagnose(parseTemplate(unqualified, 'inline.yaml')).filter((f) => f.rule === 'CDH003').map((f) => f.resource)).toEqual(['PreTrafficHook']);
  });

  it('points at the line of the offending key', async () => {
    const [hit] = (await findingsOf('cdh006-misspelled-preference.yaml')).filter((f) => f.rule === 'CDH006');
    const text = (await import('node:fs')).readFileSync(join(fixtures, 'cdh006-misspelled-preference.yaml'), 'utf8').split('\n');
    expect(text[hit!.line - 1]).toContain('Deploymentpreference:');
  });

  it('reports a deprecated runtime set in Globals at the Globals line, once per function', async () => {
    const hits = (await findingsOf('cdh010-deprecated-runtime.yaml')).filter((f) => f.rule === 'CDH010');
    expect(hits.map((f) => f.resource).sort()).toEqual(['AppFunction', 'PostTrafficHook', 'PreTrafficHook']);
    expect(new Set(hits.map((f) => f.line)).size).toBe(1);
  });

  it.each(['template.yaml', 'examples/ecs/template.yaml'])('the shipped %s has no findings', async (file) => {
    expect(diagnose(await readTemplate(join(root, file)))).toEqual([]);
  });
});

describe('doctor rules without enough evidence stay quiet', () => {
  const base = (hook: string, extra = ''): string => `Transform: AWS::Serverless-2016-10-31
Resources:
  App:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs24.x
      AutoPublishAlias: live
      DeploymentPreference:
        Type: AllAtOnce
        Hooks:
          PreTraffic: CodeDeployHook_pre
  Hook:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: CodeDeployHook_pre
      Runtime: nodejs24.x
      Timeout: 60
      DeploymentPreference:
        Enabled: 'false'
${hook}
${extra}`;
  const rules = (text: string): string[] => diagnose(parseTemplate(text, 't.yaml')).map((f) => `${f.rule} ${f.resource}`);

  it('accepts an invoke grant on !Ref Fn.Version (a qualified ARN) and a hook named by its literal FunctionName', () => {
    expect(rules(base(`      Policies:
        - Statement:
            - Effect: Allow
              Action: [codedeploy:PutLifecycleEventHookExecutionStatus]
              Resource: !Sub arn:\${AWS::Partition}:codedeploy:\${AWS::Region}:\${AWS::AccountId}:deploymentgroup:\${ServerlessDeploymentApplication}/*
            - Effect: Allow
              Action: lambda:InvokeFunction
              Resource: !Ref App.Version`))).toEqual([]);
  });

  it('does not guess about roles outside the template or managed policies it cannot read', () => {
    expect(rules(base('      Role: !Ref HookRoleArn', 'Parameters:\n  HookRoleArn:\n    Type: String'))).toEqual([]);
    expect(rules(base('      Policies:\n        - AWSCodeDeployFullAccess'))).toEqual([]);
  });

  it('flags a missing report permission when only the basic execution policy is attached', () => {
    expect(rules(base('      Policies:\n        - AWSLambdaBasicExecutionRole'))).toEqual(['CDH002 Hook']);
  });

  it('sees wildcard actions as granting the report permission', () => {
    expect(rules(base(`      Policies:
        - Statement:
            - Effect: Allow
              Action: codedeploy:Put*
              Resource: !Sub arn:\${AWS::Partition}:codedeploy:\${AWS::Region}:\${AWS::AccountId}:deploymentgroup:\${ServerlessDeploymentApplication}/*`))).toEqual([]);
  });
});

describe('Rule CDH003 with wildcards (review finding)', () => {
  const fixture = (extra: string) =>
    readFileSync(join(fixtures, 'cdh003-unqualified-invoke.yaml'), 'utf8').replace(
      '                - !GetAtt AppFunction.Arn\n',
      `                - !GetAtt AppFunction.Arn\n                - ${extra}\n`,
    );
  const cdh003 = (text: string) => diagnose(parseTemplate(text, 'inline.yaml')).filter((f) => f.rule === 'CDH003');

  it("is not satisfied by a wildcard on another function's ARN", () => {
    expect(cdh003(fixture("'arn:aws:lambda:us-east-1:123456789012:function:Other*'"))).toHaveLength(1);
  });

  it("is satisfied by this function's :* ARN, or a literal qualifier wildcard", () => {
    expect(cdh003(fixture('!Sub ${AppFunction.Arn}:*'))).toHaveLength(0);
    expect(cdh003(fixture("'arn:aws:lambda:us-east-1:123456789012:function:my-app:*'"))).toHaveLength(0);
  });
});

describe('Rule CDH002 with a policy attached to the SAM-generated role (review finding)', () => {
  it('sees report permission granted through an AWS::IAM::Policy on <Function>Role', () => {
    const text = readFileSync(join(fixtures, 'cdh002-no-report-permission.yaml'), 'utf8');
    const before = diagnose(parseTemplate(text, 'inline.yaml')).filter((f) => f.rule === 'CDH002');
    expect(before).toHaveLength(1);
    const withPolicy = `${text.trimEnd()}

  ExtraHookPolicy:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: report
      Roles: [!Ref ${before[0]!.resource}Role]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: codedeploy:PutLifecycleEventHookExecutionStatus
            Resource: !Sub arn:\${AWS::Partition}:codedeploy:\${AWS::Region}:\${AWS::AccountId}:deploymentgroup:\${ServerlessDeploymentApplication}/*
`;
    expect(diagnose(parseTemplate(withPolicy, 'inline.yaml')).filter((f) => f.rule === 'CDH002')).toEqual([]);
  });
});

describe('Rule CDH011: hook permissions no hook uses, or on "*" where a scope works', () => {
  const hook = (statements: string): string => `Transform: AWS::Serverless-2016-10-31
Resources:
  App:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs24.x
      AutoPublishAlias: live
      DeploymentPreference:
        Type: AllAtOnce
        Alarms: [!Ref Errors]
        Hooks:
          PreTraffic: !Ref Hook
  Errors:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/Lambda
      MetricName: Errors
  Hook:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: !Sub CodeDeployHook_pre-\${AWS::StackName}
      Runtime: nodejs24.x
      Timeout: 60
      DeploymentPreference:
        Enabled: false
      Policies:
        - Statement:
            - Effect: Allow
              Action: codedeploy:PutLifecycleEventHookExecutionStatus
              Resource: !Sub arn:\${AWS::Partition}:codedeploy:\${AWS::Region}:\${AWS::AccountId}:deploymentgroup:\${ServerlessDeploymentApplication}/\${AppDeploymentGroup}
${statements}`;
  const cdh011 = (statements: string) => diagnose(parseTemplate(hook(statements), 't.yaml')).filter((f) => f.rule === 'CDH011');
  const statement = (action: string, resource: string) => `            - Effect: Allow
              Action: ${action}
              Resource: ${resource}`;

  it('accepts "*" on the actions that have no resource-level permissions', () => {
    expect(cdh011(statement('[cloudwatch:GetMetricData, elasticloadbalancing:DescribeListeners, elasticloadbalancing:DescribeTargetGroups]', "'*'"))).toEqual([]);
  });

  it('accepts alarm reads on the alarm ARN, and actions of services codedeploy-hooks does not use', () => {
    expect(cdh011(statement('[cloudwatch:DescribeAlarms, cloudwatch:DescribeAlarmHistory]', '!GetAtt Errors.Arn'))).toEqual([]);
    expect(cdh011(statement('dynamodb:GetItem', "'*'"))).toEqual([]);
  });

  it('names the alarms and the function to scope to in the fix', () => {
    const [alarms] = cdh011(statement('[cloudwatch:DescribeAlarms, cloudwatch:GetMetricData]', "'*'"));
    expect(alarms!.message).toContain('cloudwatch:DescribeAlarms on any resource');
    expect(alarms!.message).not.toContain('GetMetricData');
    expect(alarms!.fix).toContain('!GetAtt Errors.Arn');
    const [invoke] = cdh011(statement('lambda:InvokeFunction', "'*'"));
    expect(invoke!.fix).toContain('!GetAtt App.Arn and !Sub ${App.Arn}:*');
    const [read] = cdh011(statement('codedeploy:GetDeployment', "'*'"));
    expect(read!.fix).toContain('deploymentgroup:${ServerlessDeploymentApplication}/${AppDeploymentGroup}');
  });

  it('looks into a narrower wildcard on "*" and leaves the report permission to CDH002', () => {
    const [hit, ...rest] = cdh011(statement('cloudwatch:Describe*', "'*'"));
    expect(rest).toEqual([]);
    expect(hit!.message).toContain('cloudwatch:DescribeAlarms, cloudwatch:DescribeAlarmHistory on any resource');
    expect(cdh011(statement('codedeploy:PutLifecycleEventHookExecutionStatus', "'*'"))).toEqual([]);
  });

  it('flags Action "*" and lists every unused action of a statement once', () => {
    expect(cdh011(statement("'*'", '!GetAtt Errors.Arn')).map((f) => f.message)).toEqual(['hook Hook may call every AWS action (Action: "*")']);
    const [unused] = cdh011(statement('[codedeploy:StopDeployment, elasticloadbalancing:DescribeTargetHealth]', "'*'"));
    expect(unused!.message).toContain('codedeploy:StopDeployment, elasticloadbalancing:DescribeTargetHealth, which no codedeploy-hooks code calls');
    expect(unused!.severity).toBe('warning');
  });

  it('says nothing about a role it cannot see', () => {
    const external = hook('').replace(/      Policies:[\s\S]*$/, '      Role: arn:aws:iam::123456789012:role/hook\n');
    expect(diagnose(parseTemplate(external, 't.yaml')).filter((f) => f.rule === 'CDH011')).toEqual([]);
  });
});
