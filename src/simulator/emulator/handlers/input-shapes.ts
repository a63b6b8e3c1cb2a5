import { AwsServiceError } from '../../state/aws-error.js';

/**
 * Top-level member types of each served operation's input, checked before the
 * handler runs so a wrongly typed body is a 400 SerializationException (as the
 * real JSON services answer), never an internal error. Nested structures are
 * checked one level deep where handlers index into them.
 */
type Kind = 'string' | 'number' | 'boolean' | 'date' | 'string[]' | 'object[]' | 'object';

export const INPUT_SHAPES: Record<string, Record<string, Kind>> = {
  GetApplication: { applicationName: 'string' },
  ListDeploymentGroups: { applicationName: 'string', nextToken: 'string' },
  GetDeploymentGroup: { applicationName: 'string', deploymentGroupName: 'string' },
  GetApplicationRevision: { applicationName: 'string', revision: 'object' },
  GetDeploymentConfig: { deploymentConfigName: 'string' },
  ListDeployments: { applicationName: 'string', deploymentGroupName: 'string', includeOnlyStatuses: 'string[]', nextToken: 'string' },
  GetDeployment: { deploymentId: 'string' },
  ListDeploymentTargets: { deploymentId: 'string', nextToken: 'string', targetFilters: 'object' },
  GetDeploymentTarget: { deploymentId: 'string', targetId: 'string' },
  BatchGetDeploymentTargets: { deploymentId: 'string', targetIds: 'string[]' },
  PutLifecycleEventHookExecutionStatus: { deploymentId: 'string', lifecycleEventHookExecutionId: 'string', status: 'string' },
  StopDeployment: { deploymentId: 'string', autoRollbackEnabled: 'boolean' },
  DescribeAlarms: { AlarmNames: 'string[]', AlarmNamePrefix: 'string', AlarmTypes: 'string[]', StateValue: 'string', ActionPrefix: 'string', MaxRecords: 'number', NextToken: 'string' },
  DescribeAlarmHistory: { AlarmName: 'string', AlarmTypes: 'string[]', HistoryItemType: 'string', StartDate: 'date', EndDate: 'date', MaxRecords: 'number', NextToken: 'string', ScanBy: 'string' },
  PutMetricAlarm: {
    AlarmName: 'string', AlarmDescription: 'string', ActionsEnabled: 'boolean', OKActions: 'string[]', AlarmActions: 'string[]',
    InsufficientDataActions: 'string[]', MetricName: 'string', Namespace: 'string', Statistic: 'string', ExtendedStatistic: 'string',
    Dimensions: 'object[]', Period: 'number', Unit: 'string', EvaluationPeriods: 'number', DatapointsToAlarm: 'number',
    Threshold: 'number', ComparisonOperator: 'string', TreatMissingData: 'string', Metrics: 'object[]',
  },
  PutCompositeAlarm: { AlarmName: 'string', AlarmRule: 'string', AlarmDescription: 'string', ActionsEnabled: 'boolean' },
  DeleteAlarms: { AlarmNames: 'string[]' },
  SetAlarmState: { AlarmName: 'string', StateValue: 'string', StateReason: 'string', StateReasonData: 'string' },
  PutMetricData: { Namespace: 'string', MetricData: 'object[]' },
  GetMetricData: { MetricDataQueries: 'object[]', StartTime: 'date', EndTime: 'date', NextToken: 'string', ScanBy: 'string', MaxDatapoints: 'number' },
  FilterLogEvents: {
    logGroupName: 'string', logGroupIdentifier: 'string', logStreamNames: 'string[]', logStreamNamePrefix: 'string', startTime: 'number',
    endTime: 'number', filterPattern: 'string', nextToken: 'string', limit: 'number', startFromHead: 'boolean', interleaved: 'boolean', unmask: 'boolean',
  },
  CreateLogGroup: { logGroupName: 'string' },
  CreateLogStream: { logGroupName: 'string', logStreamName: 'string' },
  PutLogEvents: { logGroupName: 'string', logStreamName: 'string', logEvents: 'object[]', sequenceToken: 'string' },
  DescribeLoadBalancers: { LoadBalancerArns: 'string[]', Names: 'string[]', Marker: 'string', PageSize: 'number' },
  DescribeListeners: { LoadBalancerArn: 'string', ListenerArns: 'string[]', Marker: 'string', PageSize: 'number' },
  DescribeTargetGroups: { LoadBalancerArn: 'string', TargetGroupArns: 'string[]', Names: 'string[]', Marker: 'string', PageSize: 'number' },
  DescribeServices: { cluster: 'string', services: 'string[]', include: 'string[]' },
  DescribeServiceDeployments: { serviceDeploymentArns: 'string[]' },
  DescribeServiceRevisions: { serviceRevisionArns: 'string[]' },
  ListServiceDeployments: { service: 'string', cluster: 'string', status: 'string[]', maxResults: 'number', nextToken: 'string' },
  DescribeTargetHealth: { TargetGroupArn: 'string', Targets: 'object[]', Include: 'string[]' },
  ContinueDeployment: { deploymentId: 'string', deploymentWaitType: 'string' },
};

/** Nested members handlers rely on: list items of these members must be objects with these kinds. */
const NESTED: Record<string, Record<string, Kind>> = {
  Dimensions: { Name: 'string', Value: 'string' },
  MetricData: { MetricName: 'string', Dimensions: 'object[]', Timestamp: 'date', Value: 'number', Values: 'object[]', Counts: 'object[]', StatisticValues: 'object', Unit: 'string' },
  MetricDataQueries: { Id: 'string', MetricStat: 'object', Expression: 'string', Label: 'string', ReturnData: 'boolean', Period: 'number' },
  Metrics: { Id: 'string', MetricStat: 'object', Expression: 'string', Label: 'string', ReturnData: 'boolean', Period: 'number' },
};

function matches(v: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'date': return v instanceof Date;
    case 'string[]': return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'object[]': return Array.isArray(v) && v.every((x) => x !== null && typeof x === 'object');
    case 'object': return v !== null && typeof v === 'object' && !Array.isArray(v);
  }
}

function check(input: Record<string, unknown>, shape: Record<string, Kind>, path: string, code: string): void {
  for (const [member, kind] of Object.entries(shape)) {
    const v = input[member];
    if (v === undefined || v === null) continue;
    // Values/Counts are number lists; checked here rather than with another Kind.
    if ((member === 'Values' || member === 'Counts') && Array.isArray(v) && v.every((x) => typeof x === 'number')) continue;
    if (!matches(v, kind)) {
      throw new AwsServiceError(code, `${path}${member} must be ${kind.replace('[]', ' list').replace('object list', 'list of structures')}, got ${JSON.stringify(v)?.slice(0, 80)}`);
    }
    const nested = NESTED[member];
    if (nested && Array.isArray(v)) v.forEach((item, i) => check(item as Record<string, unknown>, nested, `${path}${member}[${i}].`, code));
  }
}

/** `code`: SerializationException for JSON protocols, ValidationError for query. */
export function checkInputShape(operation: string, input: Record<string, unknown>, code = 'SerializationException'): void {
  const shape = INPUT_SHAPES[operation];
  if (shape) check(input, shape, '', code);
}
