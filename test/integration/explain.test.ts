/**
 * `explain` end to end: a scenario is simulated, its finished world served
 * by the emulator, and explain reads it through the real SDK clients
 * (CodeDeploy, CloudWatch, CloudWatch Logs), as it would read AWS.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainDeployment, renderStory, type DeploymentStory } from '../../src/explain/index.js';
import { startEmulator, type Emulator } from '../../src/simulator/emulator/index.js';
import { seededRandom } from '../../src/simulator/engine/random.js';
import { simulate } from '../../src/simulator/engine/simulate.js';
import type { SimulationResult } from '../../src/simulator/engine/result.js';
import { loadScenario } from '../../src/simulator/scenario/loader.js';
import { createWorld } from '../../src/simulator/state/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

interface Simulated {
  result: SimulationResult;
  emulator: Emulator;
  story: DeploymentStory;
}

async function simulateAndExplain(name: string): Promise<Simulated> {
  const scenario = loadScenario(name);
  const world = createWorld({ random: seededRandom(scenario.seed + 2) });
  const result = await simulate(scenario, { world, captureHookOutput: true });
  const emulator = await startEmulator({ world });
  const story = await explainDeployment(result.deploymentId, { endpoint: emulator.url, region: world.region, credentials });
  return { result, emulator, story };
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: '/nonexistent', NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
    // Never the instance metadata service: a test talks only to 127.0.0.1.
    const child = spawn(process.execPath, ['bin/codedeploy-hooks.js', ...args], {
      cwd: ROOT,
      env: { ...base, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', ...env },
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

function expectOneLineError(run: { code: number | null; stderr: string }, text: RegExp): void {
  expect(run.code).toBe(2);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^codedeploy-hooks: /);
  expect(lines[0]).toMatch(text);
}

describe('explain: a Lambda canary rolled back by a failed pre-traffic check', () => {
  let sim: Simulated;
  beforeAll(async () => {
    sim = await simulateAndExplain('lambda-canary-broken-version');
  }, 60_000);
  afterAll(() => sim?.emulator.close());

  it('names the failed event, the hook, the check and its reason, from the verdict line in CloudWatch Logs', () => {
    const { story, result } = sim;
    expect(result.status).toBe('Failed');
    expect(story).toMatchObject({ deploymentId: result.deploymentId, status: 'Failed', outcome: 'rolled-back', failedEvent: 'BeforeAllowTraffic', hookSource: 'appspec' });
    expect(story.cause).toMatchObject({ kind: 'hook-failed', lifecycleEvent: 'BeforeAllowTraffic', hookFunction: 'CodeDeployHook_sample-app-pre-traffic', checkName: 'invoke GET /health' });
    expect(story.failedCheck).toMatchObject({ name: 'invoke GET /health', state: 'failed', enforced: true, lifecycleEvent: 'BeforeAllowTraffic' });
    expect(story.failedCheck?.reason).toMatch(/sample-app:2 returned a function error: SimulatedFailure/);
    expect(story.failedCheck?.details).toMatchObject({ executedVersion: '2', functionError: 'Unhandled' });
    const pre = story.events.find((e) => e.name === 'BeforeAllowTraffic')!;
    expect(pre.verdict).toMatchObject({ status: 'Failed', reported: true, reportOutcome: 'accepted', logGroup: '/aws/lambda/CodeDeployHook_sample-app-pre-traffic', otherLines: 0 });
    // The follow-up invocations (judged after the first success) had none to judge: the first one failed.
    expect(pre.verdict?.checks.map((c) => [c.name, c.state])).toEqual([['invoke GET /health', 'failed'], ['invoke GET /health × 30 after healthy', 'inconclusive'], ['deployment-group alarms not firing', 'passed']]);
    expect(story.headline).toMatch(/rolled back: the BeforeAllowTraffic hook \(CodeDeployHook_sample-app-pre-traffic\) reported Failed because check "invoke GET \/health" failed/);
  });

  it('says no traffic had moved, names the rollback deployment, the quiet alarm and what to do', () => {
    const { story } = sim;
    expect(story.traffic).toMatchObject({ phase: 'before-shift', targetWeightPercent: 0 });
    expect(story.traffic?.summary).toMatch(/stayed on version 1/);
    expect(story.target).toMatchObject({ platform: 'Lambda', functionName: 'sample-app', alias: 'live', currentVersion: '1', targetVersion: '2' });
    expect(story.rollback?.rollbackDeploymentId).toMatch(/^d-/);
    expect(story.rollback?.rollbackStatus).toBe('Succeeded');
    expect(story.alarms).toEqual([expect.objectContaining({ name: 'sample-app-new-version-errors', stateNow: 'OK', firedDuringDeployment: false })]);
    expect(story.advice[0]).toMatch(/Fix what check "invoke GET \/health" found/);
    expect(story.advice.join('\n')).toMatch(/aws lambda invoke --function-name sample-app:2/);
    expect(story.gaps).toEqual([]);
  });

  it('renders the same story as text, and --json prints the object itself', async () => {
    const text = renderStory(sim.story);
    expect(text).toMatch(/^Deployment d-\w+ — ROLLED BACK/);
    expect(text).toMatch(/✗ BeforeAllowTraffic\s+Failed/);
    expect(text).toMatch(/✗ invoke GET \/health: failed — sample-app:2 returned a function error/);
    expect(text).toMatch(/What to do\n {2}1\. Fix what check/);
    const run = await cli(['explain', sim.result.deploymentId, '--json', '--endpoint-url', sim.emulator.url], { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const parsed = JSON.parse(run.stdout) as DeploymentStory;
    expect(parsed).toEqual(JSON.parse(JSON.stringify({ ...sim.story, alarms: parsed.alarms })));
  }, 60_000);
});

describe('explain: a Lambda canary stopped by an alarm during AllowTraffic', () => {
  let sim: Simulated;
  beforeAll(async () => {
    sim = await simulateAndExplain('lambda-alarm-during-canary');
  }, 90_000);
  afterAll(() => sim?.emulator.close());

  it('names the alarm that fired, when, why, and that part of the traffic was on the new version', () => {
    const { story } = sim;
    expect(story.outcome).toBe('rolled-back');
    expect(story.errorInformation?.code).toBe('ALARM_ACTIVE');
    expect(story.cause).toMatchObject({ kind: 'alarm', alarmName: 'sample-app-new-version-errors', lifecycleEvent: 'AllowTraffic' });
    expect(story.cause.summary).toMatch(/alarm sample-app-new-version-errors went to ALARM at .* during AllowTraffic \(Threshold Crossed/);
    const alarm = story.alarms.find((a) => a.name === 'sample-app-new-version-errors')!;
    expect(alarm).toMatchObject({ stateNow: 'ALARM', firedDuringDeployment: true });
    expect(alarm.transitions.at(-1)).toMatchObject({ from: 'OK', to: 'ALARM' });
    expect(story.traffic).toMatchObject({ phase: 'shifting', targetWeightPercent: 20, estimated: true });
    // The pre-traffic hook passed: its verdict is there, and it is not blamed.
    expect(story.events.find((e) => e.name === 'BeforeAllowTraffic')?.verdict?.status).toBe('Succeeded');
    expect(story.failedCheck).toBeUndefined();
    expect(story.advice.join('\n')).toMatch(/describe-alarms --alarm-names sample-app-new-version-errors/);
  });
});

describe('explain: an ECS blue/green deployment rolled back by the test-traffic hook', () => {
  let sim: Simulated;
  beforeAll(async () => {
    sim = await simulateAndExplain('ecs-bluegreen-broken-green');
  }, 90_000);
  afterAll(() => sim?.emulator.close());

  it('finds the ECS AppSpec hooks, the failed check, and that only test traffic reached green', () => {
    const { story } = sim;
    expect(story).toMatchObject({ computePlatform: 'ECS', outcome: 'rolled-back', failedEvent: 'AfterAllowTestTraffic', hookSource: 'appspec' });
    expect(story.cause).toMatchObject({ kind: 'hook-failed', hookFunction: 'CodeDeployHook_sample-ecs-test-traffic', checkName: 'smoke suite through the test listener' });
    expect(story.failedCheck?.reason).toMatch(/expected status 200, got 503/);
    expect(story.target).toMatchObject({ platform: 'ECS', cluster: 'sample-cluster' });
    expect(story.traffic).toMatchObject({ phase: 'before-shift' });
    expect(story.traffic?.summary).toMatch(/test traffic went to the replacement \(green\) task set/);
  });
});

describe('explain: a healthy deployment', () => {
  let sim: Simulated;
  beforeAll(async () => {
    sim = await simulateAndExplain('lambda-canary-healthy');
  }, 90_000);
  afterAll(() => sim?.emulator.close());

  it('shows every event succeeded with both hooks’ passing verdicts and all traffic on the new version', () => {
    const { story } = sim;
    expect(story).toMatchObject({ status: 'Succeeded', outcome: 'succeeded', cause: { kind: 'none' } });
    expect(story.events.map((e) => [e.name, e.status])).toEqual([['BeforeAllowTraffic', 'Succeeded'], ['AllowTraffic', 'Succeeded'], ['AfterAllowTraffic', 'Succeeded']]);
    for (const name of ['BeforeAllowTraffic', 'AfterAllowTraffic']) {
      const v = story.events.find((e) => e.name === name)!.verdict!;
      expect(v.status).toBe('Succeeded');
      const enforced = v.checks.filter((c) => c.enforced);
      expect(enforced.length).toBeGreaterThan(0);
      expect(enforced.every((c) => c.state === 'passed')).toBe(true);
    }
    expect(story.failedEvent).toBeUndefined();
    expect(story.traffic).toMatchObject({ phase: 'shifted', targetWeightPercent: 100 });
    expect(story.advice).toEqual(['Nothing to do: the deployment succeeded.']);
  });
});

describe('explain: a hook that never reported (no verdict line)', () => {
  let sim: Simulated;
  beforeAll(async () => {
    sim = await simulateAndExplain('hook-never-reports');
  }, 90_000);
  afterAll(() => sim?.emulator.close());

  it('explains the timeout from the API alone, saying which log group holds no verdict line', () => {
    const { story } = sim;
    expect(story.outcome).toBe('rolled-back');
    expect(story.cause).toMatchObject({ kind: 'hook-no-report', lifecycleEvent: 'BeforeAllowTraffic', hookFunction: 'CodeDeployHook_sample-app-pre-traffic' });
    const pre = story.events.find((e) => e.name === 'BeforeAllowTraffic')!;
    expect(pre.verdict).toBeUndefined();
    expect(pre.diagnostics?.errorCode).toBe('ScriptTimedOut');
    expect(pre.missingVerdict).toMatch(/no verdict line for this deployment in \/aws\/lambda\/CodeDeployHook_sample-app-pre-traffic/);
    // The hook's own console.log mentions the deployment: it ran, it just never reported.
    expect(pre.missingVerdict).toMatch(/1 other line\(s\) there mention the deployment/);
    expect(story.advice[0]).toMatch(/Make the hook report on every path/);
  });

  it('still explains when the log group is gone (logs deleted or never written)', async () => {
    sim.emulator.world.logs.groups.clear();
    const story = await explainDeployment(sim.result.deploymentId, { endpoint: sim.emulator.url, region: 'us-east-1', credentials });
    expect(story.cause.kind).toBe('hook-no-report');
    expect(story.events.find((e) => e.name === 'BeforeAllowTraffic')?.missingVerdict).toMatch(/log group \/aws\/lambda\/CodeDeployHook_sample-app-pre-traffic does not exist/);
  });
});

describe('explain: simulate --serve keeps the simulated account up for the explain command', () => {
  it('serves the finished world until SIGTERM; explain reads it through AWS_ENDPOINT_URL', async () => {
    const env = { PATH: process.env.PATH, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true' };
    const child = spawn(process.execPath, ['bin/codedeploy-hooks.js', 'simulate', '-s', 'lambda-canary-broken-version', '--quiet', '--serve'], { cwd: ROOT, env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', done));
    try {
      const command = await new Promise<string>((done, fail) => {
        const timer = setTimeout(() => fail(new Error(`no serve line within 60 s:\n${out}`)), 60_000);
        child.stdout.on('data', () => {
          const m = /^ {2}(AWS_ENDPOINT_URL=\S+ AWS_REGION=\S+ AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test) codedeploy-hooks explain (d-\w+)$/m.exec(out);
          if (m) {
            clearTimeout(timer);
            done(`${m[1]} ${m[2]}`);
          }
        });
      });
      const [endpoint, region, key, secret, id] = command.split(' ').map((p) => p.split('=')[1] ?? p);
      const run = await cli(['explain', id!], { AWS_ENDPOINT_URL: endpoint, AWS_REGION: region, AWS_ACCESS_KEY_ID: key, AWS_SECRET_ACCESS_KEY: secret });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(new RegExp(`^Deployment ${id} — ROLLED BACK`));
      expect(run.stdout).toMatch(/check "invoke GET \/health" failed: sample-app:2 returned a function error/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(1);
  }, 120_000);
});

describe('explain: bad input and unreadable sources', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ world: createWorld() });
  });
  afterAll(() => emulator.close());
  const opts = () => ({ endpoint: emulator.url, region: 'us-east-1', credentials, maxAttempts: 2 });

  it('an unknown deployment id is one clear error naming the id and the region', async () => {
    await expect(explainDeployment('d-ABCDEFGHI', opts())).rejects.toThrow(/^deployment d-ABCDEFGHI does not exist in us-east-1: check the id and the region/);
  });

  it.each(['abc', 'd-', 'd-ABC DEF', ''])('a malformed id %j is refused before any call', async (id) => {
    const before = emulator.calls.length;
    await expect(explainDeployment(id, opts())).rejects.toThrow(/invalid deployment id/);
    expect(emulator.calls.length).toBe(before);
  });

  it('a well-formed id the service rejects gets its message', async () => {
    await expect(explainDeployment('d-abc', opts())).rejects.toThrow(/invalid deployment id "d-abc": Specified DeploymentId is not in the valid format/);
  });

  it('throttling on GetDeployment ends in one line after the retries', async () => {
    const fault = emulator.faults.add({ service: 'codedeploy', operation: 'GetDeployment', kind: 'throttle' });
    try {
      await expect(explainDeployment('d-ABCDEFGHI', opts())).rejects.toThrow(/^CodeDeploy GetDeployment was throttled \(ThrottlingException\) after 2 attempts; wait a minute/);
      expect(fault.hits).toBe(2);
    } finally {
      fault.remove();
    }
  });

  it('the CLI prints one line and exits 2: unknown id, missing region, missing credentials', async () => {
    const creds = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
    expectOneLineError(await cli(['explain', 'd-ABCDEFGHI', '--endpoint-url', emulator.url, '--region', 'us-east-1'], creds), /deployment d-ABCDEFGHI does not exist in us-east-1/);
    expectOneLineError(await cli(['explain', 'd-ABCDEFGHI', '--endpoint-url', emulator.url], creds), /no AWS region: set AWS_REGION .* or pass --region/);
    expectOneLineError(await cli(['explain', 'd-ABCDEFGHI', '--endpoint-url', emulator.url, '--region', 'us-east-1']), /no AWS credentials found/);
    expectOneLineError(await cli(['explain', 'not-an-id', '--region', 'us-east-1'], creds), /invalid deployment id "not-an-id"/);
  }, 120_000);
});
