/**
 * Hooks in any language: a scenario hook that is a command gets the CodeDeploy
 * event as JSON on stdin and a Lambda-like environment pointed at the
 * emulator. End to end, `codedeploy-hooks emulator --scenario` plays the
 * deployment forward on the status a Python/boto3 hook (written as AWS's samples
 * write them) reports: Succeeded completes it, Failed rolls back, silence times
 * out after the (simulated) hour.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommandHook } from '../../src/simulator/engine/command-hook.js';
import { parseScenario } from '../../src/simulator/index.js';
import type { ScenarioHook } from '../../src/simulator/scenario/types.js';
import { BOTO3_INSTALL, hasBoto3 } from '../helpers/boto3.js';

const ROOT = resolve(import.meta.dirname, '../..');
const PY_HOOK = join(ROOT, 'examples/hooks/report_status.py');
const dir = mkdtempSync(join(tmpdir(), 'command-hook-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EVENT = { DeploymentId: 'd-AAAAAAAAA', LifecycleEventHookExecutionId: 'exec-1' };
const AWS = { endpoint: 'http://127.0.0.1:9', region: 'eu-west-1' };

function commandHook(command: string, extra: Partial<ScenarioHook> = {}): ScenarioHook {
  const s = parseScenario(`platform: Lambda\nhooks:\n  BeforeAllowTraffic: { command: ${JSON.stringify(command)}, functionName: py-hook, timeoutSeconds: 30 }\n`, { file: 'inline.yaml', baseDir: dir });
  return { ...s.hooks[0]!, ...extra };
}

describe('the command-hook runner', () => {
  it('gives the event on stdin and the Lambda-like environment, without the host\'s AWS settings', async () => {
    process.env.AWS_PROFILE = 'real-account';
    try {
      const script = "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.stringify({event:JSON.parse(s),env:process.env,cwd:process.cwd()})))";
      const hook = commandHook(`"${process.execPath}" -e "${script}"`, { env: { GREETING: 'hi' } });
      const inv = await runCommandHook(hook, hook.command!, EVENT, AWS, { captureOutput: true });
      expect(inv.outcome).toBe('returned');
      const seen = JSON.parse(inv.logs.join('')) as { event: unknown; env: Record<string, string>; cwd: string };
      expect(seen.event).toEqual(EVENT);
      expect(seen.cwd).toBe(dir);
      expect(seen.env).toMatchObject({
        AWS_ENDPOINT_URL: AWS.endpoint, AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test',
        AWS_LAMBDA_FUNCTION_NAME: 'py-hook', AWS_LAMBDA_FUNCTION_TIMEOUT: '30', GREETING: 'hi',
      });
      expect(seen.env.AWS_PROFILE).toBeUndefined();
    } finally {
      delete process.env.AWS_PROFILE;
    }
  });

  it('a non-zero exit is a failed invocation naming the code and the last line printed', async () => {
    const hook = commandHook(`"${process.execPath}" -e "console.error('boom: no such table'); process.exit(3)"`);
    const inv = await runCommandHook(hook, hook.command!, EVENT, AWS, { captureOutput: true });
    expect(inv.outcome).toBe('threw');
    expect(inv.error).toMatch(/exited with code 3: boom: no such table$/);
  });

  it('kills the process (and what its shell started) when its Lambda timeout passes', async () => {
    const hook = commandHook(`"${process.execPath}" -e "setTimeout(() => {}, 60000)"`, { timeoutSeconds: 1 });
    const started = Date.now();
    const inv = await runCommandHook(hook, hook.command!, EVENT, AWS, { captureOutput: true });
    expect(inv.outcome).toBe('timed-out');
    expect(inv.error).toBe('Task timed out after 1.00 seconds');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('a program that does not exist fails the invocation with a clear message (list form, no shell)', async () => {
    const s = parseScenario('platform: Lambda\nhooks:\n  BeforeAllowTraffic: { command: [no-such-program-xyz, a.py] }\n', { file: 'inline.yaml', baseDir: dir });
    const hook = s.hooks[0]!;
    expect(hook.command).toEqual({ argv: ['no-such-program-xyz', 'a.py'], cwd: dir });
    const inv = await runCommandHook(hook, hook.command!, EVENT, AWS, { captureOutput: true });
    expect(inv.outcome).toBe('threw');
    expect(inv.error).toContain('cannot start no-such-program-xyz a.py');
  });

  it('a hook needs exactly one of module and command', () => {
    expect(() => parseScenario('platform: Lambda\nhooks:\n  BeforeAllowTraffic: { module: ./a.ts, command: python3 a.py }\n', { file: 'x.yaml' })).toThrow(/hooks\.BeforeAllowTraffic: needs exactly one of module .* or command/);
    expect(() => parseScenario('platform: Lambda\nhooks:\n  BeforeAllowTraffic: { export: main }\n', { file: 'x.yaml' })).toThrow(/needs exactly one of module/);
    expect(() => parseScenario('platform: Lambda\nhooks:\n  BeforeAllowTraffic: { command: [] }\n', { file: 'x.yaml' })).toThrow(/hooks\.BeforeAllowTraffic\.command: expected a command line or a non-empty list/);
  });
});

// ---- end to end: a Python hook with boto3, through `codedeploy-hooks emulator --scenario` ----

const INSTALL = BOTO3_INSTALL;

const available = hasBoto3();

if (!available && process.env.CI === 'true') {
  describe('Python command hook end to end', () => {
    it('requires python3 + boto3 under CI=true', () => {
      throw new Error(`python3 with boto3 is required under CI=true: ${INSTALL}`);
    });
  });
}

/** Runs the emulator on a scenario until its deployment finishes; returns everything it printed. */
/**
 * The hook's Python runs in real time while the simulated clock keeps moving at the scale's pace,
 * so reporting cases run at 100x (the hour is 36 s of real time, room for a slow python start on a
 * busy host); the silent one at 1000x, where the hour is 3.6 s.
 */
function emulate(reportStatus: string, name: string, timeScale: number): Promise<string> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, `
platform: Lambda
deployment: { config: CodeDeployDefault.LambdaAllAtOnce, timeScale: ${timeScale} }
hooks:
  BeforeAllowTraffic:
    command: python3 ${JSON.stringify(PY_HOOK)}
    functionName: python-pre-traffic
    timeoutSeconds: 60
    env: { REPORT_STATUS: ${reportStatus} }
`);
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, ['bin/codedeploy-hooks.js', 'emulator', '--scenario', file], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (/deployment d-[A-Z0-9]{9} finished: /.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => (code === 0 && /finished: /.test(stdout) ? resolveRun(stdout) : reject(new Error(`emulator exited ${code}: ${stdout}\n${stderr}`))));
  });
}

describe.skipIf(!available)(`Python command hook end to end (skipped when missing: ${INSTALL})`, () => {
  it('Succeeded from the hook completes the deployment', async () => {
    const out = await emulate('Succeeded', 'succeeds', 100);
    expect(out).toMatch(/hook event for BeforeAllowTraffic: \{"DeploymentId":"d-[A-Z0-9]{9}","LifecycleEventHookExecutionId":"[^"]+"\}/);
    expect(out).toContain('validating deployment d-');
    expect(out).toMatch(/deployment d-[A-Z0-9]{9} finished: Succeeded;/);
  });

  it('Failed from the hook rolls the deployment back', async () => {
    const out = await emulate('Failed', 'fails', 100);
    expect(out).toMatch(/finished: Failed \(rolled back\)/);
    expect(out).toContain('HOOK_EXECUTION_FAILURE');
  });

  it('a hook that never reports times out after the hour, in simulated time', async () => {
    const started = Date.now();
    const out = await emulate('none', 'silent', 1000);
    expect(out).toMatch(/finished: Failed/);
    expect(out).toContain('did not report a status within 1 h (simulated)');
    // 3600 simulated seconds at 1000x: a few real seconds, nowhere near an hour.
    expect(Date.now() - started).toBeLessThan(120_000);
  });
});
