/**
 * The chart's text alternatives: a description of what it shows (the SVG's
 * <desc> and the figure caption) and a data table with one row per slice of
 * time, for screen readers and for anyone who wants the numbers.
 */
import { aggregate } from './downsample.js';
import { html } from './html-escape.js';
import { clock, num } from './format.js';
import type { AlarmView, DeploymentView, SeriesPoint } from './view.js';

/** Rows in the data table, whatever the length of the run. */
const TABLE_ROWS = 40;
/** Traffic changes listed one by one; more are summarised. */
const LISTED_STEPS = 12;

export function describeChart(view: DeploymentView): string {
  const [current, target] = view.versions;
  const sentences: string[] = [];
  sentences.push(`Timeline of deployment ${view.deploymentId} over ${clock(view.durationSeconds)} of ${view.timeLabel}; it ended ${view.headline}.`);
  const steps = view.weights.filter((w, i) => i === 0 || w.targetPercent !== view.weights[i - 1]!.targetPercent);
  const moves = steps.slice(1);
  if (moves.length === 0) sentences.push(`Production traffic stayed on version ${current?.id}; version ${target?.id} got none.`);
  else if (moves.length <= LISTED_STEPS) sentences.push(`Traffic to version ${target?.id}: ${moves.map((w) => `${w.targetPercent}% at ${clock(w.at)}`).join(', ')}.`);
  else {
    const peak = moves.reduce((a, b) => (b.targetPercent > a.targetPercent ? b : a));
    sentences.push(`Traffic to version ${target?.id} changed ${moves.length} times, reaching ${peak.targetPercent}% at ${clock(peak.at)} and ending at ${moves.at(-1)!.targetPercent}%.`);
  }
  for (const m of view.metrics?.versions ?? []) {
    const req = peak(m.requestRate);
    const err = peak(m.errorRate);
    const p99 = peak(m.latencyP99Ms);
    const parts = [req && req[1] > 0 ? `up to ${num(req[1])} requests/s` : 'no requests'];
    if (err) parts.push(err[1] > 0 ? `error rate up to ${num(err[1])}% (at ${clock(err[0])})` : 'no errors');
    if (p99) parts.push(`p99 latency up to ${num(p99[1])} ms`);
    sentences.push(`Version ${m.version}: ${parts.join(', ')}.`);
  }
  if (!view.metrics) sentences.push(view.metricsMissing ? `${view.metricsMissing[0]!.toUpperCase()}${view.metricsMissing.slice(1)}.` : 'No per-version metrics were recorded.');
  for (const a of view.alarms) sentences.push(alarmSentence(a, view.durationSeconds));
  const rollback = view.markers.find((m) => m.kind === 'rollback');
  if (rollback) sentences.push(`Rollback at ${clock(rollback.at)}.`);
  return sentences.join(' ');
}

function alarmSentence(a: AlarmView, duration: number): string {
  const spans: string[] = [];
  a.changes.forEach((c, i) => {
    if (c.state === 'ALARM') spans.push(`from ${clock(c.at)} to ${clock(a.changes[i + 1]?.at ?? duration)}`);
  });
  if (spans.length) return `Alarm ${a.name} was in ALARM ${spans.join(' and ')}.`;
  return `Alarm ${a.name} was never in ALARM (at the end: ${a.finalState}).`;
}

function peak(points: SeriesPoint[]): SeriesPoint | undefined {
  let best: SeriesPoint | undefined;
  for (const p of points) if (!best || p[1] > best[1]) best = p;
  return best;
}

/** The data table: the weight at the end of each slice, mean request rate and p50, highest error rate and p99. */
export function dataTable(view: DeploymentView): string {
  const duration = Math.max(1, view.durationSeconds);
  const period = view.metrics?.periodSeconds ?? 1;
  const slice = Math.max(period, Math.ceil(duration / TABLE_ROWS / period) * period);
  const versions = view.metrics?.versions ?? [];
  const head = ['<th scope="col">from</th>', '<th scope="col">to</th>', `<th scope="col">traffic to v${html(view.versions[1]?.id ?? '')} (%)</th>`];
  for (const m of versions) {
    const v = html(m.version);
    head.push(`<th scope="col">v${v} req/s (mean)</th>`, `<th scope="col">v${v} errors % (max)</th>`, `<th scope="col">v${v} p50 ms (mean)</th>`, `<th scope="col">v${v} p99 ms (max)</th>`);
  }
  head.push('<th scope="col">alarms in ALARM</th>');
  const rows: string[] = [];
  for (let from = 0; from < duration; from += slice) {
    const to = Math.min(duration, from + slice);
    const weight = [...view.weights].reverse().find((w) => w.at < to)?.targetPercent ?? 0;
    const cells = [`<td>${clock(from)}</td>`, `<td>${clock(to)}</td>`, `<td class="num">${weight}</td>`];
    for (const m of versions) {
      for (const [points, how] of [[m.requestRate, 'mean'], [m.errorRate, 'max'], [m.latencyP50Ms, 'mean'], [m.latencyP99Ms, 'max']] as const) {
        const v = aggregate(points, from, to, how);
        cells.push(`<td class="num">${v === undefined ? '–' : html(num(v))}</td>`);
      }
    }
    const inAlarm = view.alarms.filter((a) => a.changes.some((c, i) => c.state === 'ALARM' && c.at < to && (a.changes[i + 1]?.at ?? Infinity) > from));
    cells.push(`<td>${inAlarm.map((a) => html(a.name)).join(', ') || 'none'}</td>`);
    rows.push(`<tr>${cells.join('')}</tr>`);
  }
  return `<table id="chart-table"><caption>The chart's numbers in ${rows.length} slices of ${clock(slice)} (${html(view.timeLabel)}); – means no data</caption><thead><tr>${head.join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}
