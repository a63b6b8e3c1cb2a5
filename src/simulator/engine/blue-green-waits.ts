/**
 * The two waits of an ECS blue/green deployment that ContinueDeployment can end,
 * read from the deployment's blueGreenDeploymentConfiguration:
 * - the ready wait (deploymentReadyOption STOP_DEPLOYMENT): status Ready until
 *   ContinueDeployment (READY_WAIT), else Stopped after waitTimeInMinutes;
 * - the termination wait (terminationWaitTimeInMinutes): all traffic is on green
 *   and the original task set keeps running, so an alarm or a StopDeployment still
 *   rolls back; ContinueDeployment (TERMINATION_WAIT) ends it early.
 * Both sleep on the deployment's simulated clock and end at once when it is stopped.
 */
import { DeploymentFailure, formatSeconds, type DeploymentRun } from './deployment-run.js';

/** Before production traffic moves. Where AWS places this wait relative to the hooks is not confirmed (research §2.2). */
export async function readyWait(run: DeploymentRun): Promise<void> {
  const option = run.world.codeDeploy.getDeployment(run.deploymentId).blueGreenDeploymentConfiguration?.deploymentReadyOption;
  if (option?.actionOnTimeout !== 'STOP_DEPLOYMENT') return;
  const seconds = option.waitTimeInMinutes * 60;
  const continued = await waitOrContinue(run, 'READY_WAIT', seconds, `status Ready: waiting up to ${formatSeconds(seconds)} for ContinueDeployment before rerouting production traffic`);
  if (!continued) {
    throw new DeploymentFailure('Stopped', 'TIMEOUT', `no ContinueDeployment within the ready wait (${formatSeconds(seconds)}, deploymentReadyOption STOP_DEPLOYMENT)`);
  }
  run.emit({ type: 'info', message: 'ContinueDeployment (READY_WAIT): rerouting production traffic' });
}

/** After AfterAllowTraffic, before the original task set is terminated. */
export async function terminationWait(run: DeploymentRun): Promise<void> {
  const option = run.world.codeDeploy.getDeployment(run.deploymentId).blueGreenDeploymentConfiguration?.terminateBlueInstancesOnDeploymentSuccess;
  const seconds = (option?.terminationWaitTimeInMinutes ?? 0) * 60;
  if (seconds <= 0) return;
  const continued = await waitOrContinue(run, 'TERMINATION_WAIT', seconds, `waiting ${formatSeconds(seconds)} before terminating the original task set (alarms still watched)`);
  run.emit({ type: 'info', message: continued ? 'ContinueDeployment (TERMINATION_WAIT): terminating the original task set now' : 'termination wait over: terminating the original task set' });
}

/** True when ContinueDeployment ended the wait, false when its time ran out; throws the stop cause when the deployment is stopped. */
async function waitOrContinue(run: DeploymentRun, type: 'READY_WAIT' | 'TERMINATION_WAIT', seconds: number, announce: string): Promise<boolean> {
  run.checkStopped();
  const wait = run.world.codeDeploy.openWait(run.deploymentId, type);
  run.emit({ type: 'info', message: announce });
  const timer = new AbortController();
  const stop = () => timer.abort();
  run.stop.signal.addEventListener('abort', stop, { once: true });
  try {
    const outcome = await Promise.race([
      wait.continued.then(() => 'continued' as const),
      run.clock.sleep(seconds * 1000, timer.signal).then(
        () => 'elapsed' as const,
        () => 'aborted' as const,
      ),
    ]);
    run.checkStopped();
    return outcome === 'continued';
  } finally {
    timer.abort();
    run.stop.signal.removeEventListener('abort', stop);
    wait.close();
  }
}
