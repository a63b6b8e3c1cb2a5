/**
 * `npm run build:hooks`: bundles every hook in hooks/ with esbuild the way
 * `sam build` does for template.yaml (ESM, Node target, minified, a
 * createRequire banner for CommonJS dependencies) into bench/.build/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'bench/.build');

/** Hook entry points: every .ts file in hooks/ that exports a handler (helpers do not). */
export function hookEntries(): string[] {
  const dir = join(ROOT, 'hooks');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .filter((f) => /export const handler\b/.test(readFileSync(join(dir, f), 'utf8')))
    .sort()
    .map((f) => join(dir, f));
}


export interface BuiltBundle {
  name: string;
  entry: string;
  outfile: string;
  bytes: number;
}

/** Bundles one entry point to `<outDir>/<name>.mjs`, as SAM's esbuild build method would. */
export async function bundle(entry: string, name = basename(entry, '.ts'), outDir = OUT_DIR): Promise<BuiltBundle> {
  const outfile = join(outDir, `${name}.mjs`);
  const result = await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    // Prefer the SDK's ES module builds so unused code can be dropped.
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    logLevel: 'warning',
    metafile: true,
  });
  const bytes = result.metafile.outputs[relative(process.cwd(), outfile)]?.bytes ?? statSync(outfile).size;
  return { name, entry, outfile, bytes };
}

export async function buildHooks(outDir = OUT_DIR): Promise<BuiltBundle[]> {
  const out: BuiltBundle[] = [];
  for (const entry of hookEntries()) out.push(await bundle(entry, undefined, outDir));
  return out;
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const built = await buildHooks();
  for (const b of built) console.log(`${relative(ROOT, b.outfile).padEnd(40)} ${(b.bytes / 1024).toFixed(1).padStart(8)} KiB`);
}
