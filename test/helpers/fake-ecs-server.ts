/**
 * A minimal Amazon ECS on 127.0.0.1 speaking awsJson1_1 (the real SDK client
 * talks to it), answering the three calls an ECS-native hook makes for one
 * service deployment, with faults injectable per operation: throttling, 5xx,
 * or no answer at all.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ECSClient } from '@aws-sdk/client-ecs';
import { BLUE, DEPLOYMENT_ARN, GREEN, PROD_RULE, SERVICE_ARN, TEST_RULE, TG_BLUE, TG_GREEN } from './ecs-native-mock.js';

export type EcsFault = { kind: 'throttle' | 'error500' | 'hang'; times: number };

export interface FakeEcs {
  url: string;
  client: ECSClient;
  /** Operations received, in order. */
  calls: string[];
  fault(operation: string, fault: EcsFault): void;
  /** Replace the answer of an operation. */
  answer(operation: string, body: unknown): void;
  close(): Promise<void>;
}

function defaults(): Record<string, unknown> {
  const revision = (arn: string, tg: string) => ({
    serviceRevisionArn: arn,
    serviceArn: SERVICE_ARN,
    taskDefinition: `arn:aws:ecs:us-east-1:123456789012:task-definition/web:${arn === GREEN ? 8 : 7}`,
    containerImages: [{ containerName: 'app', image: arn === GREEN ? 'web:v2' : 'web:v1' }],
    loadBalancers: [{ targetGroupArn: TG_BLUE, containerName: 'app', containerPort: 8080, advancedConfiguration: { alternateTargetGroupArn: TG_GREEN, productionListenerRule: PROD_RULE, testListenerRule: TEST_RULE } }],
    resolvedConfiguration: { loadBalancers: [{ targetGroupArn: tg, productionListenerRule: PROD_RULE }] },
  });
  return {
    DescribeServiceDeployments: {
      serviceDeployments: [
        {
          serviceDeploymentArn: DEPLOYMENT_ARN,
          serviceArn: SERVICE_ARN,
          clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
          status: 'IN_PROGRESS',
          sourceServiceRevisions: [{ arn: BLUE }],
          targetServiceRevision: { arn: GREEN },
          deploymentConfiguration: { strategy: 'CANARY', alarms: { alarmNames: ['web-5xx'], enable: true, rollback: true } },
        },
      ],
      failures: [],
    },
    DescribeServiceRevisions: { serviceRevisions: [revision(GREEN, TG_GREEN), revision(BLUE, TG_BLUE)], failures: [] },
    DescribeServices: { services: [{ serviceArn: SERVICE_ARN }], failures: [] },
  };
}

export async function startFakeEcs(): Promise<FakeEcs> {
  const calls: string[] = [];
  const faults = new Map<string, EcsFault>();
  const answers = defaults();
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace('AmazonEC2ContainerServiceV20141113.', '');
      calls.push(operation);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(body));
      };
      const fault = faults.get(operation);
      if (fault && fault.times > 0) {
        fault.times--;
        if (fault.kind === 'hang') return void held.push(res);
        if (fault.kind === 'throttle') return send(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
        return send(500, { __type: 'ServerException', message: 'internal error' });
      }
      const body = answers[operation];
      if (body === undefined) return send(400, { __type: 'InvalidParameterException', message: `unknown operation ${operation}` });
      send(200, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new ECSClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' }, maxAttempts: 1 });
  return {
    url,
    client,
    calls,
    fault: (operation, fault) => void faults.set(operation, { ...fault }),
    answer: (operation, body) => void (answers[operation] = body),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        client.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
