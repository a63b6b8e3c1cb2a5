/**
 * A worker process of the detection benchmark: runs the planned runs whose
 * indices it is given (argv[2], comma-separated) and prints one JSON result
 * per line. It first runs each platform and setup once, unrecorded, so that
 * module compilation (tsx) happens before any run is measured.
 */
import { CASES } from './corpus.js';
import { measure } from './measure.js';
import { PLATFORMS, plan, TIME_SCALE } from './plan.js';
import { SETUPS } from './setups.js';

const runs = plan();
const mine = (process.argv[2] ?? '').split(',').filter(Boolean).map(Number);
for (const platform of PLATFORMS) for (const setup of SETUPS) await measure(platform, CASES[0]!, setup, 0, TIME_SCALE);
for (const i of mine) {
  const r = runs[i]!;
  const started = performance.now();
  const result = await measure(r.platform, CASES[r.caseIndex]!, r.setup, r.seed, TIME_SCALE);
  process.stdout.write(`${JSON.stringify({ index: i, wallMs: Math.round(performance.now() - started), ...result })}\n`);
}
