/** The old-vs-new comparison the post-traffic hooks and the canary analyzer run, built from the CODEDEPLOY_HOOKS_COMPARE_* settings. */
import { compareVersions, type CompareVersionsOptions } from '../../src/checks/compare-versions.js';
import type { Check } from '../../src/types.js';
import type { CompareConfig } from '../config.js';

/** `where`: which series to compare when the context does not say (ECS-native: the target groups and the ALB). */
export function compareOf(config: CompareConfig, name = 'new version vs old version', where: Pick<CompareVersionsOptions, 'targetGroups' | 'loadBalancer'> = {}): Check {
  return compareVersions({
    ...where,
    name,
    // The window grows from the deployment's start: what the sequential tests assume when they are looked at again.
    since: 'deployment',
    lookbackMs: config.lookbackMs,
    confidence: config.confidence,
    minSamples: { requests: config.minRequests, periods: config.minPeriods },
    insufficientSample: config.insufficientSample,
    errorRateTolerance: config.errorRateTolerance,
    latencyTolerance: config.latencyTolerance,
    latencyMinDeltaMs: config.latencyMinDeltaMs,
    ...(config.responseErrors ? { responseErrors: config.responseErrors } : {}),
    enforce: config.mode === 'enforce',
  });
}
