/** An ECS-native lifecycle hook event and an ECS client mock answering for its service deployment. */
import { DescribeServiceDeploymentsCommand, DescribeServiceRevisionsCommand, DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';

const ACCOUNT = 'arn:aws:ecs:us-east-1:123456789012';
const ELB = 'arn:aws:elasticloadbalancing:us-east-1:123456789012';
export const SERVICE_ARN = `${ACCOUNT}:service/prod/web`;
export const DEPLOYMENT_ARN = `${ACCOUNT}:service-deployment/prod/web/EZe5RNVLH6PPzHXINuP28`;
export const GREEN = `${ACCOUNT}:service-revision/prod/web/9313423515462893900`;
export const BLUE = `${ACCOUNT}:service-revision/prod/web/1920498462936580504`;
export const TG_BLUE = `${ELB}:targetgroup/web-blue/0123456789abcdef`;
export const TG_GREEN = `${ELB}:targetgroup/web-green/fedcba9876543210`;
export const PROD_RULE = `${ELB}:listener-rule/app/web-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee`;
export const TEST_RULE = `${ELB}:listener-rule/app/web-alb/50dc6c495c0c9188/aaaabbbbccccdddd/1111222233334444`;

export function ecsEvent(stage = 'POST_TEST_TRAFFIC_SHIFT', over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    executionId: 'f4fcae0f-9bec-41c6-ba87-0eaa0cef8af5',
    lifecycleStage: stage,
    resourceArn: DEPLOYMENT_ARN,
    executionDetails: {
      serviceArn: SERVICE_ARN,
      targetServiceRevisionArn: GREEN,
      testTrafficWeights: {},
      productionTrafficWeights: {},
    },
    ...over,
  };
}

export interface FakeEcsDeployment {
  status?: string;
  stage?: string;
  alarms?: string[];
  rollback?: { reason: string };
}

/** An ECS mock: the deployment, green and blue revisions (each with its target group and listener rules). */
export function mockEcs(d: FakeEcsDeployment = {}) {
  const ecs = mockClient(ECSClient);
  ecs.on(DescribeServiceDeploymentsCommand).resolves({
    serviceDeployments: [
      {
        serviceDeploymentArn: DEPLOYMENT_ARN,
        serviceArn: SERVICE_ARN,
        clusterArn: `${ACCOUNT}:cluster/prod`,
        // Ten minutes ago on whatever clock the test runs (the comparison reads the window since then).
        createdAt: new Date(Date.now() - 600_000),
        status: (d.status ?? 'IN_PROGRESS') as 'IN_PROGRESS',
        lifecycleStage: (d.stage ?? 'POST_TEST_TRAFFIC_SHIFT') as 'POST_TEST_TRAFFIC_SHIFT',
        sourceServiceRevisions: [{ arn: BLUE }],
        targetServiceRevision: { arn: GREEN },
        deploymentConfiguration: {
          strategy: 'BLUE_GREEN',
          ...(d.alarms ? { alarms: { alarmNames: d.alarms, enable: true, rollback: true } } : {}),
        },
        ...(d.rollback ? { rollback: d.rollback } : {}),
      },
    ],
    failures: [],
  });
  const revision = (arn: string, tg: string, image: string) => ({
    serviceRevisionArn: arn,
    serviceArn: SERVICE_ARN,
    taskDefinition: `${ACCOUNT}:task-definition/web:${arn === GREEN ? 8 : 7}`,
    containerImages: [{ containerName: 'app', image, imageDigest: `sha256:${arn === GREEN ? 'b' : 'a'}`.padEnd(71, '0') }],
    loadBalancers: [{ targetGroupArn: TG_BLUE, containerName: 'app', containerPort: 8080, advancedConfiguration: { alternateTargetGroupArn: TG_GREEN, productionListenerRule: PROD_RULE, testListenerRule: TEST_RULE, roleArn: `arn:aws:iam::123456789012:role/elb` } }],
    resolvedConfiguration: { loadBalancers: [{ targetGroupArn: tg, productionListenerRule: PROD_RULE }] },
  });
  ecs.on(DescribeServiceRevisionsCommand).resolves({
    serviceRevisions: [revision(GREEN, TG_GREEN, 'web:v2'), revision(BLUE, TG_BLUE, 'web:v1')],
    failures: [],
  });
  ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceArn: SERVICE_ARN, deploymentConfiguration: { alarms: { alarmNames: ['svc-5xx'], enable: true, rollback: true } } }] });
  return ecs;
}
