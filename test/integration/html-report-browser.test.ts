/**
 * The HTML report in a real browser: headless Chromium opens the page written
 * for a healthy and a rolled-back simulated deployment, an explain story, and a
 * one-hour run with 10,000 points, with no console error and no network request; the chart, the
 * verdict and the hooks are in the DOM, the hover readout works, and a
 * screenshot of each is written to a temporary folder for people to look at.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { explainDeployment } from '../../src/explain/index.js';
import { storyHtmlReport } from '../../src/html-report/index.js';
import { createWorld, htmlReport, loadScenario, simulate, startEmulator, type SimulationResult } from '../../src/simulator/index.js';
import { seededRandom } from '../../src/simulator/engine/random.js';
import { CHROMIUM_INSTALL, chromiumAvailable, launchChromium, type Browser } from '../helpers/chromium.js';
import { longRunResult } from '../helpers/long-run-result.js';

if (!chromiumAvailable && process.env.CI === 'true') {
  describe('HTML report in Chromium', () => {
    it('requires Chromium under CI=true', () => {
      throw new Error(`${CHROMIUM_INSTALL} (required when CI=true)`);
    });
  });
}

describe.skipIf(!chromiumAvailable)(`HTML report in Chromium (skipped when missing: ${CHROMIUM_INSTALL})`, () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'cdh-html-report-'));

  beforeAll(async () => {
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    console.log(`HTML report screenshots: ${dir}`);
  });

  /** Opens a report page, noting any console error, page error or request that leaves the file. */
  async function open(name: string, result: SimulationResult | string): Promise<{ page: Page; problems: string[]; loadMs: number }> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, typeof result === 'string' ? result : htmlReport(result));
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file://')) problems.push(`request to ${r.url()}`);
    });
    const started = performance.now();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('html[data-report-ready="true"]', { timeout: 30_000 });
    const loadMs = performance.now() - started;
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
    return { page, problems, loadMs };
  }

  async function expectChartAndVerdict(page: Page, result: SimulationResult, headline: string): Promise<void> {
    expect((await page.textContent('#verdict'))?.trim()).toBe(`${result.status === 'Succeeded' ? '✓' : '✗'} ${headline}`);
    expect(await page.textContent('#why')).toBe(`Why: ${result.reason}`);
    const chart = page.locator('svg#timeline-chart');
    expect(await chart.getAttribute('role')).toBe('img');
    expect(await page.textContent('#chart-desc')).toContain(`it ended ${headline}.`);
    // Four panels, each with a line per version (latency: two per version).
    expect(await page.locator('svg#timeline-chart g.panel').count()).toBe(4);
    expect(await page.locator('#panel-weight path.line').count()).toBe(2);
    expect(await page.locator('#panel-requests path.line').count()).toBeGreaterThanOrEqual(1);
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(900);
    expect(box!.height).toBeGreaterThan(400);
    expect(await page.locator('section.hook').count()).toBe(result.hooks.length);
    expect(await page.locator('tr.check').count()).toBe(result.hooks.reduce((n, h) => n + (h.verdict?.checks.length ?? 0), 0));
    // Details are collapsed until opened.
    expect(await page.locator('details[open]').count()).toBe(0);
    // Pointing at the middle of the chart reads the values there.
    const hover = page.locator('#chart-hover');
    const hb = (await hover.boundingBox())!;
    await page.mouse.move(hb.x + hb.width / 2, hb.y + 20);
    expect(await page.textContent('#readout')).toMatch(/^At \d\d:\d\d: traffic v\d+ \d+ %, v\d+ \d+ %; requests v\d+ [\d.]+ req\/s/);
    expect(await page.locator('#crosshair').getAttribute('visibility')).toBe('visible');
    // And the keyboard does too: End goes to the end of the run.
    await page.focus('#chart-figure');
    await page.keyboard.press('End');
    expect(await page.textContent('#readout')).toMatch(/^At (\d:)?\d\d:\d\d: /);
  }

  it('a healthy deployment: SUCCEEDED, no alarm band, no rollback marker', async () => {
    const result = await simulate('lambda-canary-healthy');
    expect(result.status).toBe('Succeeded');
    const { page, problems } = await open('healthy', result);
    await expectChartAndVerdict(page, result, 'SUCCEEDED');
    expect(await page.locator('#timeline-chart .alarm-band').count()).toBe(0);
    expect(await page.locator('#timeline-chart line.marker-rollback').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('a rolled-back deployment: ROLLED BACK, the alarm in ALARM as a band, the rollback marked', async () => {
    const result = await simulate('lambda-alarm-during-canary');
    expect(result.rolledBack).toBe(true);
    const { page, problems } = await open('rolled-back', result);
    await expectChartAndVerdict(page, result, 'ROLLED BACK');
    expect(await page.locator('#timeline-chart .alarm-band').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#timeline-chart line.marker-rollback').count()).toBe(1);
    expect(await page.locator('#timeline-chart text.marker-rollback').textContent()).toBe('Rollback');
    expect(await page.textContent('#alarms')).toContain('sample-app-new-version-errors: ALARM at the end');
    // Opening a check's details shows them.
    const details = page.locator('tr.check details').first();
    await details.locator('summary').click();
    expect(await details.getAttribute('open')).toBe('');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('the explain story of a rolled-back deployment, read back from the emulator', async () => {
    const scenario = loadScenario('lambda-alarm-during-canary');
    const world = createWorld({ random: seededRandom(scenario.seed + 2) });
    const result = await simulate(scenario, { world });
    const emulator = await startEmulator({ world });
    try {
      const story = await explainDeployment(result.deploymentId, { endpoint: emulator.url, region: world.region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      const { page, problems } = await open('explain-rolled-back', storyHtmlReport(story));
      expect((await page.textContent('#verdict'))?.trim()).toBe('✗ ROLLED BACK');
      expect(await page.textContent('#why')).toBe(`Why: ${story.headline}`);
      expect(await page.locator('svg#timeline-chart g.panel').count()).toBe(4);
      expect(await page.locator('#panel-weight path.line').count()).toBe(2);
      expect(await page.locator('#timeline-chart .alarm-band').count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator('#timeline-chart line.marker-rollback').count()).toBe(1);
      expect(await page.locator('#panel-errors text.empty').textContent()).toContain('explain reads no metric series');
      expect(await page.locator('section.hook[data-lifecycle-event="BeforeAllowTraffic"] tr.check').count()).toBe(result.hooks[0]!.verdict!.checks.length);
      expect(await page.locator('details[open]').count()).toBe(0);
      expect(problems).toEqual([]);
      await page.close();
    } finally {
      await emulator.close();
    }
  }, 60_000);

  it('a one-hour run with 10,000 timeline points opens quickly and stays small in the DOM', async () => {
    const result = longRunResult();
    const { page, problems, loadMs } = await open('long-run', result);
    const nodes = await page.locator('*').count();
    console.log(`long-run report in Chromium: ready in ${loadMs.toFixed(0)} ms, ${nodes} DOM elements`);
    // A wide budget: this is a shared, busy machine; a page that drew every point would still pass only if it were fast.
    expect(loadMs).toBeLessThan(20_000);
    expect(nodes).toBeLessThan(5_000);
    await expectChartAndVerdict(page, result, 'ROLLED BACK');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
