/** `simulate --report FILE.html` from the command line: the page is written beside the other reports and tells the same run. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { html as escaped } from '../../src/html-report/html-escape.js';

const ROOT = resolve(import.meta.dirname, '../..');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.AWS_ENDPOINT_URL;
    execFile(process.execPath, ['bin/codedeploy-hooks.js', ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('simulate --report FILE.html', () => {
  it('writes one self-contained page with the verdict and why of the run, beside the JSON report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdh-html-cli-'));
    const page = join(dir, 'nested', 'run.html');
    const json = join(dir, 'run.json');
    const run = await cli(['simulate', '-s', 'lambda-canary-broken-version', '-q', '--report', page, '--report', json]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`Report written to ${page}`);
    const html = readFileSync(page, 'utf8');
    const result = JSON.parse(readFileSync(json, 'utf8')) as { deploymentId: string; reason: string; metrics?: { versions: unknown[] } };
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<h1>Deployment ${result.deploymentId}: lambda-canary-broken-version</h1>`);
    expect(html).toContain('✗ ROLLED BACK</p>');
    // The CLI printed the same "why" as the page shows.
    const why = /Why: (.*)/.exec(run.stdout)![1]!;
    expect(why).toBe(result.reason);
    expect(html).toContain(`<strong>Why:</strong> ${escaped(why)}</p>`);
    // The JSON report carries the per-version series the chart draws.
    expect(result.metrics?.versions).toHaveLength(2);
  }, 60_000);

  it('refuses a report file of another kind, naming the kinds it writes', async () => {
    const run = await cli(['simulate', '--report', 'out.htmx']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--report out.htmx: the file must end in .json (JSON report), .xml (JUnit XML) or .html (HTML report)');
  });
});
