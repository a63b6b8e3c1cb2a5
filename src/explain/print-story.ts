/**
 * A DeploymentStory as text for a terminal: the headline first, then the
 * lifecycle events with each hook's verdict and checks, traffic, alarms,
 * rollback, what to do, and what could not be read. Colour only when asked.
 */
import { clip, show } from '../util/show.js';
import { terminalSafe } from '../util/terminal-text.js';
import type { DeploymentStory, StoryCheck, StoryEvent } from './story.js';
import { formatMinutes } from './traffic.js';

export interface PrintOptions {
  color?: boolean;
  /** Show each check's details in full instead of a one-line preview. */
  verbose?: boolean;
}

type Paint = (s: string) => string;

// Maps, not object literals: a state read from a verdict line may be "constructor" or "__proto__".
const STATE_MARK = new Map(Object.entries({ passed: '✓', failed: '✗', error: '!', inconclusive: '?' }));
const EVENT_MARK = new Map(Object.entries({ Succeeded: '✓', Failed: '✗', InProgress: '…', Skipped: '-', Pending: '·' }));

export function renderStory(unsafeStory: DeploymentStory, opts: PrintOptions = {}): string {
  // Everything in a story was read from logs or the API; none of it may drive the terminal.
  const story = terminalSafe(unsafeStory);
  const paint = (open: number, close: number): Paint => (opts.color ? (s) => `\u001b[${open}m${s}\u001b[${close}m` : (s) => s);
  const [red, green, yellow, dim, bold] = [paint(31, 39), paint(32, 39), paint(33, 39), paint(2, 22), paint(1, 22)];
  const byOutcome = story.outcome === 'succeeded' ? green : story.outcome === 'in-progress' ? yellow : red;
  const lines: string[] = [];
  const add = (s = '') => lines.push(s);

  add(bold(`Deployment ${story.deploymentId} — ${byOutcome(story.outcome.toUpperCase().replace('-', ' '))}`));
  const where = [story.applicationName && story.deploymentGroupName ? `${story.applicationName} / ${story.deploymentGroupName}` : undefined, story.computePlatform, story.deploymentConfigName].filter(Boolean);
  if (where.length) add(`  ${where.join(', ')}`);
  const when = [story.createTime ? `created ${story.createTime}` : undefined, story.completeTime ? `ended ${story.completeTime}` : undefined, story.creator ? `by ${story.creator}` : undefined].filter(Boolean);
  if (when.length) add(dim(`  ${when.join(', ')}`));
  if (story.errorInformation) add(`  CodeDeploy: ${[story.errorInformation.code, story.errorInformation.message].filter(Boolean).join(' — ')}`);
  add();
  add(bold('What happened'));
  add(`  ${story.headline}`);

  if (story.events.length > 0) {
    add();
    add(bold('Lifecycle events'));
    for (const e of story.events) renderEvent(e, add, { red, green, yellow, dim }, opts.verbose === true);
  }
  if (story.traffic) {
    add();
    add(bold('Traffic'));
    add(`  ${story.traffic.summary}`);
  }
  if (story.alarms.length > 0) {
    add();
    add(bold('Alarms'));
    for (const a of story.alarms) {
      const changes = a.historyUnknown ? 'its state changes could not be read' : a.transitions.length === 0 ? 'no state change around the deployment' : a.transitions.map((t) => `${t.from ?? '?'} → ${t.to ?? '?'} at ${t.time}${t.reason ? ` (${clip(t.reason, 200)})` : ''}`).join('; ');
      const mark = a.firedDuringDeployment ? red('✗') : green('✓');
      add(`  ${mark} ${a.name}${a.stateNow ? `: ${a.stateNow} now` : ''}; ${changes}`);
    }
  }
  if (story.rollback) {
    add();
    add(bold('Rollback'));
    if (story.rollback.rollbackDeploymentId) add(`  rolled back by deployment ${story.rollback.rollbackDeploymentId}${story.rollback.rollbackStatus ? ` (${story.rollback.rollbackStatus})` : ''}`);
    if (story.rollback.triggeringDeploymentId) add(`  this deployment rolls back ${story.rollback.triggeringDeploymentId}`);
    if (story.rollback.message && story.rollback.message !== story.errorInformation?.message) add(dim(`  ${story.rollback.message}`));
  }
  if (story.advice.length > 0) {
    add();
    add(bold('What to do'));
    story.advice.forEach((a, i) => add(`  ${i + 1}. ${a}`));
  }
  if (story.gaps.length > 0) {
    add();
    add(bold('Not known'));
    for (const g of story.gaps) add(`  - ${g.source}: ${g.message}`);
  }
  return `${lines.join('\n')}\n`;
}

function renderEvent(e: StoryEvent, add: (s: string) => void, c: { red: Paint; green: Paint; yellow: Paint; dim: Paint }, verbose: boolean): void {
  const colour = e.status === 'Succeeded' ? c.green : e.status === 'Failed' ? c.red : e.status === 'InProgress' ? c.yellow : c.dim;
  const took = e.durationMs !== undefined ? ` ${formatDuration(e.durationMs)}` : '';
  add(`  ${colour(`${EVENT_MARK.get(e.status) ?? ' '} ${e.name.padEnd(22)} ${e.status}`)}${took}${e.hookFunction ? c.dim(`  hook ${e.hookFunction}`) : ''}`);
  if (e.diagnostics?.message) add(`      CodeDeploy: ${[e.diagnostics.errorCode, e.diagnostics.message].filter(Boolean).join(' — ')}`);
  const v = e.verdict;
  if (v) {
    const report = v.reportOutcome ? `reported: ${v.reportOutcome}` : v.reported === false ? 'not reported' : 'reported';
    const more = v.otherLines > 0 ? c.dim(` (+${v.otherLines} more verdict line${v.otherLines > 1 ? 's' : ''})`) : '';
    add(`      verdict ${v.status === 'Failed' ? c.red(v.status) : c.green(v.status)} (${report}${v.durationMs !== undefined ? `, ${formatDuration(v.durationMs)}` : ''}) — ${clip(v.reason, 400)}${more}`);
    if (v.bypassReason) add(c.yellow(`      BYPASSED: ${v.bypassReason}`));
    if (v.reportError) add(`      report error: ${v.reportError}`);
    for (const check of v.checks) renderCheck(check, add, c, verbose);
    if (v.checksOmitted) add(c.dim(`        … ${v.checksOmitted} more checks left out of the line (it was too large)`));
    add(c.dim(`      from ${v.logGroup}${v.logStream ? ` ${v.logStream}` : ''}${v.timestamp ? ` at ${v.timestamp}` : ''}`));
  } else if (e.missingVerdict) {
    add(c.yellow(`      no verdict: ${e.missingVerdict}`));
  }
}

function renderCheck(check: StoryCheck, add: (s: string) => void, c: { red: Paint; green: Paint; yellow: Paint; dim: Paint }, verbose: boolean): void {
  const mark = STATE_MARK.get(check.state) ?? '·';
  const colour = check.state === 'passed' ? c.green : check.state === 'inconclusive' ? c.yellow : c.red;
  const dry = check.enforced ? '' : c.dim(' [not enforced]');
  add(`        ${colour(`${mark} ${check.name}: ${check.state}`)}${dry} — ${clip(check.reason, 400)}${check.durationMs !== undefined ? c.dim(` (${formatDuration(check.durationMs)})`) : ''}`);
  if (check.details && check.state !== 'passed') {
    const text = verbose ? JSON.stringify(check.details, null, 2).replaceAll('\n', '\n            ') : show(check.details, 300);
    add(c.dim(`            details: ${text}`));
  }
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : formatMinutes(ms);
}
