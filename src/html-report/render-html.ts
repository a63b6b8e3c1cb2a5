/**
 * The HTML report: one self-contained page (style, script and data inline, a
 * Content-Security-Policy that allows no network access) telling one deployment:
 * the verdict and why on top, the timeline chart with its text alternatives,
 * each hook's checks, the alarms, and the timeline as the CLI printed it.
 */
import { dataTable, describeChart } from './chart-text.js';
import { clock } from './format.js';
import { html, scriptJson } from './html-escape.js';
import { SCRIPT, STYLE } from './page-assets.js';
import { chartData, chartPanels, chartSvg } from './svg-chart.js';
import type { CheckView, DeploymentView, HookView } from './view.js';

/** Timeline lines shown at most; the rest are in the JSON report. */
const MAX_EVENT_LINES = 2000;

/** CodeDeploy statuses of a deployment that has not ended yet. */
const RUNNING = new Set(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);

export function renderHtml(view: DeploymentView): string {
  const ok = view.status === 'Succeeded';
  const running = RUNNING.has(view.status);
  const [mark, verdictClass] = ok ? ['✓', 'verdict-ok'] : running ? ['…', 'verdict-running'] : ['✗', 'verdict-bad'];
  const panels = chartPanels(view);
  const desc = describeChart(view);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${html(`${view.headline}: ${view.title}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${html(view.title)}</h1>
<p class="subtitle">${html(view.subtitle)}</p>
<p id="verdict" class="verdict ${verdictClass}" data-status="${html(view.status)}">${mark} ${html(view.headline)}</p>
<p id="why" class="why"><strong>Why:</strong> ${html(view.why)}</p>
<pre id="summary" aria-label="Summary as the CLI prints it">${html(view.summary.join('\n'))}</pre>
</header>
<main>
<section aria-labelledby="h-timeline">
<h2 id="h-timeline">Timeline</h2>
${legend(view)}
<figure id="chart-figure" tabindex="0" aria-describedby="readout">
${chartSvg(view, panels, { title: `Timeline chart: ${view.title}`, desc })}
<figcaption>${html(desc)}</figcaption>
</figure>
<div id="readout" aria-live="polite">Point at the chart (or focus it and use the arrow keys) to read the values at a moment.</div>
${view.metrics ? `<p class="note">Metrics: ${html(view.metrics.source)}, in buckets of ${html(clock(view.metrics.periodSeconds))}.</p>` : ''}
${(view.notes ?? []).map((n) => `<p class="note">${html(n)}</p>`).join('\n')}
<details id="chart-data-table"><summary>The chart's data as a table</summary>
${dataTable(view)}
</details>
</section>
<section aria-labelledby="h-hooks">
<h2 id="h-hooks">Hooks</h2>
${view.hooks.length ? view.hooks.map(hookSection).join('\n') : '<p>No lifecycle hooks ran.</p>'}
</section>
${alarmsSection(view)}
<section aria-labelledby="h-events">
<h2 id="h-events">Events</h2>
<details id="events"><summary>${html(view.eventsTitle)} (${view.events.length} events${view.events.length > MAX_EVENT_LINES ? `, ${MAX_EVENT_LINES} shown` : ''})</summary>
<pre>${html(eventText(view.events))}</pre>
</details>
</section>
</main>
<script type="application/json" id="chart-data">${scriptJson(chartData(view, panels))}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** How to tell the lines apart, in words and with a sample of each. */
function legend(view: DeploymentView): string {
  const sample = (cls: string) => `<svg width="36" height="10" aria-hidden="true"><line x1="0" y1="5" x2="36" y2="5" class="line ${cls}"/></svg>`;
  const items = view.versions.map((v) => {
    const pattern = v.role === 'current' ? 'solid line' : 'dashed line, italic label';
    return `<li>${sample(`v-${v.role}`)}${html(v.label)} (${v.role === 'current' ? 'current, the old one' : 'target, the new one'}): ${pattern}</li>`;
  });
  items.push(`<li><svg width="36" height="10" aria-hidden="true"><rect width="36" height="10" class="alarm-band"/></svg>alarm in ALARM: hatched band</li>`);
  items.push(`<li>${sample('marker marker-rollback')}rollback: dash-dot line</li>`);
  items.push(`<li>${sample('marker')}lifecycle event ended: dotted line</li>`);
  // The band's hatch pattern is defined once, in the chart's SVG (ids are page-wide).
  return `<ul class="legend" aria-label="Legend">${items.join('')}</ul>`;
}

/** Lifecycle events that never ran: neither passed nor failed. */
const NOT_RUN = new Set(['NotRun', 'Skipped', 'Pending']);

function hookSection(h: HookView): string {
  const ok = h.status === 'Succeeded';
  const ran = !NOT_RUN.has(h.status);
  const status = h.status === 'NotRun' ? 'not run' : h.status;
  const facts: [string, string][] = [
    ['CodeDeploy recorded', status],
    ['Reported', h.reported],
  ];
  if (h.outcome) facts.push(['Invocation', `${h.outcome}${h.durationMs !== undefined ? ` after ${h.durationMs} ms` : ''}`]);
  if (h.verdict) facts.push(['Verdict', `${h.verdict.status} — ${h.verdict.reason}${h.verdict.reported === false ? ' (CodeDeploy did not accept a status from this invocation)' : ''}`]);
  if (h.error) facts.push(['Error', h.error]);
  const checks = h.verdict?.checks ?? [];
  return `<section class="hook ${ok ? 'hook-ok' : ran ? 'hook-bad' : ''}" data-lifecycle-event="${html(h.lifecycleEvent)}">
<h3>${html(h.lifecycleEvent)} <small>(${html(h.functionName)})</small>: ${ok ? '✓' : ran ? '✗' : '–'} ${html(status)}</h3>
<dl class="facts">${facts.map(([k, v]) => `<dt>${html(k)}</dt><dd>${html(v)}</dd>`).join('')}</dl>
${checks.length ? checksTable(checks) : ''}
${h.logs.length ? `<details class="logs"><summary>What the hook printed (${h.logs.length} writes)</summary><pre>${html(h.logs.join(''))}</pre></details>` : ''}
</section>`;
}

// A Map, not an object literal: a state read from a verdict line may be "constructor" or "__proto__".
const ICONS = new Map(Object.entries({ passed: '✓', failed: '✗', error: '✗', inconclusive: '?' }));

function checksTable(checks: CheckView[]): string {
  const rows = checks.map((c) => {
    const details = c.details ? `<details><summary>details</summary><pre>${html(JSON.stringify(c.details, null, 2))}</pre></details>` : '';
    return `<tr class="check"><td>${html(c.name)}</td><td class="state-${html(c.state)}">${ICONS.get(c.state) ?? ''} ${html(c.state)}</td><td>${c.enforced ? 'yes' : 'no (dry run)'}</td><td>${html(c.reason)}${details}</td><td class="num">${c.durationMs !== undefined ? `${c.durationMs} ms` : '–'}</td><td class="num">${c.attempts ?? '–'}</td></tr>`;
  });
  return `<table class="checks"><thead><tr><th scope="col">check</th><th scope="col">state</th><th scope="col">enforced</th><th scope="col">reason</th><th scope="col">duration</th><th scope="col">attempts</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function alarmsSection(view: DeploymentView): string {
  if (view.alarms.length === 0) return '';
  const items = view.alarms.map((a) => {
    const changes = a.changes.map((c) => `<li>${clock(c.at)} → ${html(c.state)} — ${html(c.reason)}</li>`).join('');
    return `<li><strong>${html(a.name)}</strong>: ${html(a.finalState)} at the end${changes ? `<ul>${changes}</ul>` : ' (no state change seen)'}</li>`;
  });
  return `<section aria-labelledby="h-alarms"><h2 id="h-alarms">Alarms</h2><ul id="alarms">${items.join('')}</ul></section>`;
}

/** A long run keeps its first and last lines; the middle is in the JSON report. */
function eventText(events: DeploymentView['events']): string {
  if (events.length <= MAX_EVENT_LINES) return events.map((e) => e.text).join('\n');
  const half = MAX_EVENT_LINES / 2;
  const omitted = events.length - MAX_EVENT_LINES;
  return [...events.slice(0, half).map((e) => e.text), `… ${omitted} events left out here (the JSON report has them all) …`, ...events.slice(-half).map((e) => e.text)].join('\n');
}
