/**
 * `doctor --format sarif`: the log has the shape SARIF 2.1.0 requires (checked
 * against a minimal schema of its required properties), names every rule, and
 * carries each finding with its rule, level, file and line.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { runDoctorCommand } from '../../../src/doctor/cli.js';
import { RULES } from '../../../src/doctor/index.js';
import { artifactUri } from '../../../src/doctor/sarif.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/templates');

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runDoctorCommand(argv, { stdout: (s) => (out += s), stderr: () => {}, cwd: fixtures });
  return { code, out };
}

const text = { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1 } } };
/** The properties SARIF 2.1.0 requires of a log, a run, a tool, a rule and a result, and the types of those we fill. */
const SARIF_MINIMAL = {
  type: 'object',
  required: ['version', 'runs'],
  properties: {
    $schema: { type: 'string' },
    version: { const: '2.1.0' },
    runs: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['tool'],
        properties: {
          tool: {
            type: 'object',
            required: ['driver'],
            properties: {
              driver: {
                type: 'object',
                required: ['name'],
                properties: {
                  name: { type: 'string' },
                  version: { type: 'string' },
                  rules: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, shortDescription: text, help: text } } },
                },
              },
            },
          },
          artifacts: { type: 'array', items: { type: 'object', properties: { location: { type: 'object', required: ['uri'], properties: { uri: { type: 'string' } } } } } },
          results: {
            type: 'array',
            items: {
              type: 'object',
              required: ['message'],
              properties: {
                ruleId: { type: 'string' },
                ruleIndex: { type: 'integer', minimum: 0 },
                level: { enum: ['none', 'note', 'warning', 'error'] },
                message: text,
                locations: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      physicalLocation: {
                        type: 'object',
                        required: ['artifactLocation'],
                        properties: {
                          artifactLocation: { type: 'object', required: ['uri'], properties: { uri: { type: 'string' }, index: { type: 'integer', minimum: 0 } } },
                          region: { type: 'object', required: ['startLine'], properties: { startLine: { type: 'integer', minimum: 1 } } },
                        },
                      },
                      logicalLocations: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, kind: { type: 'string' } } } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
const validate = new Ajv({ strict: false, allErrors: true }).compile(SARIF_MINIMAL);

describe('codedeploy-hooks doctor --format sarif', () => {
  it('prints a SARIF 2.1.0 log with the rules and one result per finding at its file and line', async () => {
    const file = 'cdh010-deprecated-runtime.yaml';
    const sarif = await run(['--format', 'sarif', file]);
    const json = JSON.parse((await run(['--format', 'json', file])).out) as { findings: { rule: string; severity: string; line: number; resource: string; fix: string }[] };
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.out);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const [runEntry] = log.runs;
    const rules = runEntry.tool.driver.rules as { id: string; shortDescription: { text: string } }[];
    expect(rules.map((r) => r.id)).toEqual(RULES.map((r) => r.id));
    expect(runEntry.artifacts).toEqual([{ location: { uri: file } }]);
    expect(json.findings.length).toBeGreaterThan(1);
    expect(runEntry.results).toHaveLength(json.findings.length);
    runEntry.results.forEach((result: any, i: number) => {
      const finding = json.findings[i]!;
      expect(result.ruleId).toBe(finding.rule);
      expect(rules[result.ruleIndex]!.id).toBe(finding.rule);
      expect(result.level).toBe(finding.severity);
      expect(result.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: file, index: 0 }, region: { startLine: finding.line } });
      expect(result.locations[0].logicalLocations).toEqual([{ name: finding.resource, kind: 'resource' }]);
      expect(result.message.text).toContain(`Fix: ${finding.fix}`);
    });
  });

  it('is a valid log with no results for a clean file, and exits 0', async () => {
    const r = await run(['--format=sarif', 'clean-ecs-native.yaml']);
    expect(r.code).toBe(0);
    const log = JSON.parse(r.out);
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results).toEqual([]);
  });

  it('the minimal schema rejects what SARIF forbids (so the checks above can fail)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ level: 'fatal', message: { text: 'm' } }] }] })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a' }, region: { startLine: 0 } } }] }] }] })).toBe(false);
  });

  it('writes artifact URIs relative with forward slashes, or as file: URLs when absolute', () => {
    expect(artifactUri('infra/stack one.yaml')).toBe('infra/stack%20one.yaml');
    expect(artifactUri('infra\\stack.yaml')).toBe('infra/stack.yaml');
    expect(artifactUri('/repo/template.yaml')).toBe('file:///repo/template.yaml');
  });
});
