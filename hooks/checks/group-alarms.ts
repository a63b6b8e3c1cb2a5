/** The alarms check every ready hook uses, built from its CODEDEPLOY_HOOKS_*ALARM* settings. */
import { alarms } from '../../src/checks/alarms.js';
import type { Check } from '../../src/types.js';
import type { AlarmConfig } from '../config.js';

export function groupAlarms(config: AlarmConfig, name: string, history = false): Check {
  return alarms({
    name,
    fromDeploymentGroup: true,
    ...(config.names.length > 0 ? { names: config.names } : {}),
    insufficientData: config.insufficientData,
    ...(history ? { history: true } : {}),
  });
}
