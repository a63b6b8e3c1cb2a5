/**
 * `npm run bench` (node --expose-gc --import tsx bench/run.ts): every figure
 * issue 6 asks for, printed as tables with the goals next to them (goals are
 * printed, not asserted) and written to bench/results.json.
 *
 *   engine overhead  bench/engine.ts     (instant checks, median/p99 µs, heap)
 *   API calls        bench/api-calls.ts  (alarms 1 -> 250, queries 1 -> 1000)
 *   simulator        bench/simulator.ts  (each built-in scenario, whole set)
 *   time scales      bench/time-scale.ts (one scenario at 10x, 100x, 1000x: wall time, same result)
 *   bundles          bench/bundle.ts     (size, cold import vs hand-written hook)
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiCallTable, benchApiCalls } from './api-calls.js';
import { benchEngine } from './engine.js';
import { SET_GOAL_MS, benchSimulator } from './simulator.js';
import { fixed, goal, table } from './table.js';
import { SCALES, benchTimeScales } from './time-scale.js';

const here = dirname(fileURLToPath(import.meta.url));
const ENGINE_GOAL_US = 1000;

const results: Record<string, unknown> = {
  at: new Date().toISOString(),
  node: process.version,
  cpus: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  gcExposed: typeof globalThis.gc === 'function',
};
const sections: string[] = [];
const section = (title: string, body: string) => {
  const text = `### ${title}\n\n${body}\n`;
  sections.push(text);
  console.log(text);
};

console.log(`codedeploy-hooks bench — ${results.at} — node ${process.version}, ${results.cpus}\n`);

// Engine overhead first, while the process is quiet.
{
  const e = await benchEngine();
  results.engine = e;
  section(
    `Engine overhead per invocation (${e.checksPerInvocation} instant checks, ${e.invocations} invocations, stub clients)`,
    table(['figure', 'value', 'goal'], [
      ['median', `${e.medianUs} µs`, goal(e.medianUs, ENGINE_GOAL_US, ' µs')],
      ['p99', `${e.p99Us} µs`, ''],
      ['heap growth over the run', `${e.heapDeltaKiB} KiB`, results.gcExposed ? '' : '(run with --expose-gc for a stable figure)'],
    ]),
  );
}

{
  const rows = await benchApiCalls();
  results.apiCalls = rows;
  section(
    'AWS API calls per invocation (one invocation each, stub clients)',
    table(['what grows', 'size', 'CloudWatch calls', 'floor', 'vs floor', 'CodeDeploy calls', 'total', 'verdict'], apiCallTable(rows)) +
      '\n\nfloor = the fewest CloudWatch calls the service limits allow: ceil(alarms/100) DescribeAlarms, + one DescribeAlarmHistory per alarm, ceil(queries/500) GetMetricData.',
  );
}

{
  const sim = await benchSimulator();
  results.simulator = sim;
  const rows = sim.scenarios.map((s) => [
    s.name,
    `${s.wallMs} ms`,
    s.status,
    s.asExpected === true ? 'yes' : s.asExpected === false ? 'NO' : s.asExpected,
    `${s.simulatedSeconds} s`,
    `${s.timeScale}x`,
    s.error ?? '',
  ]);
  rows.push(['whole set', `${sim.totalMs} ms`, '', '', '', '', `${goal(sim.totalMs / 1000, SET_GOAL_MS / 1000, ' s')}`]);
  section(
    `Simulator wall time per built-in scenario (${sim.scenarios.length} scenarios, run one after another)`,
    sim.scenarios.length === 0 ? 'no built-in scenarios found in src/simulator/scenarios' : table(['scenario', 'wall time', 'result', 'as expected', 'simulated', 'time scale', 'note'], rows),
  );
}

{
  const rows = await benchTimeScales();
  results.timeScales = rows;
  section(
    `Simulator wall time per time scale (${SCALES.map((s) => `${s}x`).join(', ')}; one simulated clock, so the result must not change)`,
    table(
      ['scenario', 'time scale', 'wall time', 'simulated', 'result', 'same result as at the first scale'],
      rows.map((r) => [r.scenario, `${r.timeScale}x`, `${r.wallMs} ms`, `${r.simulatedSeconds} s`, r.status, r.sameAsFirst ? 'yes' : 'NO']),
    ),
  );
}

// Bundles last: they spawn a fresh node per sample.
try {
  const { benchBundles, SIZE_TARGET, IMPORT_TARGET } = await import('./bundle.js');
  const report = await benchBundles(Number(process.env.BENCH_SAMPLES ?? 9));
  results.bundles = report;
  const rows = report.bundles.map((b) => [
    b.name,
    b.name === b.baseline ? '—' : b.baseline,
    `${fixed(b.bytes / 1024)} KiB`,
    `${fixed(b.sizeRatio, 3)}x`,
    `${fixed(b.importMsMedian)} ms`,
    `${fixed(b.importRatio, 3)}x`,
    b.name === b.baseline ? 'baseline' : `size ${goal(b.sizeRatio, SIZE_TARGET, 'x')}; import ${goal(b.importRatio, IMPORT_TARGET, 'x')}`,
  ]);
  section(
    `Hook bundles: size and median cold import (${report.samples} fresh processes each) vs a hand-written hook with the same dependencies`,
    table(['bundle', 'vs', 'size', 'x size', 'cold import', 'x import', 'goals'], rows),
  );
} catch (error) {
  results.bundles = { missing: true, error: (error as Error).message };
  section('Hook bundles', `bundle figures MISSING: bench/bundle.ts could not run (${(error as Error).message.split('\n')[0]})`);
}

writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`results written to ${join('bench', 'results.json')}`);
