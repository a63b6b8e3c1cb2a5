/**
 * The function CodeDeploy invokes for AfterAllowTraffic: starts the durable
 * bake hook on its alias (CODEDEPLOY_HOOKS_DURABLE_FUNCTION) with an execution
 * name derived from the lifecycle event, and returns. A duplicate invocation
 * starts nothing new; a start refused for good reports Failed.
 */
import { startDurableHook } from '../../src/durable/index.js';

export const handler = startDurableHook();
