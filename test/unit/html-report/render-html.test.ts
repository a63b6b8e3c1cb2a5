/**
 * The HTML report page, from hand-built results: self-contained, the verdict
 * and "why" in the CLI's words, text alternatives for the chart, hostile text
 * escaped, details collapsed, and a one-hour run with 10,000 points kept small.
 */
import { describe, expect, it } from 'vitest';
import { TimelinePrinter } from '../../../src/cli/timeline-printer.js';
import { renderHtml, viewOfSimulation } from '../../../src/html-report/index.js';
import { htmlReport } from '../../../src/simulator/index.js';
import type { SimulationResult } from '../../../src/simulator/index.js';
import { LONG_RUN_POINTS, longRunResult } from '../../helpers/long-run-result.js';

function cliSummary(r: SimulationResult): string {
  let text = '';
  new TimelinePrinter((s) => (text += s), { color: false, verbose: false }).summary(r);
  return text;
}

/** The text content of every element matching an id, roughly (tags stripped, entities decoded). */
function textOf(page: string, id: string): string {
  const m = new RegExp(`<(\\w+)[^>]*id="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(page);
  if (!m) throw new Error(`no element #${id}`);
  return m[2]!.replace(/<[^>]+>/g, '').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
}

describe('HTML report', () => {
  it('puts the verdict and the why on top, in the same words as the CLI summary', () => {
    const r = longRunResult();
    const page = htmlReport(r);
    expect(textOf(page, 'verdict')).toContain('ROLLED BACK');
    expect(page).toMatch(/id="verdict" class="verdict verdict-bad" data-status="Stopped"/);
    expect(textOf(page, 'why')).toBe(`Why: ${r.reason}`);
    // Every line of the CLI's summary is in the page, word for word.
    const summary = textOf(page, 'summary');
    for (const line of cliSummary(r).split('\n').map((l) => l.trim()).filter((l) => l && l !== 'Summary')) expect(summary).toContain(line);
    expect(page.indexOf('id="verdict"')).toBeLessThan(page.indexOf('id="timeline-chart"'));
  });

  it('is self-contained: no external reference, a policy that forbids network access', () => {
    const page = htmlReport(longRunResult());
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`);
    expect(page).not.toMatch(/\s(src|href)=/);
    expect(page).not.toMatch(/@import|url\((?!#)/);
    // The only http(s) string is the SVG namespace, which is a name, not a fetch.
    expect(page.match(/https?:\/\/[^"\s<]+/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  it('escapes text from the run: a reason or check detail cannot open a script', () => {
    const r = longRunResult();
    const hostile = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    r.reason = hostile;
    r.hooks[0]!.verdict!.checks[0]!.reason = hostile;
    r.hooks[0]!.verdict!.checks[0]!.details = { body: hostile };
    r.alarms[0]!.name = hostile;
    r.timeline.push({ at: 1, simSeconds: 1, type: 'alarm', alarmName: hostile, state: 'ALARM', reason: hostile });
    const page = htmlReport(r);
    expect(page.match(/<script/g)).toHaveLength(2);
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
    // The embedded data block escapes "<" too.
    expect(page.slice(page.indexOf('id="chart-data"'))).not.toMatch(/<\/script><script>alert/);
  });

  it('shows each hook with its checks, states, reasons, durations and what was reported; details collapsed', () => {
    const r = longRunResult();
    const page = htmlReport(r);
    expect(page).not.toMatch(/<details[^>]* open/);
    const pre = page.slice(page.indexOf('data-lifecycle-event="BeforeAllowTraffic"'), page.indexOf('data-lifecycle-event="AfterAllowTraffic"'));
    expect(pre).toContain('<td>invoke GET /health</td><td class="state-passed">✓ passed</td><td>yes</td><td>status 200<details><summary>details</summary><pre>{\n  &quot;statusCode&quot;: 200\n}</pre></details></td><td class="num">40 ms</td><td class="num">1</td>');
    expect(pre).toContain('<dt>Verdict</dt><dd>Succeeded — all 1 enforced checks passed</dd>');
    expect(pre).toContain('<dt>Invocation</dt><dd>returned after 120 ms</dd>');
    const post = page.slice(page.indexOf('data-lifecycle-event="AfterAllowTraffic"'));
    expect(post).toContain('<dt>Reported</dt><dd>not run: the deployment ended before AfterAllowTraffic</dd>');
  });

  it('gives the chart text alternatives: an SVG title and description, a caption and a data table', () => {
    const page = htmlReport(longRunResult());
    expect(page).toContain('role="img" aria-labelledby="chart-title chart-desc"');
    const desc = textOf(page, 'chart-desc');
    expect(desc).toContain('over 1:00:00 of simulated time; it ended ROLLED BACK.');
    expect(desc).toMatch(/Traffic to version 2 changed 100 times, reaching 99% at \d\d:\d\d and ending at 0%\./);
    expect(desc).toContain('Version 2: up to 3 requests/s, error rate up to 100% (at 43:56)');
    expect(desc).toContain('Alarm long-run-errors was in ALARM from 49:30 to 1:00:00.');
    expect(desc).toContain('Rollback at 50:00.');
    const table = page.slice(page.indexOf('<table id="chart-table"'), page.indexOf('</table>', page.indexOf('<table id="chart-table"')));
    const rows = table.match(/<tr>/g) ?? [];
    // A header row and at most 40 slices, however long the run.
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.length).toBeLessThanOrEqual(41);
    // 40 slices of 90 s: the one holding the spike (at 43:56) reports it as version 2's highest error rate, and only that one.
    const v2ErrorsMax = [...table.matchAll(/<tr><td>([\d:]+)<\/td><td>[\d:]+<\/td>(?:<td class="num">[^<]+<\/td>){6}<td class="num">([^<]+)<\/td>/g)];
    expect(v2ErrorsMax.filter((m) => m[2] === '100').map((m) => m[1])).toEqual(['43:30']);
  });

  it('keeps a one-hour run with 10,000 timeline events and 10,000 points per series small and drawable', () => {
    const r = longRunResult();
    expect(r.timeline).toHaveLength(LONG_RUN_POINTS);
    const started = performance.now();
    const page = htmlReport(r);
    const ms = performance.now() - started;
    const json = JSON.stringify(r).length;
    console.log(`long-run report: ${(page.length / 1024).toFixed(0)} KB HTML (the result as JSON is ${(json / 1024).toFixed(0)} KB), rendered in ${ms.toFixed(0)} ms`);
    expect(page.length).toBeLessThan(1_000_000);
    // Every drawn line is downsampled to about one point per pixel of the plot (792 px wide).
    const paths = [...page.matchAll(/<path class="line [^"]*" d="([^"]+)"/g)].map((m) => m[1]!.match(/[MHV]/g)!.length);
    expect(paths.length).toBe(2 + 2 * 4);
    for (const commands of paths) expect(commands).toBeLessThanOrEqual(2 * 2 * 792 + 4);
    // Yet the one-point error spike is still drawn: the errors panel's scale reaches 100 %.
    expect(page).toMatch(/id="panel-errors" data-top="\d+" data-height="\d+" data-max="100"/);
    // The event list keeps its first and last lines and says how many it left out.
    expect(page).toContain('events left out here (the JSON report has them all)');
  });

  it('draws a run without metrics, saying so in the panels', () => {
    const r = longRunResult();
    delete r.metrics;
    const view = viewOfSimulation(r);
    const page = renderHtml(view);
    expect(page.match(/no per-version metrics were recorded for this deployment/g)).toHaveLength(3);
    expect(textOf(page, 'chart-desc')).toContain('No per-version metrics were recorded.');
  });
});
