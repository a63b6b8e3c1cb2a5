/**
 * Finds a scenario by built-in name or file path, parses the YAML and
 * validates it. Relative module paths in a scenario are resolved from the
 * directory of its file, so a scenario and its hooks can move together.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { ScenarioError } from '../../errors.js';
import { ScenarioReader } from './reader.js';
import type { Scenario } from './types.js';
import { validateScenario } from './validate.js';

/** The scenario `simulate` runs when none is named. */
export const DEFAULT_SCENARIO = 'lambda-canary-healthy';

const here = dirname(fileURLToPath(import.meta.url));
/** Root of the package (holds hooks/, examples/). */
export const PACKAGE_ROOT = findPackageRoot(here);
/** The built-in scenario files; from a compiled build (dist/), the YAML stays in the package's src/. */
export const BUILTIN_DIR = [resolve(here, '../scenarios'), resolve(PACKAGE_ROOT, 'src/simulator/scenarios')].find((d) => existsSync(d)) ?? resolve(here, '../scenarios');
const DEFAULT_APP_MODULE = resolve(PACKAGE_ROOT, 'examples/app/handler.ts');

/** Names of the built-in scenarios, sorted. */
export function builtinScenarioNames(): string[] {
  if (!existsSync(BUILTIN_DIR)) return [];
  return readdirSync(BUILTIN_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** True when `ref` should be read as a file path rather than a built-in name. */
export function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || ['.yaml', '.yml', '.json'].includes(extname(ref));
}

/**
 * Loads a built-in scenario by name or a scenario file by path (relative to `cwd`).
 * Throws ScenarioError for unknown names (listing the known ones), unreadable files and invalid content.
 */
export function loadScenario(ref: string = DEFAULT_SCENARIO, opts: { cwd?: string } = {}): Scenario {
  const builtins = builtinScenarioNames();
  if (!looksLikePath(ref)) {
    if (builtins.includes(ref)) return loadScenarioFile(resolve(BUILTIN_DIR, `${ref}.yaml`), ref);
    const asFile = resolve(opts.cwd ?? process.cwd(), ref);
    if (existsSync(asFile) && statSync(asFile).isFile()) return loadScenarioFile(asFile);
    throw new ScenarioError(ref, `unknown scenario name; built-in scenarios are: ${builtins.join(', ')} (or give a path to a .yaml file)`);
  }
  return loadScenarioFile(resolve(opts.cwd ?? process.cwd(), ref));
}

export function loadScenarioFile(file: string, builtinName?: string): Scenario {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new ScenarioError(file, 'is a directory, expected a scenario .yaml file');
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ScenarioError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new ScenarioError(file, code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})`, { cause: err });
  }
  return parseScenario(text, {
    file: builtinName ? `builtin:${builtinName}` : file,
    baseDir: dirname(file),
    defaultName: builtinName ?? basename(file, extname(file)),
  });
}

/** Parses and validates scenario YAML text. `file` is used in messages; `baseDir` resolves module paths. */
export function parseScenario(text: string, opts: { file?: string; baseDir?: string; defaultName?: string } = {}): Scenario {
  const file = opts.file ?? 'scenario';
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    // prettyErrors puts "at line L, column C:" and a code excerpt after the message; keep the first line.
    throw new ScenarioError(file, `invalid YAML: ${first.message.split('\n')[0]!.replace(/:$/, '')}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new ScenarioError(file, `invalid YAML: ${(err as Error).message}`);
  }
  if (raw === null || raw === undefined) throw new ScenarioError(file, 'is empty, expected a scenario mapping (at least `platform: Lambda` or `platform: ECS`)');
  return validateScenario(raw, {
    baseDir: opts.baseDir ?? process.cwd(),
    source: file,
    defaultName: opts.defaultName ?? 'scenario',
    defaultAppModule: DEFAULT_APP_MODULE,
    reader: new ScenarioReader(file, doc, lines),
  });
}

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(resolve(dir, 'package.json')) && existsSync(resolve(dir, 'bin/codedeploy-hooks.js'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(start, '../../..');
    dir = parent;
  }
}
