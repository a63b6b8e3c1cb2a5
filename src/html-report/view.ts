/**
 * What the HTML report draws: one deployment told over time. Built from a
 * simulation result (from-simulation.ts) or from an `explain` story of a real
 * deployment; the renderer knows neither. Times are seconds since the deployment
 * started (simulated seconds for a simulation, wall-clock seconds for a real
 * deployment).
 */
import type { StoryCheck } from '../explain/story.js';
import type { SeriesPoint } from '../simulator/report/version-metrics.js';

export type { SeriesPoint };

export interface DeploymentView {
  /** The page title and first heading. */
  title: string;
  /** Where the story comes from, in words ("simulated scenario lambda-canary-healthy …"). */
  subtitle: string;
  deploymentId: string;
  /** Final status as CodeDeploy shows it (Succeeded, Failed, Stopped, InProgress …). */
  status: string;
  rolledBack: boolean;
  /** The one-word verdict on top: SUCCEEDED, ROLLED BACK, FAILED … */
  headline: string;
  /** Why the deployment ended as it did, in the same words as the CLI. */
  why: string;
  /** The CLI's summary, line by line, without colour. */
  summary: string[];
  /** Length of the time axis in seconds. */
  durationSeconds: number;
  /** Label of the time axis ("simulated time", "time since the deployment started"). */
  timeLabel: string;
  /** The two versions: the old one first. */
  versions: VersionView[];
  /** Percent of production traffic on the target version from a moment on (a step line); the rest is on the current one. */
  weights: { at: number; targetPercent: number }[];
  /** Per-version metric series; absent when nothing measured them. */
  metrics?: { periodSeconds: number; source: string; versions: VersionMetricsView[] };
  /** Said in the metric panels when `metrics` is absent. */
  metricsMissing?: string;
  /** Remarks shown under the chart (where a number comes from, what is estimated). */
  notes?: string[];
  alarms: AlarmView[];
  /** Moments marked on the chart. */
  markers: MarkerView[];
  hooks: HookView[];
  /** The timeline as the CLI prints it, one line per event. */
  events: { at: number; text: string }[];
  /** What the event list is, for its heading ("the timeline as the CLI printed it"). */
  eventsTitle: string;
}

export interface VersionView {
  id: string;
  role: 'current' | 'target';
  /** Short name on the chart's lines: "v2", "Green". */
  label: string;
}

export interface VersionMetricsView {
  version: string;
  requestRate: SeriesPoint[];
  errorRate: SeriesPoint[];
  latencyP50Ms: SeriesPoint[];
  latencyP99Ms: SeriesPoint[];
}

/** One check's result: a CheckResult, or what a verdict log line kept of it (explain's StoryCheck has that shape). */
export type CheckView = StoryCheck;

export interface AlarmView {
  name: string;
  /** State changes in time order; before the first one the state is not known. */
  changes: { at: number; state: string; reason: string }[];
  /** The state at the end (also used when no change was seen). */
  finalState: string;
}

export interface MarkerView {
  at: number;
  kind: 'lifecycle' | 'rollback' | 'end';
  label: string;
}

export interface HookView {
  lifecycleEvent: string;
  functionName: string;
  /** What CodeDeploy recorded for the lifecycle event (Succeeded, Failed, NoReport, NotRun …). */
  status: string;
  /** How the invocation ended, and how long it took. */
  outcome?: string;
  durationMs?: number;
  /** The verdict the hook reached, when it reached one. */
  /** `reported`: whether CodeDeploy took a status from this invocation, when known. */
  verdict?: { status: string; reason: string; reported?: boolean; checks: CheckView[] };
  /** What was reported to CodeDeploy, in words. */
  reported: string;
  error?: string;
  /** What the hook printed (simulation) or its log lines (explain). */
  logs: string[];
}
