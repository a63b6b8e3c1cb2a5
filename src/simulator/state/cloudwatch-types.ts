/**
 * CloudWatch record shapes of the emulated world (DescribeAlarms' output
 * shapes) and the inputs that build them.
 */
import type { MetricDataQuery } from './get-metric-data.js';
import type { Dimension } from './metric-store.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type ComparisonOperator =
  | 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold'
  | 'LessThanLowerOrGreaterThanUpperThreshold' | 'LessThanLowerThreshold' | 'GreaterThanUpperThreshold';
export type TreatMissingData = 'missing' | 'notBreaching' | 'breaching' | 'ignore';

export interface PutMetricAlarmInput {
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled?: boolean;
  OKActions?: string[];
  AlarmActions?: string[];
  InsufficientDataActions?: string[];
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: Dimension[];
  Period?: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator: ComparisonOperator;
  TreatMissingData?: TreatMissingData;
  Metrics?: MetricDataQuery[];
}

export interface MetricAlarm extends Omit<PutMetricAlarmInput, 'TreatMissingData'> {
  AlarmArn: string;
  AlarmConfigurationUpdatedTimestamp: Date;
  StateValue: AlarmState;
  StateReason: string;
  StateReasonData?: string;
  StateUpdatedTimestamp: Date;
  StateTransitionedTimestamp: Date;
  TreatMissingData: TreatMissingData;
  ActionsEnabled: boolean;
  OKActions: string[];
  AlarmActions: string[];
  InsufficientDataActions: string[];
}

export interface PutCompositeAlarmInput {
  AlarmName: string;
  AlarmRule: string;
  AlarmDescription?: string;
  ActionsEnabled?: boolean;
}

export interface CompositeAlarm extends PutCompositeAlarmInput {
  AlarmArn: string;
  AlarmConfigurationUpdatedTimestamp: Date;
  StateValue: AlarmState;
  StateReason: string;
  StateReasonData?: string;
  StateUpdatedTimestamp: Date;
  StateTransitionedTimestamp: Date;
  ActionsEnabled: boolean;
}

export interface AlarmHistoryItem {
  AlarmName: string;
  AlarmType: 'MetricAlarm' | 'CompositeAlarm';
  Timestamp: Date;
  HistoryItemType: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  HistorySummary: string;
  HistoryData: string;
}

export interface AlarmStateChange {
  alarmName: string;
  alarmType: 'MetricAlarm' | 'CompositeAlarm';
  from: AlarmState;
  to: AlarmState;
  reason: string;
  at: Date;
}

export interface DescribeAlarmsInput {
  AlarmNames?: string[];
  AlarmNamePrefix?: string;
  AlarmTypes?: ('MetricAlarm' | 'CompositeAlarm' | 'LogAlarm')[];
  StateValue?: AlarmState;
  ActionPrefix?: string;
  MaxRecords?: number;
  NextToken?: string;
}

export interface DescribeAlarmHistoryInput {
  AlarmName?: string;
  AlarmTypes?: ('MetricAlarm' | 'CompositeAlarm')[];
  HistoryItemType?: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  StartDate?: Date | number;
  EndDate?: Date | number;
  MaxRecords?: number;
  NextToken?: string;
  ScanBy?: 'TimestampDescending' | 'TimestampAscending';
}
