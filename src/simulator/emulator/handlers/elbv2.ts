import type { OperationTable } from './types.js';
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
};
