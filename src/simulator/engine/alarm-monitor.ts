/**
 * CodeDeploy's alarm monitoring: while the deployment runs it polls the
 * deployment group's alarms every `pollSeconds` of simulated time (here: asks
 * the world to evaluate them, then reads their states) and stops the deployment when one is in ALARM.
 * Every alarm state change, whoever caused it (evaluation or SetAlarmState),
 * is passed on for the timeline.
 */
import type { AlarmStateChange, World } from '../state/index.js';
import type { SimClock, SimTimer } from '../clock/sim-clock.js';

export class AlarmMonitor {
  private timer?: SimTimer;
  private unsubscribe?: () => void;

  constructor(
    private readonly world: World,
    private readonly alarmNames: string[],
    private readonly clock: SimClock,
    private readonly pollSeconds: number,
    private readonly onChange: (change: AlarmStateChange) => void,
    private readonly onAlarm: (alarmName: string, reason: string) => void,
  ) {}

  start(): void {
    this.unsubscribe = this.world.cloudWatch.onAlarmStateChange((c) => this.onChange(c));
    this.poll();
    this.timer = this.clock.setTimer(() => this.poll(), this.pollSeconds * 1000, { every: this.pollSeconds * 1000 });
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.unsubscribe?.();
  }

  /** Evaluates now and reports the first group alarm in ALARM, if any. */
  poll(): void {
    this.world.cloudWatch.evaluateAlarms();
    for (const name of this.alarmNames) {
      if (this.world.cloudWatch.getAlarmState(name) === 'ALARM') {
        const alarm = this.world.cloudWatch.metricAlarms.get(name) ?? this.world.cloudWatch.compositeAlarms.get(name);
        this.onAlarm(name, alarm?.StateReason ?? 'in ALARM');
        return;
      }
    }
  }

  /** Current state of every alarm in the world, for the summary. */
  states(): { name: string; state: string; reason: string }[] {
    const cw = this.world.cloudWatch;
    return [...cw.metricAlarms.values(), ...cw.compositeAlarms.values()].map((a) => ({ name: a.AlarmName, state: a.StateValue, reason: a.StateReason }));
  }
}
