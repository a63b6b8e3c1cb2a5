import { AwsServiceError } from '../../state/aws-error.js';
import type { DescribeAlarmHistoryInput, DescribeAlarmsInput, PutCompositeAlarmInput, PutMetricAlarmInput } from '../../state/cloudwatch.js';
import type { GetMetricDataInput } from '../../state/get-metric-data.js';
import type { MetricDatumInput } from '../../state/metric-store.js';
import type { OperationTable } from './types.js';
import { str } from './types.js';

/**
 * CloudWatch operations. The same table serves awsJson1_0 and awsQuery: both
 * carry the PascalCase members of the service model.
 */
export const cloudWatchOperations: OperationTable = {
  DescribeAlarms: (input, world) => world.cloudWatch.describeAlarms(input as DescribeAlarmsInput),

  DescribeAlarmHistory: (input, world) => world.cloudWatch.describeAlarmHistory(input as DescribeAlarmHistoryInput),

  PutMetricAlarm: (input, world) => {
    world.cloudWatch.putMetricAlarm(input as unknown as PutMetricAlarmInput);
    return {};
  },

  PutCompositeAlarm: (input, world) => {
    world.cloudWatch.putCompositeAlarm(input as unknown as PutCompositeAlarmInput);
    return {};
  },

  DeleteAlarms: (input, world) => {
    world.cloudWatch.deleteAlarms((input.AlarmNames as string[] | undefined) ?? []);
    return {};
  },

  SetAlarmState: (input, world) => {
    const AlarmName = str(input, 'AlarmName');
    const StateValue = str(input, 'StateValue');
    const StateReason = str(input, 'StateReason');
    if (!AlarmName || !StateValue || StateReason === undefined) {
      throw new AwsServiceError('MissingParameter', 'AlarmName, StateValue and StateReason are required.');
    }
    const StateReasonData = str(input, 'StateReasonData');
    world.cloudWatch.setAlarmState({ AlarmName, StateValue, StateReason, ...(StateReasonData !== undefined ? { StateReasonData } : {}) });
    return {};
  },

  PutMetricData: (input, world) => {
    const ns = str(input, 'Namespace');
    if (!ns) throw new AwsServiceError('MissingParameter', 'The parameter Namespace is required.');
    if (ns.startsWith('AWS/')) throw new AwsServiceError('InvalidParameterValue', `The value AWS/ for parameter Namespace is invalid.`);
    const data = input.MetricData;
    if (!Array.isArray(data) || data.length === 0) throw new AwsServiceError('MissingParameter', 'The parameter MetricData is required.');
    if (data.length > 1000) throw new AwsServiceError('InvalidParameterValue', 'The collection MetricData must not have a size greater than 1000.');
    for (const [i, d] of (data as MetricDatumInput[]).entries()) {
      if (!d || typeof d.MetricName !== 'string') throw new AwsServiceError('MissingParameter', `The parameter MetricData.member.${i + 1}.MetricName is required.`);
      if (d.Value !== undefined && !Number.isFinite(d.Value)) throw new AwsServiceError('InvalidParameterValue', `The value for parameter MetricData.member.${i + 1}.Value is not a number.`);
      const sv = d.StatisticValues;
      if (sv && !(['SampleCount', 'Sum', 'Minimum', 'Maximum'] as const).every((k) => Number.isFinite(sv[k]))) {
        throw new AwsServiceError('MissingParameter', `MetricData.member.${i + 1}.StatisticValues needs numeric SampleCount, Sum, Minimum and Maximum.`);
      }
      if (d.Counts && (!d.Values || d.Counts.length !== d.Values.length)) {
        throw new AwsServiceError('InvalidParameterValue', `MetricData.member.${i + 1}: Counts must have as many items as Values.`);
      }
    }
    world.cloudWatch.putMetricData(ns, data as MetricDatumInput[]);
    return {};
  },

  GetMetricData: (input, world) => world.cloudWatch.getMetricData(input as unknown as GetMetricDataInput),
};
