import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WireCall {
  operation: string;
  body: Record<string, unknown>;
}

/**
 * A minimal CodeDeploy on 127.0.0.1 speaking awsJson1_1, for checking what
 * the real SDK client puts on the wire. `answer` may override any operation.
 */
export async function startFakeCodeDeploy(answer: (call: WireCall) => { status?: number; body: unknown } | undefined = () => undefined) {
  const calls: WireCall[] = [];
  const defaults: Record<string, unknown> = {
    GetDeployment: {
      deploymentInfo: { deploymentId: 'd-WIRE00001', applicationName: 'app', deploymentGroupName: 'grp', computePlatform: 'Lambda', status: 'InProgress', creator: 'user' },
    },
    ListDeploymentTargets: { targetIds: ['fn:live'] },
    GetDeploymentTarget: {
      deploymentTarget: {
        deploymentTargetType: 'LambdaTarget',
        lambdaTarget: {
          targetId: 'fn:live',
          lifecycleEvents: [{ lifecycleEventName: 'BeforeAllowTraffic', status: 'InProgress', startTime: 1_700_000_000 }],
          lambdaFunctionInfo: { functionName: 'fn', functionAlias: 'live', currentVersion: '1', targetVersion: '2', targetVersionWeight: 0 },
        },
      },
    },
  };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const operation = target.replace('CodeDeploy_20141006.', '');
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const call = { operation, body };
      calls.push(call);
      const custom = answer(call);
      const status = custom?.status ?? 200;
      const payload =
        custom?.body ??
        (operation === 'PutLifecycleEventHookExecutionStatus' ? { lifecycleEventHookExecutionId: body.lifecycleEventHookExecutionId } : defaults[operation]) ??
        { __type: 'UnknownOperationException', message: operation };
      res.writeHead(custom ? status : defaults[operation] || operation === 'PutLifecycleEventHookExecutionStatus' ? 200 : 400, {
        'content-type': 'application/x-amz-json-1.1',
      });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
