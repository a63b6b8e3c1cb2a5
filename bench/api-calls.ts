/**
 * AWS API calls per hook invocation as the work grows: the deployment
 * group's alarms (1 -> 250, with and without history) and metric queries
 * (1 -> 1000). Counted with in-memory stub clients (bench/stub-clients.ts),
 * so the figures are the framework's own call pattern, not network noise.
 * CloudWatch's limits drive the expected numbers: DescribeAlarms takes at
 * most 100 names per call, GetMetricData at most 500 queries per call, and
 * DescribeAlarmHistory filters by one alarm name.
 */
import { alarms, metric } from '../src/checks/index.js';
import { defineHook } from '../src/index.js';
import type { Check } from '../src/types.js';
import { codeDeployStub, EVENT, lambdaContext, stubClient } from './stub-clients.js';

export interface ApiCallRow {
  /** What grows, e.g. "alarms (fromDeploymentGroup)". */
  series: string;
  size: number;
  /** Calls per operation in one invocation. */
  calls: Record<string, number>;
  cloudWatchCalls: number;
  codeDeployCalls: number;
  totalCalls: number;
  /** The minimum the service limits allow for this size (CloudWatch calls). */
  floor: number;
  status: string;
}

/** CloudWatch answering every alarm it is asked about as OK, and every query with one datapoint. */
function cloudWatchStub() {
  return stubClient({
    DescribeAlarms: (input: { AlarmNames?: string[] }) => ({
      MetricAlarms: (input.AlarmNames ?? []).map((AlarmName) => ({ AlarmName, StateValue: 'OK', StateReason: 'bench' })),
      CompositeAlarms: [],
    }),
    DescribeAlarmHistory: () => ({ AlarmHistoryItems: [] }),
    GetMetricData: (input: { MetricDataQueries?: { Id?: string; ReturnData?: boolean }[] }) => ({
      MetricDataResults: (input.MetricDataQueries ?? [])
        .filter((q) => q.ReturnData !== false)
        .map((q) => ({ Id: q.Id, Label: q.Id, Timestamps: [new Date()], Values: [0], StatusCode: 'Complete' })),
    }),
  });
}

async function invokeOnce(series: string, size: number, check: Check, alarmNames: string[], floor: number): Promise<ApiCallRow> {
  const codeDeploy = codeDeployStub(alarmNames);
  const cloudWatch = cloudWatchStub();
  const handler = defineHook({
    checks: [check],
    clients: { codeDeploy: codeDeploy as never, cloudWatch: cloudWatch as never },
    log: () => {},
  });
  const verdict = await handler(EVENT, lambdaContext());
  const calls = { ...codeDeploy.calls, ...cloudWatch.calls };
  const sum = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  return {
    series,
    size,
    calls,
    cloudWatchCalls: sum(cloudWatch.calls),
    codeDeployCalls: sum(codeDeploy.calls),
    totalCalls: sum(calls),
    floor,
    status: verdict.status,
  };
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `alarm-${String(i).padStart(3, '0')}`);

/** Runs every series; each row is one real invocation of a hook with stub clients. */
export async function benchApiCalls(): Promise<ApiCallRow[]> {
  const rows: ApiCallRow[] = [];
  for (const n of [1, 10, 100, 101, 250]) {
    rows.push(await invokeOnce('alarms (fromDeploymentGroup)', n, alarms({ fromDeploymentGroup: true }), names(n), Math.ceil(n / 100)));
  }
  for (const n of [1, 10, 100, 101, 250]) {
    rows.push(await invokeOnce('alarms + history', n, alarms({ fromDeploymentGroup: true, history: true }), names(n), Math.ceil(n / 100) + n));
  }
  for (const n of [1, 500, 501, 1000]) {
    const queries = Array.from({ length: n }, (_, i) => ({
      Id: `m${i}`,
      MetricStat: {
        Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: `fn-${i}` }] },
        Period: 60,
        Stat: 'Sum',
      },
    }));
    rows.push(await invokeOnce('metric queries', n, metric({ queries, failWhen: { stat: 'max', op: '>', threshold: 1 } }), [], Math.ceil(n / 500)));
  }
  return rows;
}

/** Table rows for bench/table.ts. */
export function apiCallTable(rows: ApiCallRow[]): string[][] {
  return rows.map((r) => [
    r.series,
    String(r.size),
    String(r.cloudWatchCalls),
    String(r.floor),
    r.cloudWatchCalls === r.floor ? 'at floor' : `${r.cloudWatchCalls - r.floor} above`,
    String(r.codeDeployCalls),
    String(r.totalCalls),
    r.status,
  ]);
}
