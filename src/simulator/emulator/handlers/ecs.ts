import type { OperationTable } from './types.js';
import { str, strList } from './types.js';

/**
 * Amazon ECS operations a native lifecycle hook uses to inspect its deployment
 * (awsJson1_1, target prefix AmazonEC2ContainerServiceV20141113). Lists of ARNs
 * that name nothing come back in `failures` with reason MISSING, as in AWS.
 */
export const ecsOperations: OperationTable = {
  DescribeServices: (input, world) => world.ecs.describeServices(str(input, 'cluster'), strList(input, 'services') ?? []),

  DescribeServiceDeployments: (input, world) => world.ecs.describeServiceDeployments(strList(input, 'serviceDeploymentArns') ?? []),

  DescribeServiceRevisions: (input, world) => world.ecs.describeServiceRevisions(strList(input, 'serviceRevisionArns') ?? []),

  ListServiceDeployments: (input, world) =>
    world.ecs.listServiceDeployments(str(input, 'cluster'), str(input, 'service') ?? '', strList(input, 'status')),
};
