/**
 * The hooks as SAM deploys them: bundled by esbuild (ESM, minified, the
 * createRequire banner), then loaded by a plain `node` with an empty
 * configuration. Also guards against bundles swelling back (e.g. a hook that
 * imports the checks barrel and with it undici).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHooks, hookEntries, type BuiltBundle } from '../../bench/build-hooks.js';

const out = mkdtempSync(join(tmpdir(), 'hook-bundles-'));
let bundles: BuiltBundle[] = [];

beforeAll(async () => {
  bundles = await buildHooks(out);
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Hooks that need neither undici nor anything beyond the three Lambda-side SDK clients plus ELBv2. */
const LEAN = ['pre-traffic', 'post-traffic', 'ecs-post-traffic'];
const LEAN_LIMIT_BYTES = 600 * 1024;

function loadInNode(file: string): Promise<string> {
  const probe = 'const m = await import(process.argv[1]); process.stdout.write(typeof m.handler);';
  const env = { PATH: process.env.PATH ?? '', AWS_REGION: 'us-east-1' };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', probe, pathToFileURL(file).href], { env, timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file}: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

describe('hook bundles', () => {
  it('bundles every hook in hooks/ that exports a handler', () => {
    expect(bundles.map((b) => b.name).sort()).toEqual(['ecs-native-production-bake', 'ecs-native-test-traffic', 'ecs-post-traffic', 'ecs-test-traffic', 'post-traffic', 'pre-traffic']);
    expect(hookEntries()).toHaveLength(6);
  });

  it('each bundle loads in a plain node process and exports a handler function', async () => {
    for (const b of bundles) expect(await loadInNode(b.outfile), b.name).toBe('function');
  });

  it.each(LEAN)('%s stays lean (no undici, no barrel): under 600 KiB', (name) => {
    const b = bundles.find((x) => x.name === name);
    expect(b?.bytes).toBeLessThan(LEAN_LIMIT_BYTES);
  });

  // The ECS client (its model alone is ~120 KiB minified) instead of CodeDeploy's, and no CodeDeploy client at all.
  it('ecs-native-production-bake stays lean (no undici, no CodeDeploy client): under 800 KiB', () => {
    const b = bundles.find((x) => x.name === 'ecs-native-production-bake');
    expect(b?.bytes).toBeLessThan(800 * 1024);
    expect(readFileSync(b!.outfile, 'utf8')).not.toContain('CodeDeploy_20141006');
  });
});
