/**
 * Simulated time. Deployment waits (traffic intervals, alarm polls, the
 * one-hour hook wait) are divided by the time scale; hook timeouts and the
 * hooks' own work run in real time.
 */
import { sleep } from '../../util/abort.js';

export class SimClock {
  readonly startedAt = Date.now();
  constructor(readonly timeScale: number) {}

  /** Real milliseconds for `seconds` of simulated time. */
  realMs(seconds: number): number {
    return (seconds * 1000) / this.timeScale;
  }

  /** Simulated seconds since the deployment started. */
  simSeconds(now = Date.now()): number {
    return ((now - this.startedAt) / 1000) * this.timeScale;
  }

  /** Real milliseconds since the deployment started. */
  elapsedMs(now = Date.now()): number {
    return now - this.startedAt;
  }

  sleep(seconds: number, signal?: AbortSignal): Promise<void> {
    return sleep(this.realMs(seconds), signal);
  }
}
