import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runDoctorCommand } from '../../../src/doctor/cli.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/templates');
const scratch = mkdtempSync(join(tmpdir(), 'doctor-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[], cwd = fixtures): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runDoctorCommand(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), cwd });
  return { code, out, err };
}

describe('codedeploy-hooks doctor', () => {
  it('exits 0 and says so for a clean template', async () => {
    const r = await run(['clean-sam-prefixed.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('clean-sam-prefixed.yaml: no problems found\n');
  });

  it('prints one line per finding with file:line, severity, rule and resource, a fix, and a summary; exits 1 on errors', async () => {
    const r = await run(['cdh003-unqualified-invoke.yaml']);
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^cdh003-unqualified-invoke\.yaml:\d+ error CDH003 PreTrafficHook: /);
    expect(lines[1]).toMatch(/^ {2}fix: add !Sub \$\{AppFunction\.Arn\}:\*/);
    expect(lines.at(-1)).toBe('cdh003-unqualified-invoke.yaml: 1 error, 0 warnings');
  });

  it('exits 0 when there are only warnings', async () => {
    const r = await run(['cdh008-no-executed-version.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('warning CDH008 NewVersionErrors');
    expect(r.out).toContain('0 errors, 1 warning');
  });

  it('prints JSON with --format json', async () => {
    for (const argv of [['--format', 'json', 'cdh005-missing-hook.yaml'], ['--format=json', 'cdh005-missing-hook.yaml']]) {
      const r = await run(argv);
      expect(r.code).toBe(1);
      const doc = JSON.parse(r.out);
      expect(doc.file).toBe('cdh005-missing-hook.yaml');
      expect(doc.summary).toEqual({ errors: 1, warnings: 0 });
      expect(doc.findings[0]).toMatchObject({ rule: 'CDH005', severity: 'error', resource: 'AppFunction', line: 22 });
      expect(Object.keys(doc.findings[0]).sort()).toEqual(['fix', 'line', 'message', 'resource', 'rule', 'severity']);
    }
  });

  it('exits 2 naming the file when it is missing or not a template', async () => {
    const missing = await run(['nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.yaml: file not found');
    writeFileSync(join(scratch, 'bad.yaml'), 'Resources: [1, 2\n');
    const bad = await run(['bad.yaml'], scratch);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.yaml: invalid YAML\/JSON/);
    expect(bad.out).toBe('');
  });

  it('exits 2 on bad arguments', async () => {
    expect((await run(['--format', 'xml'])).code).toBe(2);
    expect((await run(['--frobnicate'])).err).toContain('unknown option --frobnicate');
    expect((await run(['a.yaml', 'b.yaml'])).code).toBe(2);
  });

  it('reads template.yaml from the working directory by default', async () => {
    copyFileSync(join(fixtures, 'cdh009-default-timeout.yaml'), join(scratch, 'template.yaml'));
    const r = await run([], scratch);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^template\.yaml:\d+ error CDH009 PreTrafficHook/);
  });
});
