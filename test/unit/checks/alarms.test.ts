import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import { alarms, parseTransition } from '../../../src/checks/alarms.js';
import { OptionsError } from '../../../src/errors.js';
import { awsError, checkContext, deploymentGroup, lambdaHook } from './cw-helpers.js';

const cw = mockClient(CloudWatchClient);

function alarm(name: string, state = 'OK', reason = `Threshold not crossed for ${name}`): MetricAlarm {
  return { AlarmName: name, StateValue: state as MetricAlarm['StateValue'], StateReason: reason };
}

/** Answers DescribeAlarms by name from a table, like CloudWatch (unknown names are silently absent). */
function serveAlarms(table: MetricAlarm[], composite: MetricAlarm[] = []) {
  cw.on(DescribeAlarmsCommand).callsFake((input: DescribeAlarmsCommandInput) => {
    const pick = (list: MetricAlarm[]) =>
      list.filter((a) =>
        input.AlarmNames ? input.AlarmNames.includes(a.AlarmName as string) : a.AlarmName?.startsWith(input.AlarmNamePrefix ?? ''),
      );
    return { MetricAlarms: pick(table), CompositeAlarms: pick(composite) };
  });
}

function groupCtx(names: string[], overrides: { enabled?: boolean; ignorePollAlarmFailure?: boolean } = {}) {
  return checkContext({
    hook: lambdaHook({}, deploymentGroup({ alarms: { enabled: true, ignorePollAlarmFailure: false, names, ...overrides } })),
  });
}

beforeEach(() => cw.reset());

describe('alarms options', () => {
  it('requires at least one source', () => {
    expect(() => alarms({})).toThrow(OptionsError);
    expect(() => alarms({})).toThrow(/fromDeploymentGroup/);
  });
  it('names the invalid field', () => {
    const bad = (o: object, field: string) => {
      try {
        alarms(o as never);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(OptionsError);
        expect((e as OptionsError).field).toBe(field);
      }
    };
    bad({ names: ['a'], insufficientData: 'maybe' }, 'alarms.insufficientData');
    bad({ names: [''] }, 'alarms.names');
    bad({ prefix: '' }, 'alarms.prefix');
    bad({ names: ['a'], timeoutMs: -1 }, 'alarms.timeoutMs');
    bad({ names: ['a'], since: 'yesterday' }, 'alarms.since');
  });
  it('copies the common options onto the check', () => {
    const c = alarms({ names: ['a'], name: 'gate', timeoutMs: 5000, retry: { attempts: 2 }, enforce: false });
    expect(c).toMatchObject({ name: 'gate', timeoutMs: 5000, retry: { attempts: 2 }, enforce: false });
    expect(alarms({ names: ['a'] }).name).toBe('alarms');
  });
});

describe('alarms state', () => {
  it('passes when the group alarms are OK, asking for metric and composite alarms with the signal', async () => {
    serveAlarms([alarm('errors'), alarm('latency')]);
    const ctx = groupCtx(['errors', 'latency']);
    const out = await alarms({ fromDeploymentGroup: true }).run(ctx);
    expect(out.state).toBe('passed');
    expect(out.reason).toMatch(/2 alarms not in ALARM/);
    expect(cw).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 1);
    const call = cw.commandCalls(DescribeAlarmsCommand)[0]!;
    expect(call.args[0].input).toMatchObject({ AlarmNames: ['errors', 'latency'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] });
    expect(((call.args as unknown[])[1] as { abortSignal?: AbortSignal }).abortSignal).toBe(ctx.signal);
  });

  it('fails on ALARM, naming the alarm and its state reason', async () => {
    serveAlarms([alarm('errors', 'ALARM', 'Threshold Crossed: 1 datapoint [5.0] was greater than 1.0'), alarm('latency')]);
    const out = await alarms({ names: ['errors', 'latency'] }).run(checkContext());
    expect(out.state).toBe('failed');
    expect(out.reason).toContain('errors (Threshold Crossed: 1 datapoint [5.0] was greater than 1.0)');
    expect(out.reason).toMatch(/1 of 2 alarms in ALARM/);
  });

  it('fails on a composite alarm in ALARM', async () => {
    serveAlarms([alarm('errors')], [alarm('service-health', 'ALARM', 'errors AND latency')]);
    const out = await alarms({ names: ['errors', 'service-health'] }).run(checkContext());
    expect(out.state).toBe('failed');
    expect(out.reason).toContain('service-health');
    expect(out.details?.alarms).toContainEqual(expect.objectContaining({ name: 'service-health', type: 'CompositeAlarm' }));
  });

  it('reports a named alarm that does not exist as an error, never a pass', async () => {
    serveAlarms([alarm('errors')]);
    const out = await alarms({ names: ['errors', 'typo-alarm'] }).run(checkContext());
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/alarm typo-alarm does not exist/);
    expect(out.details?.missing).toEqual(['typo-alarm']);
  });

  it('treats INSUFFICIENT_DATA as passing by default, with the state in details', async () => {
    serveAlarms([alarm('errors', 'INSUFFICIENT_DATA', 'no datapoints')]);
    const out = await alarms({ names: ['errors'] }).run(checkContext());
    expect(out.state).toBe('passed');
    expect(out.reason).toMatch(/1 in INSUFFICIENT_DATA/);
    expect(out.details?.insufficientData).toEqual(['errors']);
  });

  it.each([
    ['fail', 'failed'],
    ['inconclusive', 'inconclusive'],
  ] as const)('insufficientData: %s -> %s', async (policy, state) => {
    serveAlarms([alarm('errors', 'INSUFFICIENT_DATA'), alarm('latency')]);
    const out = await alarms({ names: ['errors', 'latency'], insufficientData: policy }).run(checkContext());
    expect(out.state).toBe(state);
    expect(out.reason).toMatch(/INSUFFICIENT_DATA \(errors\)/);
  });

  it('costs ceil(N/100) DescribeAlarms calls per poll: 250 names -> 3 calls of at most 100', async () => {
    const names = Array.from({ length: 250 }, (_, i) => `alarm-${i}`);
    serveAlarms(names.map((n) => alarm(n)));
    const out = await alarms({ names }).run(checkContext());
    expect(out.state).toBe('passed');
    expect(cw).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 3);
    const sizes = cw.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input.AlarmNames?.length);
    expect(sizes).toEqual([100, 100, 50]);
    expect(out.details?.calls).toBe(3);
  });

  it('costs exactly one call for 100 names', async () => {
    const names = Array.from({ length: 100 }, (_, i) => `a${i}`);
    serveAlarms(names.map((n) => alarm(n)));
    await alarms({ names }).run(checkContext());
    expect(cw).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 1);
  });

  it('follows NextToken pagination', async () => {
    cw.on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [alarm('a')], NextToken: 't1' })
      .resolvesOnce({ CompositeAlarms: [alarm('b', 'ALARM', 'child in alarm')] });
    const out = await alarms({ names: ['a', 'b'] }).run(checkContext());
    expect(out.state).toBe('failed');
    expect(out.reason).toContain('b (child in alarm)');
    const calls = cw.commandCalls(DescribeAlarmsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.NextToken).toBe('t1');
  });

  it('lists alarms by prefix and errors when the prefix matches nothing', async () => {
    serveAlarms([alarm('svc-errors'), alarm('svc-latency', 'ALARM', 'slow'), alarm('other')]);
    const out = await alarms({ prefix: 'svc-' }).run(checkContext());
    expect(out.state).toBe('failed');
    expect(out.reason).toContain('svc-latency (slow)');
    expect(cw.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input).toMatchObject({ AlarmNamePrefix: 'svc-' });
    expect(cw.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input.AlarmNames).toBeUndefined();

    const none = await alarms({ prefix: 'nope-' }).run(checkContext());
    expect(none.state).toBe('error');
    expect(none.reason).toMatch(/prefix "nope-"/);
  });

  it('combines the group alarms with names', async () => {
    serveAlarms([alarm('g1'), alarm('extra', 'ALARM', 'bad')]);
    const out = await alarms({ fromDeploymentGroup: true, names: ['extra'] }).run(groupCtx(['g1']));
    expect(out.state).toBe('failed');
    expect(cw.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input.AlarmNames).toEqual(['extra', 'g1']);
  });
});

describe('alarms configuration edge cases', () => {
  it('passes with an explicit reason when no alarms are configured', async () => {
    const out = await alarms({ fromDeploymentGroup: true }).run(groupCtx([]));
    expect(out.state).toBe('passed');
    expect(out.reason).toMatch(/no alarms configured/);
    expect(cw).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 0);
  });

  it('passes saying alarms are disabled on the group when that is the only source', async () => {
    const out = await alarms({ fromDeploymentGroup: true }).run(groupCtx(['errors'], { enabled: false }));
    expect(out.state).toBe('passed');
    expect(out.reason).toMatch(/alarms are disabled on deployment group my-group/);
    expect(cw).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 0);
  });

  it('still checks explicit names when the group has alarms disabled', async () => {
    serveAlarms([alarm('mine', 'ALARM', 'bad')]);
    const out = await alarms({ fromDeploymentGroup: true, names: ['mine'] }).run(groupCtx(['errors'], { enabled: false }));
    expect(out.state).toBe('failed');
    expect(cw.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input.AlarmNames).toEqual(['mine']);
  });

  it('errors when the deployment group cannot be read', async () => {
    const ctx = checkContext({
      hook: lambdaHook({}, () => Promise.reject(awsError('DeploymentGroupDoesNotExistException', 'no such group'))),
    });
    const out = await alarms({ fromDeploymentGroup: true }).run(ctx);
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/deployment group.*DeploymentGroupDoesNotExistException: no such group/);
  });
});

describe('alarms poll failures', () => {
  it('a failed DescribeAlarms call is an error', async () => {
    cw.on(DescribeAlarmsCommand).rejects(awsError('AccessDenied', 'not authorized to perform cloudwatch:DescribeAlarms'));
    const out = await alarms({ names: ['errors'] }).run(checkContext());
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/DescribeAlarms failed: AccessDenied: not authorized/);
  });

  it("passes with a note when the group's ignorePollAlarmFailure is set", async () => {
    cw.on(DescribeAlarmsCommand).rejects(awsError('InternalFailure', 'boom'));
    const out = await alarms({ fromDeploymentGroup: true }).run(groupCtx(['errors'], { ignorePollAlarmFailure: true }));
    expect(out.state).toBe('passed');
    expect(out.reason).toMatch(/ignorePollAlarmFailure/);
    expect(out.details?.ignoredPollFailure).toMatch(/InternalFailure/);
  });

  it('the ignorePollFailure option overrides the group either way', async () => {
    cw.on(DescribeAlarmsCommand).rejects(awsError('InternalFailure', 'boom'));
    expect((await alarms({ names: ['a'], ignorePollFailure: true }).run(checkContext())).state).toBe('passed');
    const strict = await alarms({ fromDeploymentGroup: true, ignorePollFailure: false }).run(groupCtx(['a'], { ignorePollAlarmFailure: true }));
    expect(strict.state).toBe('error');
  });

  it('retries throttling and then succeeds', async () => {
    cw.on(DescribeAlarmsCommand)
      .rejectsOnce(awsError('Throttling', 'Rate exceeded'))
      .resolves({ MetricAlarms: [alarm('errors')] });
    const out = await alarms({ names: ['errors'] }).run(checkContext());
    expect(out.state).toBe('passed');
    expect(cw).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 2);
  });

  it('gives up on persistent throttling with an error naming it', async () => {
    cw.on(DescribeAlarmsCommand).rejects(awsError('Throttling', 'Rate exceeded'));
    const out = await alarms({ names: ['errors'] }).run(checkContext());
    expect(out.state).toBe('error');
    expect(out.reason).toMatch(/Throttling: Rate exceeded/);
    expect(cw).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 3);
  });
});

describe('alarms history', () => {
  const flapData = JSON.stringify({
    version: '1.0',
    oldState: { stateValue: 'OK' },
    newState: { stateValue: 'ALARM', stateReason: 'Threshold Crossed: 3 errors' },
  });

  it('fails on a flap into ALARM during the hook window that has since recovered', async () => {
    serveAlarms([alarm('errors'), alarm('latency')]);
    cw.on(DescribeAlarmHistoryCommand, { AlarmName: 'errors' })
      .resolvesOnce({
        AlarmHistoryItems: [{ AlarmName: 'errors', HistorySummary: 'Alarm updated from ALARM to OK', HistoryData: '{"newState":{"stateValue":"OK"}}' }],
        NextToken: 'h1',
      })
      .resolvesOnce({
        AlarmHistoryItems: [
          { AlarmName: 'errors', Timestamp: new Date('2026-01-01T00:01:00Z'), HistorySummary: 'Alarm updated from OK to ALARM', HistoryData: flapData },
        ],
      });
    cw.on(DescribeAlarmHistoryCommand, { AlarmName: 'latency' }).resolves({ AlarmHistoryItems: [] });
    const ctx = checkContext({ hookStartedAt: Date.parse('2026-01-01T00:00:00Z') });
    const out = await alarms({ names: ['errors', 'latency'], history: true }).run(ctx);
    expect(out.state).toBe('failed');
    expect(out.reason).toMatch(/errors at 2026-01-01T00:01:00.000Z \(Threshold Crossed: 3 errors\)/);
    const calls = cw.commandCalls(DescribeAlarmHistoryCommand);
    expect(calls).toHaveLength(3);
    expect(calls[0]!.args[0].input).toMatchObject({ HistoryItemType: 'StateUpdate', StartDate: new Date('2026-01-01T00:00:00Z') });
    expect(calls[1]!.args[0].input.NextToken).toBe('h1');
  });

  it('uses `since` as the start of the window and passes without transitions into ALARM', async () => {
    serveAlarms([alarm('errors')]);
    cw.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    const since = new Date('2026-02-02T10:00:00Z');
    const out = await alarms({ names: ['errors'], history: true, since }).run(checkContext());
    expect(out.state).toBe('passed');
    expect(out.reason).toMatch(/none entered ALARM during the hook window/);
    expect(cw.commandCalls(DescribeAlarmHistoryCommand)[0]!.args[0].input.StartDate).toEqual(since);
  });

  it('a failed history call follows the poll-failure policy', async () => {
    serveAlarms([alarm('errors')]);
    cw.on(DescribeAlarmHistoryCommand).rejects(awsError('InvalidNextToken', 'bad token'));
    expect((await alarms({ names: ['errors'], history: true }).run(checkContext())).state).toBe('error');
    const lenient = await alarms({ names: ['errors'], history: true, ignorePollFailure: true }).run(checkContext());
    expect(lenient.state).toBe('passed');
    expect(lenient.reason).toMatch(/DescribeAlarmHistory failed/);
  });

  it('parses transitions from HistoryData, falling back to the summary', () => {
    expect(parseTransition(undefined, 'Alarm updated from OK to ALARM')).toEqual({ newState: 'ALARM' });
    expect(parseTransition('not json', 'Alarm updated from ALARM to OK')).toEqual({ newState: 'OK' });
    expect(parseTransition('{"newState":{"stateValue":"ALARM","stateReason":"x"}}')).toEqual({ newState: 'ALARM', reason: 'x' });
    expect(parseTransition(undefined, 'Alarm created')).toEqual({});
  });
});
