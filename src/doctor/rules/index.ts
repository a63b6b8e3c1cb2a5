/** Every doctor rule, in id order. */
import type { Rule } from '../finding.js';
import { alarmDimensions } from './alarm-dimensions.js';
import { alarmReferences } from './alarm-references.js';
import { appspecHooks, appspecPlaceholders, appspecResources } from './appspec.js';
import { deploymentConfigName } from './deployment-config.js';
import { nativeAlarms, nativeHookInvoke, nativeHookRoleTrust, nativeHookStages } from './ecs-native-hooks.js';
import { ecsTestRoute } from './ecs-test-route.js';
import { explicitDeny } from './explicit-deny.js';
import { deprecatedRuntime, hookTimeout } from './function-settings.js';
import { hookCannotReport, hookNotInvocable, invokeNotQualified } from './hook-iam.js';
import { hookPermissions } from './hook-permissions.js';
import { invokeAnyFunction } from './invoke-scope.js';
import { hookMissing, hookTrafficShifted, preferenceWithoutAlias } from './hook-wiring.js';
import { misspelledKeys } from './misspelled-keys.js';
import { reportScope } from './report-scope.js';
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
  alarmReferences,
  reportScope,
  explicitDeny,
  deploymentConfigName,
  invokeAnyFunction,
  ecsTestRoute,
  appspecResources, appspecHooks, appspecPlaceholders,
  nativeHookRoleTrust, nativeHookStages, nativeHookInvoke, nativeAlarms,
  ...DURABLE_RULES,
];
