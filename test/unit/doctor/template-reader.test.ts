import { describe, expect, it } from 'vitest';
import { parseTemplate, TemplateError } from '../../../src/doctor/index.js';
import { mentionedIds, shape, staticPrefix } from '../../../src/doctor/intrinsics.js';
import { closestKey } from '../../../src/doctor/sam-keys.js';
import { editDistance } from '../../../src/util/edit-distance.js';
import { actionMatches } from '../../../src/doctor/model.js';

const YAML = `Parameters:
  Prefix:
    Type: String
    Default: CodeDeployHook_x
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      A: !Ref Prefix
      B: !GetAtt Other.Arn
      C: !Sub '\${Fn.Arn}:*'
      D: !If [Cond, !Ref X, !Ref AWS::NoValue]
      E: !Join ['', [CodeDeployHook_, !Ref AWS::StackName]]
      F: !GetAtt [Other, Version.Version]
`;

describe('template reader', () => {
  it('turns short-form intrinsics into their long forms', () => {
    const t = parseTemplate(YAML, 't.yaml');
    const props = (t.root.Resources as any).Fn.Properties;
    expect(props.A).toEqual({ Ref: 'Prefix' });
    expect(props.B).toEqual({ 'Fn::GetAtt': ['Other', 'Arn'] });
    expect(props.C).toEqual({ 'Fn::Sub': '${Fn.Arn}:*' });
    expect(props.D).toEqual({ 'Fn::If': ['Cond', { Ref: 'X' }, { Ref: 'AWS::NoValue' }] });
    expect(props.E).toEqual({ 'Fn::Join': ['', ['CodeDeployHook_', { Ref: 'AWS::StackName' }]] });
    expect(props.F).toEqual({ 'Fn::GetAtt': ['Other', 'Version.Version'] });
  });

  it('keeps the line of every key, falling back to the nearest parent', () => {
    const t = parseTemplate(YAML, 't.yaml');
    expect(t.lineOf(['Resources', 'Fn'])).toBe(6);
    expect(t.lineOf(['Resources', 'Fn', 'Properties', 'C'])).toBe(11);
    expect(t.lineOf(['Resources', 'Fn', 'Properties', 'Missing', 0])).toBe(8);
  });

  it('reads JSON templates with lines', () => {
    const t = parseTemplate('{\n  "Resources": {\n    "X": { "Type": "AWS::SNS::Topic" }\n  }\n}\n', 't.json');
    expect(t.lineOf(['Resources', 'X'])).toBe(3);
  });

  it.each([
    ['a: [1, 2\n', /t\.yaml: invalid YAML\/JSON at line/],
    ['- 1\n- 2\n', /t\.yaml: not a template: the top level must be a mapping/],
    ['Description: x\n', /t\.yaml: not a template: it has no Resources mapping/],
  ])('rejects %j with a TemplateError naming the file', (text, message) => {
    expect(() => parseTemplate(text, 't.yaml')).toThrow(TemplateError);
    expect(() => parseTemplate(text, 't.yaml')).toThrow(message);
  });
});

describe('intrinsic helpers', () => {
  it('shapes values with placeholders and finds the static prefix', () => {
    expect(shape({ 'Fn::Sub': '${A.Arn}:*' })).toBe('${A.Arn}:*');
    expect(shape({ 'Fn::GetAtt': ['A', 'Arn'] })).toBe('${A.Arn}');
    expect(staticPrefix({ 'Fn::Join': ['', ['CodeDeployHook_pre-', { Ref: 'AWS::StackName' }]] }, {})).toBe('CodeDeployHook_pre-');
    expect(staticPrefix({ Ref: 'P' }, { P: { Default: 'CodeDeployHook_p' } })).toBe('CodeDeployHook_p');
    expect(staticPrefix({ Ref: 'P' }, { P: {} })).toBeUndefined();
  });

  it('collects the logical ids a value mentions, including inside Sub', () => {
    expect([...mentionedIds({ 'Fn::Sub': 'arn:${AWS::Partition}:x:${App}/${Group.Name}' })].sort()).toEqual(['App', 'Group']);
  });
});

describe('key suggestions', () => {
  it('computes edit distances', () => {
    expect(editDistance('PreTrafic', 'PreTraffic')).toBe(1);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it.each([
    ['Deploymentpreference', ['DeploymentPreference'], 'DeploymentPreference'],
    ['Hook', ['Hooks', 'Role'], 'Hooks'],
    ['PostTrafic', ['PreTraffic', 'PostTraffic'], 'PostTraffic'],
    ['MemorySize', ['DeploymentPreference', 'AutoPublishAlias'], undefined],
    ['Hooks', ['Hooks'], undefined],
  ])('suggests for %s', (key, known, expected) => {
    expect(closestKey(key, known)).toBe(expected);
  });
});

describe('IAM action patterns', () => {
  it.each([
    ['codedeploy:*', 'codedeploy:PutLifecycleEventHookExecutionStatus', true],
    ['CodeDeploy:put*', 'codedeploy:PutLifecycleEventHookExecutionStatus', true],
    ['*', 'lambda:InvokeFunction', true],
    ['lambda:Invoke?unction', 'lambda:InvokeFunction', true],
    ['lambda:InvokeAsync', 'lambda:InvokeFunction', false],
    ['codedeploy:Get*', 'codedeploy:PutLifecycleEventHookExecutionStatus', false],
    ['**************codedeploy:', 'codedeploy:PutLifecycleEventHookExecutionStatus', false],
  ])('%s matches %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });

  it('stays fast on long runs of wildcards', () => {
    const started = performance.now();
    expect(actionMatches(`${'*a'.repeat(200)}b`, 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
