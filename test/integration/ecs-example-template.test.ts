/**
 * examples/ecs/template.yaml gives CodeDeploy the narrowest managed role that
 * works for ECS (AWSCodeDeployRoleForECSLimited, which invokes only functions
 * named CodeDeployHook_*) with hooks named to match, and opens the test
 * listener, which serves the replacement tasks before they are approved, only
 * to the address the test-traffic hook calls from.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../src/doctor/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const load = async () => (await readTemplate(join(root, 'examples/ecs/template.yaml'))).root as Record<string, any>;
const HOOKS = { EcsTestTrafficHook: 'hooks/ecs-test-traffic.ts', EcsPostTrafficHook: 'hooks/ecs-post-traffic.ts' };

describe('examples/ecs/template.yaml', () => {
  it('deploys with AWSCodeDeployRoleForECSLimited and nothing more', async () => {
    const { Resources } = await load();
    const groups = Object.values(Resources).filter((r: any) => r.Type === 'AWS::CodeDeploy::DeploymentGroup') as any[];
    expect(groups).toHaveLength(1);
    const roleId = groups[0].Properties.ServiceRoleArn['Fn::GetAtt'][0];
    const role = Resources[roleId].Properties;
    expect(role.ManagedPolicyArns).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:iam::aws:policy/AWSCodeDeployRoleForECSLimited' }]);
    expect(role.Policies).toBeUndefined();
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
  });

  it.each(Object.entries(HOOKS))('names %s CodeDeployHook_<prefix><stack UUID>, which that role may invoke, in at most 64 characters', async (id, entry) => {
    const { Resources, Outputs } = await load();
    const fn = Resources[id];
    expect(fn.Metadata.BuildProperties.EntryPoints).toEqual([entry]);
    const [separator, [prefix, uuid]] = fn.Properties.FunctionName['Fn::Join'];
    expect(separator).toBe('');
    expect(prefix).toMatch(/^CodeDeployHook_[A-Za-z0-9-]+-$/);
    expect(uuid).toEqual({ 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] });
    expect(prefix.length + 36).toBeLessThanOrEqual(64);
    // appspec.yaml gets the hook ARNs from the outputs.
    expect(Object.values(Outputs).some((o: any) => o.Value?.['Fn::GetAtt']?.[0] === id && o.Value['Fn::GetAtt'][1] === 'Arn')).toBe(true);
  });

  it('opens the test listener only to TestListenerCidr, which has no default and refuses the internet', async () => {
    const { Parameters, Resources } = await load();
    const ingress = Object.values(Resources)
      .filter((r: any) => r.Type === 'AWS::EC2::SecurityGroup')
      .flatMap((r: any) => r.Properties.SecurityGroupIngress ?? []) as any[];
    const onTestPort = ingress.filter((rule) => rule.FromPort <= 8080 && rule.ToPort >= 8080);
    expect(onTestPort).toEqual([{ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, CidrIp: { Ref: 'TestListenerCidr' } }]);
    const cidr = Parameters.TestListenerCidr;
    expect(cidr.Default).toBeUndefined();
    // CloudFormation matches AllowedPattern against the whole value.
    const allowed = new RegExp(`^(?:${cidr.AllowedPattern})$`);
    for (const ok of ['203.0.113.10/32', '198.51.100.0/24', '10.0.0.0/8']) expect(allowed.test(ok), ok).toBe(true);
    for (const bad of ['0.0.0.0/0', '0.0.0.0/1', '10.0.0.0/7', '203.0.113.10', '203.0.113.10/33', 'any']) expect(allowed.test(bad), bad).toBe(false);
  });

  it('runs the test-traffic hook in the VPC behind HookSubnetIds, with a security group that admits nothing', async () => {
    const { Resources } = await load();
    const vpc = Resources.EcsTestTrafficHook.Properties.VpcConfig;
    expect(vpc.SubnetIds).toEqual({ Ref: 'HookSubnetIds' });
    expect(vpc.SecurityGroupIds).toHaveLength(1);
    const group = Resources[vpc.SecurityGroupIds[0].Ref].Properties;
    expect(group.SecurityGroupIngress).toBeUndefined();
    expect(group.SecurityGroupEgress.map((r: any) => r.FromPort)).toEqual([443, 8080]);
    // The post-traffic hook calls only AWS APIs.
    expect(Resources.EcsPostTrafficHook.Properties.VpcConfig).toBeUndefined();
  });
});
