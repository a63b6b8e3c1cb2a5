/**
 * The fault-matrix harness. One cell = one emulator + one world + one hook
 * invocation under one injected fault. Every cell checks the same promises:
 *
 *  1. at most one ACCEPTED PutLifecycleEventHookExecutionStatus (counted on
 *     the emulator's wire log) and the world's hook execution set once; EVERY
 *     report call is counted too: all of them carry the verdict's status, and
 *     none arrives after the accepted one (a second, refused report is a bug
 *     even though CodeDeploy would shrug it off);
 *  2. `Succeeded` only when the world was truly healthy and every enforced
 *     check in the verdict passed;
 *  3. whenever the report API is reachable, exactly one accepted report that
 *     arrives before the Lambda deadline, and the handler returns before it;
 *  4. one verdict log line whose reason names the cause.
 *
 * Hooks are built with defineHook and the built-in checks, with real SDK
 * clients pointed at the emulator (dummy credentials, us-east-1).
 *
 * Time: budgets are real milliseconds, and the machine may be busy (two test
 * runs on two cores). A cell whose hook should finish early gets a budget wide
 * enough that only a defect can exhaust it (ROOMY_BUDGET_MS). A cell that must
 * run into its deadline keeps a short budget, and "before the deadline" is
 * checked against the deadline plus the worst event-loop delay measured
 * during the cell: a timer cannot fire while the process is not running, and
 * on an idle machine that allowance is a few milliseconds.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect } from 'vitest';
import { alarms, apiGatewayRestEvent, http, invokeTarget, lambdaErrorRate } from '../../src/checks/index.js';
import { defineHook, type HookHandler } from '../../src/index.js';
import { startEmulator, type Emulator, type FaultSpec } from '../../src/simulator/emulator/index.js';
import { createWorld, type World } from '../../src/simulator/state/index.js';
import type { Check, CheckSpec, HookClients, HookOptions, HookVerdict, LambdaContextLike } from '../../src/types.js';
import { startTarget, type Target, type TargetMode } from './http-target.js';
import { deployEcs, deployLambda, type Deployed } from './world-setup.js';

export type Platform = 'Lambda' | 'ECS';

/** For cells whose hook finishes long before its deadline: room for a starved host, none for a hang. */
export const ROOMY_BUDGET_MS = 20_000;

/** A status report the hook's CodeDeploy client sent (recorded client-side, with what it said). */
export interface SentReport {
  status: string | undefined;
  at: number;
}
/** What must happen: the reported status, or no report at all (report API unreachable). */
export type Expected = 'Succeeded' | 'Failed' | 'unreported';

export interface CellEnv {
  emu: Emulator;
  world: World;
  deployed: Deployed;
  target?: Target;
  clients: HookClients;
  /** Every PutLifecycleEventHookExecutionStatus the hook's client sent, in order. */
  sentReports: SentReport[];
  lines: string[];
  /** Run when the cell is disposed (extra servers a cell started). */
  cleanups: (() => Promise<void> | void)[];
}

export interface CellSpec {
  /** Row label in the printed matrix, e.g. "CodeDeploy GetDeployment · throttle ×2". */
  name: string;
  platform: Platform;
  /** The Lambda's remaining time at invocation (real milliseconds). */
  budgetMs: number;
  faults?: FaultSpec[];
  /** ECS: how the service behind the listeners behaves. @default 'ok' */
  target?: TargetMode;
  /** ECS: serve the target over TLS with a self-signed certificate. */
  tls?: { key: Buffer; cert: Buffer };
  /** Replace or extend the platform's standard checks. */
  checks?: (standard: Check[], env: CellEnv) => CheckSpec[];
  /** World changes before the invocation (a broken version, an alarm in ALARM, ...). */
  before?: (env: CellEnv) => void | Promise<void>;
  /** Change the event (e.g. an execution id CodeDeploy does not know). */
  event?: (deployed: Deployed) => unknown;
  /** Is the deployment truly healthy? Only then may the world ever see `Succeeded`. */
  truth: 'healthy' | 'broken';
  expect: Expected;
  /** The verdict log line's reason must match this. */
  cause: RegExp;
  /** Another party reports the execution while the hook runs (so the hook's own report is refused). */
  reportedElsewhere?: boolean;
  /** Extra hook options. */
  options?: Partial<HookOptions>;
  /** Keep watching the wire this long after the handler returned (a check that settles late must change nothing). */
  watchAfterReturnMs?: number;
}

export interface CellOutcome {
  cell: string;
  platform: Platform;
  status: HookVerdict['status'] | 'threw' | 'killed';
  reported: boolean;
  worldStatus: string;
  acceptedReports: number;
  ms: number;
  budgetMs: number;
  reason: string;
  /** Worst event-loop delay seen during the cell, ms (the allowance on "before the deadline"). */
  lagMs?: number;
  /** Set when the cell broke a promise: the first failed assertion. */
  violation?: string;
}

/** Real SDK clients talking to the emulator. CodeDeploy mirrors the runtime's own default (its retries are the runtime's). */
export function emulatorClients(url: string, sentReports: SentReport[] = []): HookClients {
  const base = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const codeDeploy = new CodeDeployClient({ ...base, maxAttempts: 1 });
  // Records what each report said: the wire log counts calls, this says which status each one sent.
  codeDeploy.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutLifecycleEventHookExecutionStatusCommand') {
        sentReports.push({ status: (args.input as { status?: string }).status, at: Date.now() });
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordSentReports' },
  );
  return {
    codeDeploy,
    cloudWatch: new CloudWatchClient(base),
    lambda: new LambdaClient(base),
    elbv2: new ElasticLoadBalancingV2Client(base),
  };
}

/** The Lambda hook: invoke the new version, the group's alarms, the new version's error rate. */
export function lambdaChecks(): Check[] {
  return [
    invokeTarget({ payload: apiGatewayRestEvent({ path: '/health' }), expect: { statusCode: 200, json: { ok: true } } }),
    alarms({ fromDeploymentGroup: true }),
    lambdaErrorRate({ maxPercent: 5, lookbackMs: 120_000 }),
  ];
}

/** The ECS hook: a smoke test through the test listener, the group's alarms. */
export function ecsChecks(): Check[] {
  return [http({ path: '/health', expect: { status: 200, json: { ok: true } }, requestTimeoutMs: 800 }), alarms({ fromDeploymentGroup: true })];
}

/** A Lambda-like context whose remaining time runs out `budgetMs` after now. */
export function lambdaContext(budgetMs: number): LambdaContextLike & { end: number } {
  const end = Date.now() + budgetMs;
  return { end, awsRequestId: 'reliability-cell', getRemainingTimeInMillis: () => Math.max(0, end - Date.now()) };
}

/**
 * Starts measuring the event loop's worst delay; `stop()` returns it in ms.
 * The allowance on "before the deadline" for cells on a busy host.
 */
/** The most the lag allowance grants: a check that blocks the loop longer must not excuse its own overrun. */
const MAX_LAG_ALLOWANCE_MS = 1000;

export function watchLoopLag(): { stop(): number } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return Math.min(MAX_LAG_ALLOWANCE_MS, Math.ceil(histogram.max / 1e6));
    },
  };
}

/** Builds a cell's world, emulator and target. Call `dispose` when done. */
export async function setupCell(spec: Pick<CellSpec, 'platform' | 'target' | 'tls' | 'faults'>): Promise<CellEnv & { dispose(): Promise<void> }> {
  const world = createWorld();
  const emu = await startEmulator({ world, port: 0 });
  let target: Target | undefined;
  let deployed: Deployed;
  if (spec.platform === 'ECS') {
    target = await startTarget(spec.target ?? 'ok', spec.tls);
    deployed = deployEcs(world, target.port, spec.tls ? 'HTTPS' : 'HTTP');
  } else {
    deployed = deployLambda(world);
  }
  const sentReports: SentReport[] = [];
  const env: CellEnv = { emu, world, deployed, ...(target ? { target } : {}), clients: emulatorClients(emu.url, sentReports), sentReports, lines: [], cleanups: [] };
  return {
    ...env,
    cleanups: env.cleanups,
    async dispose() {
      for (const cleanup of env.cleanups) await cleanup();
      for (const c of Object.values(env.clients)) (c as { destroy(): void }).destroy();
      await target?.close();
      await emu.close();
    },
  };
}

export function hookFor(spec: Pick<CellSpec, 'platform' | 'checks' | 'options'>, env: CellEnv): HookHandler {
  const standard = spec.platform === 'Lambda' ? lambdaChecks() : ecsChecks();
  return defineHook({
    checks: spec.checks ? spec.checks(standard, env) : standard,
    clients: env.clients,
    log: (line) => env.lines.push(line),
    ...spec.options,
  });
}

/** Every status report on the wire, accepted or not. */
export function reportCalls(world: World) {
  return world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus');
}

/** Accepted status reports on the wire (HTTP 200 answers to PutLifecycleEventHookExecutionStatus). */
export function acceptedReports(world: World) {
  return world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus').filter((r) => r.status === 200 && !r.errorCode);
}

/** The one verdict line among the hook's log lines. */
export function verdictLine(lines: string[]): Record<string, unknown> {
  const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  const verdicts = records.filter((r) => typeof r.message === 'string' && /^CodeDeploy hook (verdict|BYPASSED)/.test(r.message));
  expect(verdicts, `verdict lines in:\n${lines.join('\n')}`).toHaveLength(1);
  return verdicts[0]!;
}

/**
 * Cells in flight at once. Timing is part of what a cell asserts (a report
 * before the deadline), so a file must not starve its own cells on 2 cores.
 */
const MAX_CELLS_IN_FLIGHT = 4;
/** How long past the Lambda deadline a cell waits before calling the invocation killed. */
const LAMBDA_KILL_GRACE_MS = 250;
let inFlight = 0;
const waiting: (() => void)[] = [];

async function slot<T>(run: () => Promise<T>): Promise<T> {
  if (inFlight >= MAX_CELLS_IN_FLIGHT) await new Promise<void>((resolve) => waiting.push(resolve));
  inFlight++;
  try {
    return await run();
  } finally {
    inFlight--;
    waiting.shift()?.();
  }
}

/**
 * Loads and JITs the SDK clients, checks and emulator paths once (a healthy
 * Lambda and ECS invocation, not recorded), so the first timed cells do not pay
 * module loading inside their Lambda budget. Call from beforeAll.
 */
export async function warmUp(): Promise<void> {
  for (const platform of ['Lambda', 'ECS'] as const) {
    const env = await setupCell({ platform });
    try {
      await hookFor({ platform }, env)(env.deployed.event, lambdaContext(10_000));
    } finally {
      await env.dispose();
    }
  }
}

let recorder: Matrix | undefined;

/** The matrix every cell run in this file adds its row to (also when the cell breaks a promise). */
export function recordTo(matrix: Matrix): void {
  recorder = matrix;
}

/** Runs one cell and checks every promise; returns the row for the matrix. */
export function runCell(spec: CellSpec): Promise<CellOutcome> {
  return slot(() => runCellNow(spec));
}

async function runCellNow(spec: CellSpec): Promise<CellOutcome> {
  const env = await setupCell(spec);
  try {
    await spec.before?.(env);
    for (const f of spec.faults ?? []) env.emu.faults.add(f);
    const handler = hookFor(spec, env);
    const event = spec.event ? spec.event(env.deployed) : env.deployed.event;
    const context = lambdaContext(spec.budgetMs);
    const lag = watchLoopLag();
    const startedAt = Date.now();
    let verdict: HookVerdict | undefined;
    let thrown: string | undefined;
    // Lambda stops a function at its deadline: so does the cell (with a little grace to observe the overrun).
    let killTimer: NodeJS.Timeout | undefined;
    const killed = new Promise<'killed'>((resolve) => (killTimer = setTimeout(() => resolve('killed'), spec.budgetMs + LAMBDA_KILL_GRACE_MS)));
    const settled = await Promise.race([
      handler(event, context).then(
        (v) => ({ v }),
        // Keep only a printable description: a hostile thrown value must not take the test runner down with it.
        (error: unknown) => ({ e: printable(error) }),
      ),
      killed,
    ]);
    clearTimeout(killTimer);
    const lagMs = lag.stop();
    if (settled === 'killed') thrown = `still running at the Lambda deadline (+${LAMBDA_KILL_GRACE_MS} ms): Lambda would have killed it`;
    else if ('e' in settled) thrown = settled.e;
    else verdict = settled.v;
    const returnedAt = Date.now();
    const callsAtReturn = env.world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus').length;
    const linesAtReturn = env.lines.length;
    if (spec.watchAfterReturnMs) {
      await new Promise((r) => setTimeout(r, spec.watchAfterReturnMs));
      expect(env.world.callsTo('codedeploy', 'PutLifecycleEventHookExecutionStatus').length, `${spec.name}: report calls after the handler returned`).toBe(callsAtReturn);
      expect(env.lines.length, `${spec.name}: log lines after the handler returned`).toBe(linesAtReturn);
    }
    const exec = env.world.codeDeploy.hookExecutions.get(env.deployed.executionId)!;
    const accepted = acceptedReports(env.world);
    const outcome: CellOutcome = {
      cell: spec.name,
      platform: spec.platform,
      status: verdict?.status ?? (settled === 'killed' ? 'killed' : 'threw'),
      reported: verdict?.reported ?? false,
      worldStatus: exec.status ?? 'none',
      acceptedReports: accepted.length,
      ms: returnedAt - startedAt,
      budgetMs: spec.budgetMs,
      reason: verdict?.reason ?? String(thrown),
      lagMs,
    };
    const where = `cell "${spec.name}": ${JSON.stringify(outcome)}`;
    recorder?.add(outcome);
    try {
      assertPromises(spec, { verdict, thrown, returnedAt, context, exec, accepted, env, where, lagMs });
    } catch (error) {
      outcome.violation = printable(error).split('\n')[0]!.replace(/^AssertionError: cell "[^"]*": \{.*\}: /, '');
      throw error;
    }
    return outcome;
  } finally {
    await env.dispose();
  }
}

interface Observed {
  verdict: HookVerdict | undefined;
  thrown: string | undefined;
  returnedAt: number;
  context: { end: number };
  exec: { status?: string };
  accepted: ReturnType<typeof acceptedReports>;
  env: CellEnv;
  where: string;
  /** Worst event-loop delay during the cell: how late any timer could have fired. */
  lagMs: number;
}

/** Promises 1–4 (see the top of this file) for one cell. */
function assertPromises(spec: CellSpec, { verdict, thrown, returnedAt, context, exec, accepted, env, where, lagMs }: Observed): void {
  // The handler never throws on a valid event, and returns before Lambda would kill it.
  expect(thrown, where).toBeUndefined();
  expect(returnedAt, where).toBeLessThan(context.end + lagMs);

  // 1. At most one accepted report; the world's execution was set once, by it (or by the other party).
  expect(accepted.length, where).toBeLessThanOrEqual(1);
  if (spec.reportedElsewhere) expect(accepted.length, where).toBe(0);
  // Every report call, not only the accepted one: each says the verdict's status, none follows the accepted one.
  const calls = reportCalls(env.world);
  expect(env.sentReports.map((r) => r.status), where).toEqual(env.sentReports.map(() => verdict?.status));
  expect(env.sentReports.length, where).toBe(calls.length);
  if (accepted.length === 1) expect(calls.at(-1), `${where}: a report call arrived after the accepted one`).toBe(accepted[0]);

  // 2. Succeeded only when truly healthy and every enforced check passed.
  if (exec.status === 'Succeeded' && !spec.reportedElsewhere) {
    expect(spec.truth, where).toBe('healthy');
    expect(verdict!.status, where).toBe('Succeeded');
    expect(verdict!.checks.filter((c) => c.enforced).every((c) => c.state === 'passed'), where).toBe(true);
  }
  if (verdict?.status === 'Succeeded') {
    expect(spec.truth, where).toBe('healthy');
    expect(verdict.checks.filter((c) => c.enforced).every((c) => c.state === 'passed'), where).toBe(true);
  }

  // 3. Reachable report API: exactly one accepted report, before the deadline, matching the verdict.
  if (spec.expect === 'unreported') {
    expect(accepted.length, where).toBe(0);
    expect(verdict!.reported, where).toBe(false);
  } else {
    expect(verdict!.status, where).toBe(spec.expect);
    expect(verdict!.reported, where).toBe(true);
    if (!spec.reportedElsewhere) {
      expect(accepted.length, where).toBe(1);
      expect(accepted[0]!.time, where).toBeLessThan(context.end + lagMs);
      expect(exec.status, where).toBe(verdict!.status);
    }
  }

  // 4. The verdict line names the cause.
  const line = verdictLine(env.lines);
  expect(line.status, where).toBe(verdict!.status);
  expect(String(line.reason), where).toMatch(spec.cause);
}

function printable(value: unknown): string {
  try {
    return value instanceof Error ? `${value.name}: ${value.message}` : String(value);
  } catch {
    return '<a thrown value that cannot be printed>';
  }
}

/** Collects rows and prints the matrix (cell -> outcome) when the file is done. */
export class Matrix {
  private readonly rows: CellOutcome[] = [];
  constructor(private readonly title: string) {}

  add(row: CellOutcome): void {
    if (!this.rows.includes(row)) this.rows.push(row);
  }

  print(): void {
    const sorted = [...this.rows].sort((a, b) => a.platform.localeCompare(b.platform) || a.cell.localeCompare(b.cell));
    const width = Math.max(20, ...sorted.map((r) => r.cell.length + r.platform.length + 3));
    const lines = sorted.map((r) => {
      const label = `${r.platform} · ${r.cell}`.padEnd(width);
      const outcome = `${r.status}${r.reported ? ', reported' : ', NOT reported'} (world: ${r.worldStatus}, accepted reports: ${r.acceptedReports})`;
      const time = `${r.ms} ms of ${r.budgetMs} ms${r.lagMs !== undefined && r.lagMs >= 50 ? ` (loop lag ${r.lagMs} ms)` : ''}`;
      const note = r.violation ? `PROMISE BROKEN: ${r.violation.slice(0, 120)} — ` : '';
      return `${label} -> ${outcome.padEnd(66)} ${time.padEnd(22)} ${note}${r.reason.slice(0, 110)}`;
    });
    console.log(`\n${this.title} (${sorted.length} cells)\n${lines.join('\n')}\n`);
  }
}
