/**
 * The README's "classic broken template" runs through `codedeploy-hooks doctor`
 * as written, and the findings are exactly the ones its comments promise:
 * every `# CDHnnn` comment is a finding of that rule on that line, and there
 * is no other.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runDoctorCommand } from '../../../src/doctor/cli.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'doctor-readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The first yaml block after the example's heading. */
function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split('### Example: the classic broken template')[1];
  const block = section?.match(/```yaml\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error('README.md: no yaml block under "### Example: the classic broken template"');
  return block;
}

/** `RULE@line` for every rule id in a line's comment. */
function promised(text: string): string[] {
  return text.split('\n').flatMap((line, i) => [...(line.split('#')[1] ?? '').matchAll(/CDH\d{3}/g)].map((m) => `${m[0]}@${i + 1}`));
}

describe("README's classic broken template", () => {
  it('gets from doctor exactly the findings its comments show, all errors', async () => {
    const text = readmeExample();
    writeFileSync(join(scratch, 'template.yaml'), text);
    let out = '';
    const code = await runDoctorCommand(['--format', 'json', 'template.yaml'], { stdout: (s) => (out += s), stderr: () => {}, cwd: scratch });
    const report = JSON.parse(out) as { findings: { rule: string; line: number; severity: string }[] };
    const expected = promised(text).sort();
    // The promise this test was written for (issue 9): the 3 s default timeout is reported.
    expect(expected).toContain('CDH009@10');
    expect(report.findings.map((f) => `${f.rule}@${f.line}`).sort()).toEqual(expected);
    expect(report.findings.every((f) => f.severity === 'error')).toBe(true);
    expect(code).toBe(1);
  });
});

describe("README's doctor output", () => {
  it('is what doctor prints for the command it shows', async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.split('## `codedeploy-hooks doctor`')[1] ?? '';
    const block = section.match(/```console\n\$ npx codedeploy-hooks doctor (\S+)\n([\s\S]*?)```/);
    if (!block) throw new Error('README.md: no console block with a doctor command in the doctor section');
    const [, file, shown] = block;
    let out = '';
    const code = await runDoctorCommand([file!], { stdout: (s) => (out += s), stderr: () => {}, cwd: join(root, 'test/fixtures/templates') });
    expect(out).toBe(shown);
    expect(code).toBe(1);
  });
});
