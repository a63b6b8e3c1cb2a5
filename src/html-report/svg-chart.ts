/**
 * The timeline chart as plain SVG: panels on one time axis (traffic weight,
 * request rate, error rate, latency), one lane per alarm, ALARM periods as
 * hatched bands across the panels, lifecycle events and the rollback as vertical
 * lines. Readable without colour: each version has its own dash pattern and
 * every line is labelled at its end; alarm states are written in their lane.
 */
import { downsample } from './downsample.js';
import { clock, num } from './format.js';
import { html } from './html-escape.js';
import type { AlarmView, DeploymentView, MarkerView, SeriesPoint } from './view.js';

const WIDTH = 960;
const LEFT = 64;
const RIGHT = 104;
const PLOT_WIDTH = WIDTH - LEFT - RIGHT;
const PANEL_HEIGHT = 96;
const PANEL_GAP = 34;
const LANE_HEIGHT = 18;
const MARKER_ROW = 13;
const MARKER_ROWS = 3;
/** Two points per bucket of 2 px: about one point per pixel. */
const BUCKETS = Math.floor(PLOT_WIDTH / 2);

export interface ChartLine {
  /** Shown at the line's end and in the hover readout: "v2", "v2 p99". */
  label: string;
  /** CSS class: which version (dash pattern and colour) and which weight. */
  cls: string;
  /** Drawn as steps: a weight holds until it changes, a bucket's value over its bucket. */
  runs: SeriesPoint[][];
}

export interface ChartPanel {
  id: string;
  /** A word for the hover readout: "traffic", "errors". */
  name: string;
  title: string;
  unit: string;
  max: number;
  lines: ChartLine[];
  /** Said in the panel when it has no data. */
  empty?: string;
}

/** What the page's script reads for the hover readout: the drawn points, per panel and line. */
export interface ChartData {
  x: { left: number; width: number; duration: number };
  /** Each line's points in time order; `[t, null]` ends a run (no data until the next point). */
  panels: { id: string; name: string; unit: string; lines: { label: string; points: [number, number | null][] }[] }[];
}

export function chartPanels(view: DeploymentView): ChartPanel[] {
  const duration = Math.max(1, view.durationSeconds);
  const period = view.metrics?.periodSeconds ?? 1;
  const opts = { from: 0, to: duration, buckets: BUCKETS, maxGap: period * 1.5 };
  const [current, target] = view.versions;
  const cls = (role: 'current' | 'target') => `v-${role}`;
  const weightLines: ChartLine[] = [
    { label: current?.label ?? 'current', cls: cls('current'), runs: [holdUntil(view.weights.map((w) => [w.at, 100 - w.targetPercent]), duration)] },
    { label: target?.label ?? 'target', cls: cls('target'), runs: [holdUntil(view.weights.map((w) => [w.at, w.targetPercent]), duration)] },
  ];
  const metricLines = (pick: (m: NonNullable<DeploymentView['metrics']>['versions'][number]) => SeriesPoint[], suffix = '', extra = ''): ChartLine[] =>
    (view.metrics?.versions ?? []).map((m) => {
      const version = view.versions.find((v) => v.id === m.version);
      const role = version?.role ?? 'target';
      // A point stands for its bucket: held until the bucket ends.
      const runs = downsample(pick(m), opts).map((run) => holdUntil(run, Math.min(duration, run.at(-1)![0] + period)));
      return { label: `${version?.label ?? m.version}${suffix}`, cls: `${cls(role)}${extra}`, runs };
    });
  const noMetrics = view.metricsMissing ?? 'no per-version metrics were recorded for this deployment';
  const latency = [...metricLines((m) => m.latencyP50Ms, ' p50'), ...metricLines((m) => m.latencyP99Ms, ' p99', ' tail')];
  return [
    { id: 'weight', name: 'traffic', title: 'Production traffic weight per version', unit: '%', max: 100, lines: weightLines },
    panel('requests', 'requests', 'Request rate per version', 'req/s', metricLines((m) => m.requestRate), noMetrics),
    panel('errors', 'errors', 'Error rate per version', '%', metricLines((m) => m.errorRate), noMetrics, 5),
    panel('latency', 'latency', 'Latency per version: median (p50, thick) and tail (p99, thin)', 'ms', latency, noMetrics),
  ];
}

function panel(id: string, name: string, title: string, unit: string, lines: ChartLine[], empty: string, floor = 0): ChartPanel {
  const max = lines.reduce((m, l) => l.runs.reduce((n, r) => r.reduce((o, p) => Math.max(o, p[1]), n), m), floor);
  const hasData = lines.some((l) => l.runs.some((r) => r.length > 0));
  return { id, name, title, unit, max: niceCeil(max), lines, ...(hasData ? {} : { empty }) };
}

/** A step series with its last value held until `end`. */
function holdUntil(points: SeriesPoint[], end: number): SeriesPoint[] {
  const last = points.at(-1);
  return last && last[0] < end ? [...points, [end, last[1]]] : points;
}

export function chartData(view: DeploymentView, panels: ChartPanel[]): ChartData {
  return {
    x: { left: LEFT, width: PLOT_WIDTH, duration: Math.max(1, view.durationSeconds) },
    panels: panels.map((p) => ({
      id: p.id,
      name: p.name,
      unit: p.unit,
      // The end mark sits just after the run's last point, so the moment the run ends still reads its value.
      lines: p.lines.map((l) => ({ label: l.label, points: l.runs.flatMap((run): [number, number | null][] => [...run, [run.at(-1)![0] + 1e-6, null]]) })),
    })),
  };
}

/** The SVG element; `title` and `desc` are its text alternative. */
export function chartSvg(view: DeploymentView, panels: ChartPanel[], text: { title: string; desc: string }): string {
  const duration = Math.max(1, view.durationSeconds);
  const x = (t: number) => LEFT + (Math.min(Math.max(t, 0), duration) / duration) * PLOT_WIDTH;
  const markerTop = 16;
  const lanesTop = markerTop + MARKER_ROW * MARKER_ROWS + 6;
  const panelsTop = lanesTop + view.alarms.length * LANE_HEIGHT + PANEL_GAP;
  const bottom = panelsTop + panels.length * (PANEL_HEIGHT + PANEL_GAP) - PANEL_GAP;
  const height = bottom + 40;
  const parts: string[] = [];
  parts.push(`<svg id="timeline-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="chart-title chart-desc">`);
  parts.push(`<title id="chart-title">${html(text.title)}</title><desc id="chart-desc">${html(text.desc)}</desc>`);
  parts.push(PATTERNS);
  // ALARM periods first, so everything else is drawn over them.
  for (const band of alarmBands(view.alarms, duration)) {
    parts.push(`<rect class="alarm-band" x="${f(x(band.from))}" y="${lanesTop}" width="${f(Math.max(1, x(band.to) - x(band.from)))}" height="${bottom - lanesTop}"><title>${html(`${band.name} in ALARM from ${clock(band.from)} to ${clock(band.to)}`)}</title></rect>`);
  }
  view.alarms.forEach((a, i) => parts.push(alarmLane(a, lanesTop + i * LANE_HEIGHT, duration, x)));
  panels.forEach((p, i) => parts.push(panelSvg(p, panelsTop + i * (PANEL_HEIGHT + PANEL_GAP), x)));
  parts.push(markersSvg(view.markers, markerTop, bottom, x));
  parts.push(timeAxis(duration, bottom, x, view.timeLabel));
  // The hover readout's crosshair (moved by the page script).
  parts.push(`<line id="crosshair" class="crosshair" x1="0" x2="0" y1="${lanesTop}" y2="${bottom}" visibility="hidden"/>`);
  parts.push(`<rect id="chart-hover" x="${LEFT}" y="${lanesTop}" width="${PLOT_WIDTH}" height="${bottom - lanesTop}" fill="transparent"/>`);
  parts.push('</svg>');
  return parts.join('\n');
}

const PATTERNS = `<defs>
<pattern id="hatch-alarm" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" class="hatch-bg"/><line x1="0" y1="0" x2="0" y2="8" class="hatch-line"/></pattern>
<pattern id="dots-insufficient" width="6" height="6" patternUnits="userSpaceOnUse"><circle cx="3" cy="3" r="1" class="dot"/></pattern>
</defs>`;

function panelSvg(p: ChartPanel, top: number, x: (t: number) => number): string {
  const y = (v: number) => top + PANEL_HEIGHT - (Math.min(v, p.max) / p.max) * PANEL_HEIGHT;
  const out: string[] = [`<g class="panel" id="panel-${p.id}" data-top="${top}" data-height="${PANEL_HEIGHT}" data-max="${p.max}">`];
  out.push(`<text class="panel-title" x="${LEFT}" y="${top - 8}">${html(p.title)} (${html(p.unit)})</text>`);
  for (const v of [0, p.max / 2, p.max]) {
    out.push(`<line class="grid" x1="${LEFT}" x2="${LEFT + PLOT_WIDTH}" y1="${f(y(v))}" y2="${f(y(v))}"/>`);
    out.push(`<text class="tick" x="${LEFT - 6}" y="${f(y(v) + 4)}" text-anchor="end">${html(num(v))}</text>`);
  }
  out.push(`<rect class="frame" x="${LEFT}" y="${top}" width="${PLOT_WIDTH}" height="${PANEL_HEIGHT}"/>`);
  if (p.empty) out.push(`<text class="empty" x="${LEFT + PLOT_WIDTH / 2}" y="${top + PANEL_HEIGHT / 2}" text-anchor="middle">${html(p.empty)}</text>`);
  const ends: { y: number; label: string; cls: string }[] = [];
  for (const line of p.lines) {
    for (const run of line.runs) {
      if (run.length === 0) continue;
      // A single point (a run at the very end of the axis) is drawn as a dot: a line needs two.
      out.push(run.length === 1 ? `<circle class="line ${line.cls}" cx="${f(x(run[0]![0]))}" cy="${f(y(run[0]![1]))}" r="2.5"/>` : `<path class="line ${line.cls}" d="${stepPath(run, x, y)}"/>`);
    }
    const last = line.runs.flat().at(-1);
    if (last) ends.push({ y: y(last[1]), label: line.label, cls: line.cls });
  }
  out.push(...endLabels(ends, top));
  out.push('</g>');
  return out.join('\n');
}

function stepPath(run: SeriesPoint[], x: (t: number) => number, y: (v: number) => number): string {
  return run.map((pt, i) => (i === 0 ? `M${f(x(pt[0]))} ${f(y(pt[1]))}` : `H${f(x(pt[0]))}V${f(y(pt[1]))}`)).join('');
}

/** Labels at the right edge, pushed apart so they never overlap, and kept beside the panel. */
function endLabels(ends: { y: number; label: string; cls: string }[], top: number): string[] {
  const gap = 11;
  const sorted = [...ends].sort((a, b) => a.y - b.y);
  const ys: number[] = [];
  sorted.forEach((e, i) => ys.push(Math.max(e.y + 4, i ? ys[i - 1]! + gap : top)));
  for (let i = ys.length - 1; i >= 0; i--) ys[i] = Math.min(ys[i]!, i === ys.length - 1 ? top + PANEL_HEIGHT + 4 : ys[i + 1]! - gap);
  return sorted.map((e, i) => `<text class="end-label ${e.cls}" x="${LEFT + PLOT_WIDTH + 6}" y="${f(ys[i]!)}">${html(e.label)}</text>`);
}

interface Interval {
  name: string;
  state: string;
  from: number;
  to: number;
}

function intervals(a: AlarmView, duration: number): Interval[] {
  if (a.changes.length === 0) return [{ name: a.name, state: a.finalState, from: 0, to: duration }];
  return a.changes.map((c, i) => ({ name: a.name, state: c.state, from: c.at, to: a.changes[i + 1]?.at ?? duration }));
}

function alarmBands(alarms: AlarmView[], duration: number): Interval[] {
  return alarms.flatMap((a) => intervals(a, duration).filter((i) => i.state === 'ALARM'));
}

function alarmLane(a: AlarmView, top: number, duration: number, x: (t: number) => number): string {
  const out = [`<g class="alarm-lane"><text class="lane-label" x="${LEFT - 6}" y="${top + 13}" text-anchor="end">alarm</text><title>${html(a.name)}</title>`];
  for (const i of intervals(a, duration)) {
    const x1 = x(i.from);
    const w = Math.max(1, x(i.to) - x1);
    const cls = i.state === 'ALARM' ? 'state-alarm' : i.state === 'OK' ? 'state-ok' : 'state-insufficient';
    out.push(`<rect class="lane ${cls}" x="${f(x1)}" y="${top + 2}" width="${f(w)}" height="${LANE_HEIGHT - 4}"><title>${html(`${a.name}: ${i.state} from ${clock(i.from)} to ${clock(i.to)}`)}</title></rect>`);
    // The state in words where it fits, so it reads without colour.
    if (w > i.state.length * 6.5 + 8) out.push(`<text class="lane-text" x="${f(x1 + 4)}" y="${top + 13}">${html(i.state)}</text>`);
  }
  out.push(`<text class="lane-name" x="${LEFT + PLOT_WIDTH + 6}" y="${top + 13}">${html(shorten(a.name, 16))}</text></g>`);
  return out.join('\n');
}

/**
 * Vertical lines with their labels in rows at the top; a label goes to the first row where it
 * fits, and near the right edge it ends at its line instead of starting there.
 */
function markersSvg(markers: MarkerView[], top: number, bottom: number, x: (t: number) => number): string {
  const rowEnds = new Array<number>(MARKER_ROWS).fill(-Infinity);
  const out = ['<g class="markers">'];
  for (const m of markers) {
    const mx = x(m.at);
    const label = m.label;
    const width = label.length * 6 + 6;
    const toLeft = mx + width > WIDTH - 2;
    const start = toLeft ? mx - width : mx;
    let row = rowEnds.findIndex((end) => end < start);
    if (row < 0) row = rowEnds.indexOf(Math.min(...rowEnds));
    rowEnds[row] = start + width;
    const ly = top + row * MARKER_ROW + 10;
    out.push(`<line class="marker marker-${m.kind}" x1="${f(mx)}" x2="${f(mx)}" y1="${ly + 2}" y2="${bottom}"><title>${html(`${label} at ${clock(m.at)}`)}</title></line>`);
    out.push(`<text class="marker-label marker-${m.kind}" x="${f(toLeft ? mx - 2 : mx + 2)}" y="${ly}"${toLeft ? ' text-anchor="end"' : ''}>${html(label)}</text>`);
  }
  out.push('</g>');
  return out.join('\n');
}

function timeAxis(duration: number, bottom: number, x: (t: number) => number, label: string): string {
  const step = niceStep(duration / 8);
  const out = ['<g class="axis">'];
  for (let t = 0; t <= duration + 1e-9; t += step) {
    out.push(`<line class="tick-mark" x1="${f(x(t))}" x2="${f(x(t))}" y1="${bottom}" y2="${bottom + 5}"/>`);
    out.push(`<text class="tick" x="${f(x(t))}" y="${bottom + 17}" text-anchor="middle">${clock(t)}</text>`);
  }
  out.push(`<text class="axis-label" x="${LEFT + PLOT_WIDTH / 2}" y="${bottom + 33}" text-anchor="middle">${html(label)} (minutes:seconds)</text></g>`);
  return out.join('\n');
}

const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

function niceStep(raw: number): number {
  return STEPS.find((s) => s >= raw) ?? Math.ceil(raw / 3600) * 3600;
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `v`. */
function niceCeil(v: number): number {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

function shorten(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function f(v: number): string {
  return v.toFixed(1);
}
