/**
 * The README's `aws deploy create-deployment` command for examples/ecs works
 * as written: run by bash in examples/ecs, the AWS CLI parses its --revision
 * and sends appspec.yaml, unchanged, as the AppSpec content. A loopback server
 * stands in for CodeDeploy and records the request.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const exampleDir = join(root, 'examples/ecs');
const appspec = readFileSync(join(exampleDir, 'appspec.yaml'), 'utf8');

/** The create-deployment command of the README's ECS section, continuation lines joined. */
function readmeCommand(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### ECS blue/green: `examples/ecs/`'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const start = block.indexOf('aws deploy create-deployment');
  expect(start, 'the README ECS section has an aws deploy create-deployment command').toBeGreaterThanOrEqual(0);
  const lines: string[] = [];
  for (const line of block.slice(start).split('\n')) {
    lines.push(line.replace(/\\$/, ''));
    if (!line.endsWith('\\')) break;
  }
  return lines.join(' ');
}

function hasAwsCli(): boolean {
  try {
    execFileSync('aws', ['--version'], { stdio: 'ignore', timeout: 15_000 });
    return true;
  } catch {
    return false;
  }
}
const INSTALL = 'install the AWS CLI (pip install awscli)';
const available = hasAwsCli();

describe('examples/ecs/appspec.yaml', () => {
  it('is an ECS AppSpec with both hooks, and has no single quote, which would end the single-quoted value the README command passes it as', () => {
    expect(readmeCommand()).toContain("content='$(cat appspec.yaml)'");
    expect(appspec).not.toContain("'");
    const spec = parse(appspec) as { Resources: { TargetService: { Type: string } }[]; Hooks: Record<string, string>[] };
    expect(spec.Resources[0]!.TargetService.Type).toBe('AWS::ECS::Service');
    expect(spec.Hooks).toEqual([{ AfterAllowTestTraffic: '<TestTrafficHookArn>' }, { AfterAllowTraffic: '<PostTrafficHookArn>' }]);
  });
});

if (!available && process.env.CI === 'true') {
  describe('the README create-deployment command', () => {
    it('requires the AWS CLI under CI=true', () => {
      throw new Error(`the aws command is missing: ${INSTALL}`);
    });
  });
}

describe.skipIf(!available)(`the README create-deployment command (skipped when missing: ${INSTALL})`, () => {
  it('sends appspec.yaml as the AppSpec content when run as written in examples/ecs', async () => {
    const requests: { target: string | undefined; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        requests.push({ target: req.headers['x-amz-target'] as string | undefined, body });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ deploymentId: 'd-EXAMPLE01' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const home = mkdtempSync(join(tmpdir(), 'cdh-readme-cli-'));
    try {
      // The user replaces the two placeholders with the stack outputs (unreplaced, bash would read them as redirections).
      const command = readmeCommand().replace('<ApplicationName>', 'sample-app').replace('<DeploymentGroupName>', 'sample-group');
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          'bash',
          ['-c', `${command} --endpoint-url ${endpoint} --region us-east-1 --output json`],
          {
            cwd: exampleDir,
            timeout: 60_000,
            env: {
              PATH: process.env.PATH ?? '',
              HOME: home,
              AWS_ACCESS_KEY_ID: 'test',
              AWS_SECRET_ACCESS_KEY: 'test',
              AWS_CONFIG_FILE: join(home, 'none-config'),
              AWS_SHARED_CREDENTIALS_FILE: join(home, 'none-credentials'),
              AWS_MAX_ATTEMPTS: '1',
              ...(process.env.PYENV_ROOT ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
              ...(process.env.PYENV_VERSION ? { PYENV_VERSION: process.env.PYENV_VERSION } : {}),
            },
          },
          (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
        );
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ deploymentId: 'd-EXAMPLE01' });
      expect(requests).toHaveLength(1);
      expect(requests[0]!.target).toBe('CodeDeploy_20141006.CreateDeployment');
      expect(JSON.parse(requests[0]!.body)).toEqual({
        applicationName: 'sample-app',
        deploymentGroupName: 'sample-group',
        // $(cat …) drops the file's trailing newline, nothing else.
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content: appspec.replace(/\n+$/, '') } },
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 90_000);
});
