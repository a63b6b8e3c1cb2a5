/**
 * `npm run bench:detection`: how many broken versions the ready hooks at
 * their template defaults stop, how many good ones they roll back, how much
 * traffic a broken version served first and how soon it was stopped, next to
 * two baselines measured in the same run (alarms only; a hand-written hook in
 * the style of AWS's samples). Runs the corpus (bench/detection/corpus.ts)
 * through the simulator in BENCH_WORKERS child processes (default 2), prints
 * the tables and writes bench/detection-results.json.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES } from './corpus.js';
import type { RunResult } from './measure.js';
import { PLATFORMS, plan, SEEDS, TIME_SCALE } from './plan.js';
import { SETUPS, type Setup } from './setups.js';
import { table } from '../table.js';

const here = dirname(fileURLToPath(import.meta.url));
const CANARY_SHARE = 0.1;
const GOALS = { caught: 0.95, falseRollbacks: 0, wallMs: 300_000 };

type Result = RunResult & { index: number; wallMs: number };

function runWorker(indices: number[]): Promise<Result[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'worker.ts'), indices.join(',')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      process.stderr.write('.'.repeat(chunk.toString().split('\n').length - 1));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const results = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Result);
      if (code !== 0 || results.length !== indices.length) reject(new Error(`a benchmark worker exited with ${code} after ${results.length} of ${indices.length} runs`));
      else resolve(results);
    });
  });
}

const pct = (n: number) => `${(n * 100).toFixed(1)} %`;
const mmss = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** "3/3 caught" or "0/3 false", the worst exposure of the caught runs, the median time to detect. */
function cells(runs: RunResult[]): string[] {
  const stopped = runs.filter((r) => r.stopped);
  if (runs.some((r) => r.error)) return ['error', runs.find((r) => r.error)!.error!.slice(0, 40), ''];
  if (!runs[0]!.broken) return [`${stopped.length}/${runs.length} rolled back`, '', ''];
  const exposure = stopped.length ? pct(Math.max(...stopped.map((r) => r.exposure))) : '—';
  const detect = stopped.length ? mmss(median(stopped.map((r) => r.detectSeconds ?? 0))) : '—';
  return [`${stopped.length}/${runs.length}`, exposure, detect];
}

const started = performance.now();
const runs = plan();
const workers = Math.max(1, Number(process.env.BENCH_WORKERS ?? 2));
const shares: number[][] = Array.from({ length: workers }, () => []);
runs.forEach((_, i) => shares[i % workers]!.push(i));
process.stderr.write(`detection benchmark: ${CASES.length * PLATFORMS.length} scenarios × ${SEEDS.length} seeds × ${SETUPS.length} setups = ${runs.length} simulations in ${workers} workers `);
const results = (await Promise.all(shares.map(runWorker))).flat().sort((a, b) => a.index - b.index);
process.stderr.write('\n');
const wallMs = Math.round(performance.now() - started);

const rows: string[][] = [];
for (const platform of PLATFORMS) {
  for (const c of CASES) {
    const row = [platform, c.name];
    for (const setup of SETUPS) row.push(...cells(results.filter((r) => r.platform === platform && r.case === c.name && r.setup === setup)));
    rows.push(row);
  }
}

const totals = SETUPS.map((setup: Setup) => {
  const mine = results.filter((r) => r.setup === setup);
  const broken = mine.filter((r) => r.broken);
  const caught = broken.filter((r) => r.stopped);
  const healthy = mine.filter((r) => !r.broken);
  const falseRollbacks = healthy.filter((r) => r.stopped).length;
  const gates: Record<string, number> = {};
  for (const r of caught) gates[r.gate ?? 'unknown'] = (gates[r.gate ?? 'unknown'] ?? 0) + 1;
  return {
    setup,
    broken: broken.length,
    caught: caught.length,
    healthy: healthy.length,
    falseRollbacks,
    meanExposure: caught.length ? caught.reduce((a, r) => a + r.exposure, 0) / caught.length : NaN,
    withinShare: caught.filter((r) => r.exposure <= CANARY_SHARE + 1e-9).length,
    withinCanary: caught.filter((r) => r.withinCanary).length,
    medianDetectSeconds: median(caught.map((r) => r.detectSeconds ?? 0)),
    gates,
  };
});

const header = ['platform', 'scenario', ...SETUPS.flatMap((s) => [`${s}: caught`, 'exposure', 'detect'])];
const perScenario = table(header, rows);
const totalTable = table(
  ['setup', 'broken caught', 'false rollbacks', 'mean exposure (caught)', 'exposure ≤ canary 10 %', 'stopped before 100 %', 'median time to detect', 'caught by'],
  totals.map((t) => [
    t.setup,
    `${t.caught}/${t.broken} (${pct(t.caught / t.broken)})`,
    `${t.falseRollbacks}/${t.healthy}`,
    Number.isFinite(t.meanExposure) ? pct(t.meanExposure) : '—',
    `${t.withinShare}/${t.caught}`,
    `${t.withinCanary}/${t.caught}`,
    Number.isFinite(t.medianDetectSeconds) ? mmss(t.medianDetectSeconds) : '—',
    Object.entries(t.gates).sort((a, b) => b[1] - a[1]).map(([g, n]) => `${g} ${n}`).join(', '),
  ]),
);
const ready = totals[0]!;
const goals = [
  `caught ${pct(ready.caught / ready.broken)} (goal >= ${pct(GOALS.caught)}: ${ready.caught / ready.broken >= GOALS.caught ? 'met' : 'MISSED'})`,
  `false rollbacks ${ready.falseRollbacks} (goal ${GOALS.falseRollbacks}: ${ready.falseRollbacks <= GOALS.falseRollbacks ? 'met' : 'MISSED'})`,
  `whole benchmark ${(wallMs / 1000).toFixed(0)} s (goal < ${GOALS.wallMs / 1000} s: ${wallMs < GOALS.wallMs ? 'met' : 'MISSED'})`,
].join('; ');

console.log(`### Detection per scenario (${SEEDS.length} seeds each; caught = rolled back; exposure = worst share of requests the new version served before the rollback; detect = median simulated time from the deployment's start)\n`);
console.log(`${perScenario}\n`);
console.log('### Totals\n');
console.log(`${totalTable}\n`);
console.log(`ready hooks: ${goals}`);
console.log(`(${runs.length} simulations at time scale ${TIME_SCALE}x, ${workers} workers, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version})`);
writeFileSync(join(here, '..', 'detection-results.json'), `${JSON.stringify({ at: new Date().toISOString(), wallMs, timeScale: TIME_SCALE, totals, results }, null, 2)}\n`);
