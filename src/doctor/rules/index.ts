/** Every doctor rule, in id order. */
import type { Rule } from '../finding.js';
import { alarmDimensions } from './alarm-dimensions.js';
import { deprecatedRuntime, hookTimeout } from './function-settings.js';
import { hookCannotReport, hookNotInvocable, invokeNotQualified } from './hook-iam.js';
import { hookPermissions } from './hook-permissions.js';
import { hookMissing, hookTrafficShifted, preferenceWithoutAlias } from './hook-wiring.js';
import { misspelledKeys } from './misspelled-keys.js';
import { DURABLE_RULES } from './durable.js';

export const RULES: readonly Rule[] = [
  hookNotInvocable,
  hookCannotReport,
  invokeNotQualified,
  hookTrafficShifted,
  hookMissing,
  misspelledKeys,
  preferenceWithoutAlias,
  alarmDimensions,
  hookTimeout,
  deprecatedRuntime,
  hookPermissions,
  ...DURABLE_RULES,
];
