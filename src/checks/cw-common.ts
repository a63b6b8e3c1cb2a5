/**
 * Pieces shared by the CloudWatch-backed checks (alarms, metric, compareVersions,
 * bake): the common check options, their eager validation, and an SDK call that
 * retries throttling a couple of times before giving up.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { commonCheckFields, type CommonCheckOptions } from './common.js';
import { sleep } from '../util/abort.js';
import type { Check, CheckContext } from '../types.js';
import { DEFAULT_CHECK_CLIENT_CONFIG } from '../clients.js';
import { isThrottlingError } from '../aws-call.js';


/** The common fields with the check's default name filled in. */
export function commonFields(options: CommonCheckOptions, defaultName: string, field: string): Omit<Check, 'run'> {
  return { name: defaultName, ...commonCheckFields(options, field) };
}



export function cloudWatch(ctx: CheckContext): CloudWatchClient {
  return ctx.clients.get('cloudWatch', () => new CloudWatchClient({ ...DEFAULT_CHECK_CLIENT_CONFIG }));
}

/** Delays before the retries of a throttled call; the SDK has retried already, so keep it short. */
export const THROTTLE_RETRY_DELAYS_MS = [200, 600];

/**
 * Sends a command with the check's signal. Throttling is retried after short
 * delays (per-region TPS limits are low, and several hooks may poll at once);
 * any other error is rethrown for the caller to turn into an outcome.
 */
export async function sendWithThrottleRetry<T>(
  send: () => Promise<T>,
  signal: AbortSignal,
  delays: readonly number[] = THROTTLE_RETRY_DELAYS_MS,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const delay = delays[attempt];
      if (delay === undefined || !isThrottlingError(error) || signal.aborted) throw error;
      await sleep(delay, signal);
    }
  }
}


