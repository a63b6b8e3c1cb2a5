import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diagnose, readTemplate } from '../../../src/doctor/index.js';
import { DURABLE_FLAGGED } from './durable-fixtures.js';

const root = join(import.meta.dirname, '../../..');
const findingsOf = async (file: string) => diagnose(await readTemplate(join(root, file)));
const fixture = (name: string) => `test/fixtures/templates/durable/${name}`;

describe('doctor: durable hook traps', () => {
  it.each(DURABLE_FLAGGED)('%s is flagged with %s, and only with it', async (file, rule, severity, resource, mentions) => {
    const findings = await findingsOf(fixture(file));
    const hit = findings.find((f) => f.rule === rule && f.resource === resource);
    expect(hit, JSON.stringify(findings, null, 2)).toBeDefined();
    expect(hit!.severity).toBe(severity);
    expect(hit!.message).toMatch(mentions);
    expect(hit!.fix.length).toBeGreaterThan(10);
    expect(hit!.line).toBeGreaterThan(1);
    expect(findings.map((f) => f.rule).filter((r) => r !== rule)).toEqual([]);
  });

  it('the example durable template (the passing fixture) has no findings', async () => {
    expect(await findingsOf('examples/durable/template.yaml')).toEqual([]);
  });
});
