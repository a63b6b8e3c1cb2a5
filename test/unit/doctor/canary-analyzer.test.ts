/**
 * The canary analyzer (hooks/canary-analysis.ts) in an ECS template reads
 * CODEDEPLOY_HOOKS_ variables but is no hook: a schedule invokes it, never
 * CodeDeploy. doctor tells it by its code, so it does not ask for a
 * CodeDeployHook_ name or a report permission; any other function that
 * presents itself the same way is still checked as a hook.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diagnose, parseTemplate } from '../../../src/doctor/index.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '../../../examples/ecs/template.yaml');
const text = readFileSync(file, 'utf8');
const findingsOf = (t: string) => diagnose(parseTemplate(t, file)).filter((f) => f.resource === 'CanaryAnalyzer').map((f) => f.rule);

describe('doctor and the canary analyzer in examples/ecs/template.yaml', () => {
  it('does not take it for an ECS hook', () => {
    expect(text).toContain('- hooks/canary-analysis.ts');
    expect(findingsOf(text)).toEqual([]);
  });

  it('still checks a scheduled function with the same settings but other code as a hook', () => {
    const other = text.replace('- hooks/canary-analysis.ts', '- hooks/my-analysis.ts').replace('Handler: canary-analysis.handler', 'Handler: my-analysis.handler');
    expect(findingsOf(other)).toEqual(expect.arrayContaining(['CDH001', 'CDH002']));
  });
});
