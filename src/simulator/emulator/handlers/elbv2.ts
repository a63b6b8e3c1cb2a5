import type { OperationTable } from './types.js';
import { AwsServiceError } from '../../state/aws-error.js';
import { str, strList } from './types.js';

/** ELBv2 operations (awsQuery, Version 2015-12-01). */
export const elbv2Operations: OperationTable = {
  DescribeLoadBalancers: (input, world) => ({
    LoadBalancers: world.elbv2.describeLoadBalancers({
      ...(strList(input, 'LoadBalancerArns') ? { LoadBalancerArns: strList(input, 'LoadBalancerArns')! } : {}),
      ...(strList(input, 'Names') ? { Names: strList(input, 'Names')! } : {}),
    }),
  }),

  DescribeListeners: (input, world) => ({
    Listeners: world.elbv2.describeListeners({
      ...(str(input, 'LoadBalancerArn') ? { LoadBalancerArn: str(input, 'LoadBalancerArn')! } : {}),
      ...(strList(input, 'ListenerArns') ? { ListenerArns: strList(input, 'ListenerArns')! } : {}),
    }),
  }),

  DescribeTargetGroups: (input, world) => ({
    TargetGroups: world.elbv2.describeTargetGroups({
      ...(str(input, 'LoadBalancerArn') ? { LoadBalancerArn: str(input, 'LoadBalancerArn')! } : {}),
      ...(strList(input, 'TargetGroupArns') ? { TargetGroupArns: strList(input, 'TargetGroupArns')! } : {}),
      ...(strList(input, 'Names') ? { Names: strList(input, 'Names')! } : {}),
    }),
  }),

  DescribeTargetHealth: (input, world) => {
    const targets = Array.isArray(input.Targets) ? input.Targets.map(targetDescription) : undefined;
    return {
      TargetHealthDescriptions: world.elbv2.describeTargetHealth({
        ...(str(input, 'TargetGroupArn') ? { TargetGroupArn: str(input, 'TargetGroupArn')! } : {}),
        ...(targets ? { Targets: targets } : {}),
      }),
    };
  },
};

/** A `Targets.member.N` entry: the query protocol sends every value as text, so Port arrives as a string. */
function targetDescription(value: unknown): { Id: string; Port?: number } {
  const t = (value ?? {}) as Record<string, unknown>;
  const id = typeof t.Id === 'string' ? t.Id : '';
  if (!id) throw new AwsServiceError('ValidationError', "1 validation error detected: Value null at 'targets.member.id' failed to satisfy constraint: Member must not be null");
  if (t.Port === undefined) return { Id: id };
  const port = Number(t.Port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new AwsServiceError('ValidationError', `1 validation error detected: Value '${String(t.Port)}' at 'targets.member.port' failed to satisfy constraint: Member must have value between 1 and 65535`);
  return { Id: id, Port: port };
}
