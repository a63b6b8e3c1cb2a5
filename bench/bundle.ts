/**
 * Bundle size and cold import time of every hook in hooks/, next to a
 * hand-written hook with the same dependencies, built the same way:
 * bench/hand-written-hook.ts (CodeDeploy, Lambda, CloudWatch) for most hooks,
 * bench/hand-written-http-hook.ts (CodeDeploy, ELBv2, CloudWatch, undici) for
 * the hook that smoke-tests over HTTP. Import
 * time is measured in a fresh `node` process per sample (that is what a Lambda
 * cold start pays), and the median of the samples is reported.
 * Target (issue 5): at most 1.15x the size and 1.10x the import time.
 */
import { execFile } from 'node:child_process';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundle, buildHooks, OUT_DIR, ROOT, type BuiltBundle } from './build-hooks.js';

export const SIZE_TARGET = 1.15;
export const IMPORT_TARGET = 1.1;

export interface BundleFigures {
  name: string;
  bytes: number;
  importMsMedian: number;
  importMsMin: number;
  /** The hand-written bundle this one is compared with (its own name for a baseline). */
  baseline: string;
  /** Relative to the baseline (1 for a baseline itself). */
  sizeRatio: number;
  importRatio: number;
}

export interface BundleReport {
  baselines: string[];
  samples: number;
  bundles: BundleFigures[];
}

// Times the import inside the child, so node's own start-up is not counted.
const PROBE = 'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';

function importOnce(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(file).href], { timeout: 30_000, env: { ...process.env, AWS_REGION: process.env.AWS_REGION ?? 'us-east-1' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`importing ${file} failed: ${stderr || error.message}`));
      else resolve(Number(stdout));
    });
  });
}

/** A deterministic rotation-and-reverse of the list, different per round. */
function shuffled<T>(list: T[], round: number): T[] {
  const k = ((round % list.length) + list.length) % list.length;
  const rotated = [...list.slice(k), ...list.slice(0, k)];
  return round % 2 === 0 ? rotated : rotated.reverse();
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Hooks whose fair baseline is the HTTP one: they bundle undici, as a hand-written HTTP smoke test would. */
const HTTP_HOOKS = new Set(['ecs-test-traffic', 'ecs-native-test-traffic']);

/** Builds the hooks and the baselines, then samples each bundle's import `samples` times, interleaved. */
export async function benchBundles(samples = 15): Promise<BundleReport> {
  const hooks = await buildHooks();
  const plain = await bundle(join(ROOT, 'bench/hand-written-hook.ts'), 'hand-written-hook', OUT_DIR);
  const http = await bundle(join(ROOT, 'bench/hand-written-http-hook.ts'), 'hand-written-http-hook', OUT_DIR);
  const all: BuiltBundle[] = [plain, http, ...hooks];
  const times = new Map<string, number[]>(all.map((b) => [b.name, []]));
  // Interleave, in a different order each round, so that machine noise and position effects
  // spread evenly over the bundles; one warm-up round first (disk cache).
  for (let round = -1; round < samples; round++) {
    for (const b of shuffled(all, round)) {
      const ms = await importOnce(b.outfile);
      if (round >= 0) times.get(b.name)!.push(ms);
    }
  }
  const baselineOf = (b: BuiltBundle) => (b === plain || b === http ? b : HTTP_HOOKS.has(b.name) ? http : plain);
  return {
    baselines: [plain.name, http.name],
    samples,
    bundles: all.map((b) => {
      const base = baselineOf(b);
      const importMsMedian = median(times.get(b.name)!);
      return {
        name: b.name,
        baseline: base.name,
        bytes: b.bytes,
        importMsMedian,
        importMsMin: Math.min(...times.get(b.name)!),
        sizeRatio: b.bytes / base.bytes,
        importRatio: importMsMedian / median(times.get(base.name)!),
      };
    }),
  };
}

export function formatBundleReport(report: BundleReport): string {
  const lines = [`bundle sizes and cold import times (median of ${report.samples} fresh processes), each vs its hand-written baseline:`];
  lines.push(`${'bundle'.padEnd(22)} ${'vs'.padEnd(22)} ${'size KiB'.padStart(9)} ${'x size'.padStart(7)} ${'import ms'.padStart(10)} ${'(min)'.padStart(7)} ${'x import'.padStart(9)}  target ${SIZE_TARGET}x / ${IMPORT_TARGET}x`);
  for (const b of report.bundles) {
    const ok = b.name === b.baseline ? 'baseline' : b.sizeRatio <= SIZE_TARGET && b.importRatio <= IMPORT_TARGET ? 'meets target' : 'misses target';
    lines.push(`${b.name.padEnd(22)} ${b.baseline.padEnd(22)} ${(b.bytes / 1024).toFixed(1).padStart(9)} ${b.sizeRatio.toFixed(2).padStart(7)} ${b.importMsMedian.toFixed(1).padStart(10)} ${b.importMsMin.toFixed(1).padStart(7)} ${b.importRatio.toFixed(2).padStart(9)}  ${ok}`);
  }
  lines.push(`bundles in ${relative(ROOT, OUT_DIR)}/`);
  return lines.join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1];
if (invokedDirectly) {
  const samples = Number(process.env.BENCH_SAMPLES ?? 15);
  console.log(formatBundleReport(await benchBundles(samples)));
}
