/**
 * The shipped templates configure the ready hooks with values that survive
 * YAML 1.1 (cfn-lint and the SAM translator load templates with PyYAML, where
 * an unquoted `off`, `on`, `yes` or `no` is a boolean) and that the hooks
 * accept: each parameter's allowed values as the hook's environment would get
 * them, and every literal variable.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readTemplate } from '../../../src/doctor/index.js';
import type { Env } from '../../../hooks/config.js';
import { preTrafficConfig } from '../../../hooks/pre-traffic.js';
import { postTrafficConfig } from '../../../hooks/post-traffic.js';
import { ecsTestTrafficConfig } from '../../../hooks/ecs-test-traffic.js';
import { ecsPostTrafficConfig } from '../../../hooks/ecs-post-traffic.js';
import { canaryAnalysisConfig } from '../../../hooks/canary-analysis.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const TEMPLATES = ['template.yaml', 'examples/ecs/template.yaml'];
const CONFIG: Record<string, (env: Env) => unknown> = {
  'hooks/pre-traffic.ts': preTrafficConfig,
  'hooks/post-traffic.ts': postTrafficConfig,
  'hooks/ecs-test-traffic.ts': ecsTestTrafficConfig,
  'hooks/ecs-post-traffic.ts': ecsPostTrafficConfig,
  // Its two !Ref variables come from the template; they are given here as the stack would.
  'hooks/canary-analysis.ts': (env) => canaryAnalysisConfig({ CODEDEPLOY_HOOKS_APPLICATION: 'app', CODEDEPLOY_HOOKS_DEPLOYMENT_GROUP: 'group', ...env }),
};

/** The template as YAML 1.2 reads it (intrinsics resolved) and as a YAML 1.1 loader does (CloudFormation tags left unresolved). */
async function load(file: string) {
  const yaml12 = (await readTemplate(join(root, file))).root as Record<string, any>;
  const yaml11 = parse(readFileSync(join(root, file), 'utf8'), { version: '1.1', logLevel: 'silent' }) as Record<string, any>;
  return { yaml12, yaml11 };
}

describe.each(TEMPLATES)('%s under YAML 1.1', (file) => {
  it('reads every parameter default and allowed value as YAML 1.2 does', async () => {
    const { yaml12, yaml11 } = await load(file);
    for (const [name, p] of Object.entries(yaml12.Parameters ?? {}) as [string, any][]) {
      expect({ name, Default: yaml11.Parameters[name].Default, AllowedValues: yaml11.Parameters[name].AllowedValues }).toEqual({
        name,
        Default: p.Default,
        AllowedValues: p.AllowedValues,
      });
    }
  });

  it("gives each ready hook an environment it loads with, for every allowed value of the parameters it references", async () => {
    const { yaml12, yaml11 } = await load(file);
    const hooks = Object.entries(yaml12.Resources as Record<string, any>).filter(([, r]) => CONFIG[r.Metadata?.BuildProperties?.EntryPoints?.[0]]);
    // Each template: its two hooks and the canary analyzer.
    expect(hooks.length).toBe(3);
    for (const [id, fn] of hooks) {
      const config = CONFIG[fn.Metadata.BuildProperties.EntryPoints[0]]!;
      const variables = Object.entries((fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>);
      // Literal values as a YAML 1.1 loader reads them; CloudFormation passes them on as strings.
      const literal: Env = {};
      for (const [name, value] of variables) {
        if (typeof value !== 'object') {
          const read = yaml11.Resources[id].Properties.Environment.Variables[name];
          expect(read, `${id} ${name}`).toBe(value);
          literal[name] = String(read);
        }
      }
      expect(() => config(literal), id).not.toThrow();
      for (const [name, value] of variables) {
        const ref = (value as { Ref?: string } | null)?.Ref;
        const parameter = ref === undefined ? undefined : yaml11.Parameters?.[ref];
        if (!parameter) continue;
        for (const allowed of parameter.AllowedValues ?? [parameter.Default]) {
          expect(() => config({ ...literal, [name]: String(allowed) }), `${id} ${name}=${allowed}`).not.toThrow();
        }
      }
    }
  });
});
