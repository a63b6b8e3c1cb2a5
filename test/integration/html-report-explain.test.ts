/**
 * `explain --report FILE.html`: the story of a deployment read back from the
 * emulator (a simulated run's finished world) drawn by the same renderer as
 * `simulate --report`: the verdict and headline in explain's words, the
 * hooks' verdicts and checks from their log lines, the alarm and the rollback.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainDeployment, renderStory, type DeploymentStory } from '../../src/explain/index.js';
import { storyHtmlReport, viewOfStory } from '../../src/html-report/index.js';
import { html as escaped } from '../../src/html-report/html-escape.js';
import { startEmulator, type Emulator } from '../../src/simulator/emulator/index.js';
import { seededRandom } from '../../src/simulator/engine/random.js';
import { simulate } from '../../src/simulator/engine/simulate.js';
import type { SimulationResult } from '../../src/simulator/engine/result.js';
import { loadScenario } from '../../src/simulator/scenario/loader.js';
import { createWorld } from '../../src/simulator/state/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // Only the emulator: no shared config, no instance metadata.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    NO_COLOR: '1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  return new Promise((done) => {
    execFile(process.execPath, ['bin/codedeploy-hooks.js', ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('explain --report: the story of a deployment rolled back by an alarm', () => {
  let result: SimulationResult;
  let emulator: Emulator;
  let story: DeploymentStory;
  let region: string;

  beforeAll(async () => {
    const scenario = loadScenario('lambda-alarm-during-canary');
    const world = createWorld({ random: seededRandom(scenario.seed + 2) });
    result = await simulate(scenario, { world, captureHookOutput: true });
    emulator = await startEmulator({ world });
    region = world.region;
    story = await explainDeployment(result.deploymentId, { endpoint: emulator.url, region, credentials });
  }, 60_000);
  afterAll(() => emulator?.close());

  it('draws the story: verdict and headline in explain’s words, the alarm band, the rollback, the hooks', () => {
    expect(story.outcome).toBe('rolled-back');
    const page = storyHtmlReport(story);
    expect(page).toContain('✗ ROLLED BACK</p>');
    expect(page).toContain(`<strong>Why:</strong> ${escaped(story.headline)}</p>`);
    // The summary is explain's text output, line by line.
    for (const line of renderStory(story, { color: false }).split('\n').filter((l) => l.trim())) expect(page).toContain(escaped(line));
    const view = viewOfStory(story);
    expect(view.versions.map((v) => v.label)).toEqual(['v1', 'v2']);
    expect(view.alarms).toHaveLength(1);
    expect(view.alarms[0]!.changes.some((c) => c.state === 'ALARM')).toBe(true);
    expect(page).toMatch(/<rect class="alarm-band" x="[\d.]+"/);
    expect(view.markers.filter((m) => m.kind === 'rollback')).toHaveLength(1);
    // The pre-traffic hook's verdict line, with its checks; the metric panels say explain reads none.
    const pre = view.hooks.find((h) => h.lifecycleEvent === 'BeforeAllowTraffic')!;
    expect(pre.verdict?.status).toBe('Succeeded');
    expect(pre.verdict?.checks.map((c) => c.name)).toEqual(result.hooks[0]!.verdict!.checks.map((c) => c.name));
    expect(page).toContain('data-lifecycle-event="BeforeAllowTraffic"');
    expect(page.match(/explain reads no metric series/g)?.length).toBeGreaterThanOrEqual(3);
    // The canary weight the story knows is drawn: 20 % from AllowTraffic on, back to 0 at the rollback.
    expect(view.weights.map((w) => w.targetPercent)).toEqual([0, 20, 0]);
  });

  it('codedeploy-hooks explain ID --report FILE.html writes the page; with --json stdout stays one JSON document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdh-explain-report-'));
    const file = join(dir, 'sub', 'story.html');
    const run = await cli(['explain', result.deploymentId, '--endpoint-url', emulator.url, '--region', region, '--report', file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`Report written to ${file}`);
    const page = readFileSync(file, 'utf8');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain(`<h1>Deployment ${result.deploymentId}: sample-app</h1>`);
    expect(page).toContain('✗ ROLLED BACK</p>');

    const json = join(dir, 'story-json.html');
    const withJson = await cli(['explain', result.deploymentId, '--endpoint-url', emulator.url, '--region', region, '--json', '--report', json]);
    expect(withJson.code).toBe(1);
    expect((JSON.parse(withJson.stdout) as DeploymentStory).deploymentId).toBe(result.deploymentId);
    expect(withJson.stderr).toBe(`Report written to ${json}\n`);
    expect(readFileSync(json, 'utf8')).toContain('✗ ROLLED BACK</p>');
  }, 60_000);

  it('refuses a report that is not .html, and an unwritable path, each in one line', async () => {
    const wrong = await cli(['explain', result.deploymentId, '--endpoint-url', emulator.url, '--region', region, '--report', 'story.json']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('codedeploy-hooks: --report story.json: the file must end in .html (HTML report; --json prints the story as JSON)');
    // A folder that is a file.
    const dir = mkdtempSync(join(tmpdir(), 'cdh-explain-report-'));
    writeFileSync(join(dir, 'file'), '');
    const target = join(dir, 'file', 'story.html');
    const unwritable = await cli(['explain', result.deploymentId, '--endpoint-url', emulator.url, '--region', region, '--report', target]);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unwritable.stderr).toContain(`codedeploy-hooks: cannot write report ${target}: `);
  }, 60_000);
});
