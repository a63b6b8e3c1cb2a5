import type { FilterLogEventsInput } from '../../state/logs.js';
import type { OperationTable } from './types.js';

/** CloudWatch Logs operations (awsJson1_1, target prefix Logs_20140328). */
export const logsOperations: OperationTable = {
  FilterLogEvents: (input, world) => world.logs.filterLogEvents(input as FilterLogEventsInput),
};
