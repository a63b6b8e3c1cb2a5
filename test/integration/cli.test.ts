/**
 * The CLI as users run it: `node bin/codedeploy-hooks.js …` in a child
 * process, checking exit codes (0 succeeded, 1 failed, 2 usage/scenario
 * errors), that errors are one clear line, and the report files.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as ecsTestTraffic } from '../../hooks/ecs-test-traffic.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = resolve(import.meta.dirname, 'fixtures');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], opts: { until?: RegExp; signal?: NodeJS.Signals } = {}): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.AWS_ENDPOINT_URL;
    const child = spawn(process.execPath, ['bin/codedeploy-hooks.js', ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      // Long-running commands (the emulator) are stopped with a signal once they said what we wait for.
      if (opts.until && !signalled && opts.until.test(stdout)) {
        signalled = true;
        child.kill(opts.signal ?? 'SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}

/** A stderr that is a clear error: one `codedeploy-hooks:` line (plus the usage hint), no stack trace. */
function expectOneLineError(run: Run, text: string | RegExp): void {
  const lines = run.stderr.trim().split('\n');
  expect(lines[0]).toMatch(/^codedeploy-hooks: /);
  expect(lines[0]).toMatch(text);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

let busy: Server;
let busyPort = 0;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
  busyPort = (busy.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => busy.close(() => r())));

describe.concurrent('codedeploy-hooks simulate', () => {
  it('exits 0 when the deployment succeeds, printing the timeline and the summary', async () => {
    const run = await cli(['simulate', '--scenario', join(FIXTURES, 'quick-success.yaml'), '--time-scale', '500']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Simulating scenario quick-success');
    expect(run.stdout).toMatch(/BeforeAllowTraffic\s+Succeeded/);
    expect(run.stdout).toMatch(/Traffic\s+alias: version 1 0% \| version 2 100%/);
    expect(run.stdout).toMatch(/End\s+Succeeded/);
    expect(run.stdout).toMatch(/Deployment d-[A-Z0-9]{9} .*: SUCCEEDED/);
    expect(run.stdout).toContain('Why: every lifecycle event succeeded');
  });

  it('exits 1 when a hook reports Failed, saying why and that it rolled back; writes JSON and JUnit reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-report-'));
    const json = join(dir, 'out/report.json');
    const xml = join(dir, 'junit.xml');
    const run = await cli(['simulate', '-s', join(FIXTURES, 'quick-failure.yaml'), '--report', json, '--report', xml]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('ROLLED BACK');
    expect(run.stdout).toContain('Why: BeforeAllowTraffic hook CodeDeployHook_BeforeAllowTraffic reported Failed');
    const report = JSON.parse(readFileSync(json, 'utf8')) as { status: string; errorCode: string; rolledBack: boolean; hooks: { status: string }[]; timeline: unknown[] };
    expect(report).toMatchObject({ status: 'Failed', errorCode: 'HOOK_EXECUTION_FAILURE', rolledBack: true });
    expect(report.hooks[0]!.status).toBe('Failed');
    expect(report.timeline.length).toBeGreaterThan(3);
    const junit = readFileSync(xml, 'utf8');
    expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(junit).toMatch(/<testsuites [^>]*failures="2"/);
    expect(junit).toContain('<testcase name="BeforeAllowTraffic reported"');
    expect(junit).toMatch(/<failure message="Failed: [^"]*"/);
  });

  it('exits 2 for an unknown scenario name and lists the built-in ones', async () => {
    const run = await cli(['simulate', '--scenario', 'lambda-canary-heathy']);
    expect(run.code).toBe(2);
    expectOneLineError(run, /unknown scenario name; built-in scenarios are: .*lambda-canary-healthy/);
    expect(run.stdout).toBe('');
  });

  it('exits 2 for an invalid scenario file, naming the file, the path and the line', async () => {
    const file = join(FIXTURES, 'invalid-key.yaml');
    const run = await cli(['simulate', '-s', file]);
    expect(run.code).toBe(2);
    expectOneLineError(run, `${file}:versions.target.errorRat: unknown key "errorRat" (did you mean "errorRate"?)`);
    expect(run.stderr).toContain('(line 5)');
  });

  it('exits 2 for a missing file and for a hook module that cannot be imported', async () => {
    const missing = await cli(['simulate', '-s', join(FIXTURES, 'nope.yaml')]);
    expect(missing.code).toBe(2);
    expectOneLineError(missing, 'nope.yaml: file not found');
    const badHook = await cli(['simulate', '-s', join(FIXTURES, 'hook-not-importable.yaml')]);
    expect(badHook.code).toBe(2);
    expectOneLineError(badHook, /hook BeforeAllowTraffic module .*throws-on-import\.ts cannot be imported: this hook module fails while loading/);
    expect(badHook.stdout).toBe('');
    // The hook's env is set while it loads, so a setting it rejects is reported here too.
    const badEnv = await cli(['simulate', '-s', join(FIXTURES, 'hook-bad-env.yaml')]);
    expect(badEnv.code).toBe(2);
    expectOneLineError(badEnv, /pre-traffic\.ts cannot be imported: invalid option CODEDEPLOY_HOOKS_INVOKE_ATTEMPTS: must be a whole number, got "lots"/);
  });

  it('exits 2 when a listener port is in use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-port-'));
    const file = join(dir, 'ecs.yaml');
    writeFileSync(file, `platform: ECS\necs: { productionPort: ${busyPort} }\n`);
    const run = await cli(['simulate', '-s', file]);
    expect(run.code).toBe(2);
    expectOneLineError(run, `port ${busyPort} on 127.0.0.1 is already in use (ecs.productionPort in ${file})`);
  });

  it('exits 2 on usage errors', async () => {
    const unknownOption = await cli(['simulate', '--bogus']);
    expect(unknownOption.code).toBe(2);
    expectOneLineError(unknownOption, /Unknown option '--bogus'/);
    const badScale = await cli(['simulate', '--time-scale=zero']);
    expect(badScale.code).toBe(2);
    expectOneLineError(badScale, '--time-scale expects a positive number, got "zero"');
    const badReport = await cli(['simulate', '--report', 'out.txt']);
    expect(badReport.code).toBe(2);
    expectOneLineError(badReport, '--report out.txt: the file must end in .json');
    const unknownCommand = await cli(['deploy']);
    expect(unknownCommand.code).toBe(2);
    expectOneLineError(unknownCommand, 'unknown command "deploy"');
  });

  it('--help exits 0 and documents every subcommand; --list names the built-in scenarios', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const text of ['simulate [--scenario NAME|FILE] [--time-scale N] [--report FILE.json|FILE.xml|FILE.html]', 'emulator [--port N]', 'doctor', 'explain DEPLOYMENT_ID [--json]']) {
      expect(help.stdout).toContain(text);
    }
    const list = await cli(['simulate', '--list']);
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0])).toEqual([
      'ecs-bluegreen-broken-green',
      'ecs-bluegreen-healthy',
      'ecs-native-breaks-under-production',
      'ecs-native-canary-healthy',
      'ecs-native-hook-in-progress-too-long',
      'hook-never-reports',
      'lambda-alarm-during-canary',
      'lambda-canary-broken-version',
      'lambda-canary-healthy',
      'lambda-durable-bake-regression',
    ]);
  });
});

describe.concurrent('codedeploy-hooks emulator', () => {
  it('prints "listening on http://127.0.0.1:N", serves the AWS API, and exits 0 on SIGTERM', async () => {
    let port = 0;
    let body = '';
    const run = await new Promise<Run>((resolveRun, reject) => {
      const env = { ...process.env, NO_COLOR: '1' };
      const child = spawn(process.execPath, ['bin/codedeploy-hooks.js', 'emulator', '--port', '0', '--scenario', 'lambda-canary-healthy'], { cwd: ROOT, env });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)\n/.exec(stdout);
        // The scenario's deployment is under way (its world set up) once its first hook's event is printed.
        if (m && !port && /use: AWS_ENDPOINT_URL/.test(stdout) && /hook event for BeforeAllowTraffic: .*\n/.test(stdout)) {
          port = Number(m[1]);
          // A real client request against it: the scenario's application exists.
          fetch(`http://127.0.0.1:${port}/`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CodeDeploy_20141006.ListApplications' },
            body: '{}',
          })
            .then((r) => r.text())
            .then((t) => {
              body = t;
              child.kill('SIGTERM');
            }, reject);
        }
      });
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolveRun({ code, stdout, stderr }));
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(port).toBeGreaterThan(0);
    expect(JSON.parse(body)).toEqual({ applications: ['sample-app'] });
    expect(run.stdout).toMatch(/hook event for BeforeAllowTraffic: \{"DeploymentId":"d-[A-Z0-9]{9}","LifecycleEventHookExecutionId":"[^"]+"\}/);
  });

  it('exits 2 with a clear line when the port is in use', async () => {
    const run = await cli(['emulator', '--port', String(busyPort)]);
    expect(run.code).toBe(2);
    expectOneLineError(run, `port ${busyPort} on 127.0.0.1 is already in use`);
  });

  it('exits 2 for an invalid port', async () => {
    const run = await cli(['emulator', '--port', '70000']);
    expect(run.code).toBe(2);
    expectOneLineError(run, '--port expects a port number between 0 and 65535, got "70000"');
  });
});

// Not concurrent: this test sets process.env for a hook running in this process.
describe('codedeploy-hooks emulator --scenario (ECS)', () => {
  it('with an ECS scenario, serves the listeners too: a hook run by hand against it passes through the test listener', async () => {
    const child = spawn(process.execPath, ['bin/codedeploy-hooks.js', 'emulator', '--scenario', 'ecs-bluegreen-healthy'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    try {
      let stdout = '';
      const event = await new Promise<{ url: string; event: { DeploymentId: string; LifecycleEventHookExecutionId: string } }>((resolveEvent, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
          const payload = /hook event for AfterAllowTestTraffic: (\{.*\})\n/.exec(stdout)?.[1];
          if (url && payload) resolveEvent({ url, event: JSON.parse(payload) as { DeploymentId: string; LifecycleEventHookExecutionId: string } });
        });
        child.on('close', (code) => reject(new Error(`emulator exited with ${code}: ${stdout}`)));
      });
      // Set for the whole call (not vi.stubEnv: concurrent tests unstub each other's env when they end).
      const saved = { url: process.env.AWS_ENDPOINT_URL, wait: process.env.CODEDEPLOY_HOOKS_HTTP_WAIT_HEALTHY_MS };
      process.env.AWS_ENDPOINT_URL = event.url;
      process.env.CODEDEPLOY_HOOKS_HTTP_WAIT_HEALTHY_MS = '1000';
      let verdict;
      try {
        verdict = await ecsTestTraffic(event.event, { getRemainingTimeInMillis: () => 20_000 });
      } finally {
        restore('AWS_ENDPOINT_URL', saved.url);
        restore('CODEDEPLOY_HOOKS_HTTP_WAIT_HEALTHY_MS', saved.wait);
      }
      expect(verdict.status).toBe('Succeeded');
      expect(verdict.reported).toBe(true);
      expect(verdict.checks.find((c) => c.name.includes('test listener'))?.state).toBe('passed');
    } finally {
      child.kill('SIGTERM');
    }
  });

});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
