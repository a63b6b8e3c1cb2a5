import { AwsServiceError } from '../../state/aws-error.js';
import type { FilterLogEventsInput } from '../../state/logs.js';
import type { OperationTable } from './types.js';
import { str } from './types.js';

/** CloudWatch Logs operations (awsJson1_1, target prefix Logs_20140328): what explain reads and what tests seed with. */
export const logsOperations: OperationTable = {
  FilterLogEvents: (input, world) => world.logs.filterLogEvents(input as FilterLogEventsInput),

  CreateLogGroup: (input, world) => {
    world.logs.createLogGroup(required(input, 'logGroupName'));
    return {};
  },

  CreateLogStream: (input, world) => {
    world.logs.createLogStream(required(input, 'logGroupName'), required(input, 'logStreamName'));
    return {};
  },

  PutLogEvents: (input, world) => {
    world.logs.putLogEvents(required(input, 'logGroupName'), required(input, 'logStreamName'), (input.logEvents as { timestamp: number; message: string }[] | undefined) ?? []);
    return {};
  },
};

function required(input: Record<string, unknown>, key: string): string {
  const v = str(input, key);
  if (!v) throw new AwsServiceError('InvalidParameterException', `${key} is required.`);
  return v;
}
