import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/simulator/emulator/index.js';
import type { Emulator } from '../../src/simulator/emulator/index.js';
import { BOTO3_INSTALL, hasBoto3 } from '../helpers/boto3.js';
import { runBoto3 } from './boto3-driver.js';
import type { Boto3Call } from './boto3-driver.js';
import { buildEcsNativeFixture } from './ecs-native-fixture.js';
import type { EcsNativeFixture } from './ecs-native-fixture.js';

/**
 * The ECS calls a native lifecycle hook makes (DescribeServiceDeployments,
 * DescribeServiceRevisions, DescribeServices, ListServiceDeployments), made by
 * boto3 with botocore's own ECS model: shapes and errors the emulator serves
 * are parsed by code nobody on this project wrote.
 */

const available = hasBoto3();
let emu: Emulator;
let f: EcsNativeFixture;
let dir: string;
const run = (calls: Boto3Call[]) => runBoto3(emu.url, dir, calls);

if (!available && process.env.CI === 'true') {
  describe('boto3 ECS conformance', () => {
    it('requires python3 + boto3 under CI=true', () => {
      throw new Error(`boto3 is missing: ${BOTO3_INSTALL}`);
    });
  });
}

describe.skipIf(!available)(`boto3 ECS-native calls against the emulator (skipped when missing: ${BOTO3_INSTALL})`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cdh-boto3-ecs-'));
    f = buildEcsNativeFixture();
    emu = await startEmulator({ world: f.world });
  });
  afterAll(async () => {
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('DescribeServiceDeployments: stage, weights per revision, alarms; unknown ARNs come back as failures', async () => {
    const missing = f.deploymentArn.replace(/[^/]+$/, 'nope');
    const [out] = await run([{ service: 'ecs', operation: 'DescribeServiceDeployments', params: { serviceDeploymentArns: [f.deploymentArn, missing] } }]);
    expect(out!.status).toBe(200);
    const [d] = out!.result.serviceDeployments;
    expect(d).toMatchObject({
      serviceDeploymentArn: f.deploymentArn, serviceArn: f.serviceArn, status: 'IN_PROGRESS', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
      targetServiceRevision: { arn: f.greenRevisionArn, requestedProductionTrafficWeight: 10, runningTaskCount: 2 },
      sourceServiceRevisions: [{ arn: f.blueRevisionArn, requestedProductionTrafficWeight: 90 }],
      deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 3 } },
      alarms: { status: 'MONITORING', alarmNames: ['web-5xx'] },
    });
    expect(typeof d.startedAt).toBe('string'); // a timestamp botocore parsed into a datetime
    expect(out!.result.failures).toEqual([{ arn: missing, reason: 'MISSING' }]);
  });

  it('DescribeServiceRevisions: task definition, image digest; the active revision has its resolved target group', async () => {
    const [out] = await run([{ service: 'ecs', operation: 'DescribeServiceRevisions', params: { serviceRevisionArns: [f.blueRevisionArn, f.greenRevisionArn] } }]);
    const [blue, green] = out!.result.serviceRevisions;
    expect(blue.taskDefinition).toMatch(/web:1$/);
    expect(green.containerImages[0]).toMatchObject({ containerName: 'web', image: 'web:2', imageDigest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(blue.resolvedConfiguration.loadBalancers[0].targetGroupArn).toMatch(/web-blue/);
    expect(green.resolvedConfiguration).toBeUndefined();
  });

  it('DescribeServices and ListServiceDeployments by cluster and name', async () => {
    const [svc, list] = await run([
      { service: 'ecs', operation: 'DescribeServices', params: { cluster: 'shop', services: ['web', 'ghost'] } },
      { service: 'ecs', operation: 'ListServiceDeployments', params: { cluster: 'shop', service: 'web' } },
    ]);
    expect(svc!.result.services[0]).toMatchObject({ serviceArn: f.serviceArn, deploymentController: { type: 'ECS' }, status: 'ACTIVE' });
    expect(svc!.result.failures).toEqual([{ arn: expect.stringMatching(/service\/shop\/ghost$/), reason: 'MISSING' }]);
    expect(list!.result.serviceDeployments).toEqual([expect.objectContaining({ serviceDeploymentArn: f.deploymentArn, targetServiceRevisionArn: f.greenRevisionArn, status: 'IN_PROGRESS' })]);
  });

  it('errors botocore maps: an empty ARN list, an unknown service, more than 20 ARNs', async () => {
    const [empty, unknown, tooMany] = await run([
      { service: 'ecs', operation: 'DescribeServiceDeployments', params: { serviceDeploymentArns: [] } },
      { service: 'ecs', operation: 'ListServiceDeployments', params: { cluster: 'shop', service: 'ghost' } },
      { service: 'ecs', operation: 'DescribeServiceRevisions', params: { serviceRevisionArns: Array.from({ length: 21 }, () => f.greenRevisionArn) } },
    ]);
    expect(empty).toMatchObject({ status: 400, error: { Code: 'InvalidParameterException' } });
    expect(unknown).toMatchObject({ status: 400, error: { Code: 'ServiceNotFoundException' } });
    expect(tooMany).toMatchObject({ status: 400, error: { Code: 'InvalidParameterException', Message: expect.stringMatching(/at most 20/) } });
  });
});
