/**
 * The outcome of one simulated deployment: what the CLI summarises, what the
 * JSON report contains and what JUnit XML is made from.
 */
import type { HookVerdict } from '../../types.js';
import type { TimelineEvent } from './timeline.js';

export interface HookRunResult {
  lifecycleEvent: string;
  functionName: string;
  module: string;
  export: string;
  /** What the deployment recorded for the lifecycle event. */
  status: 'Succeeded' | 'Failed' | 'NoReport' | 'NotRun';
  /** How the hook function invocation ended. */
  outcome?: 'returned' | 'threw' | 'timed-out';
  verdict?: HookVerdict;
  error?: string;
  durationMs?: number;
  /** What the hook printed while it ran. */
  logs: string[];
}

export interface TrafficSummary {
  total: number;
  failed: number;
  byVersion: Record<string, { total: number; failed: number }>;
}

export function emptyTrafficSummary(): TrafficSummary {
  return { total: 0, failed: 0, byVersion: {} };
}

/** Adds `total` requests to `version`, `failed` of them failed, to each summary. */
export function addRequests(summaries: TrafficSummary[], version: string, total: number, failed: number): void {
  for (const s of summaries) {
    s.total += total;
    s.failed += failed;
    const v = (s.byVersion[version] ??= { total: 0, failed: 0 });
    v.total += total;
    v.failed += failed;
  }
}

export interface SimulationResult {
  scenario: string;
  source: string;
  description: string;
  platform: 'Lambda' | 'ECS';
  deploymentId: string;
  deploymentConfigName: string;
  status: 'Succeeded' | 'Failed' | 'Stopped';
  /** One sentence: why the deployment succeeded or rolled back. */
  reason: string;
  errorCode?: string;
  rolledBack: boolean;
  expect?: 'Succeeded' | 'Failed';
  timeScale: number;
  startedAt: string;
  durationMs: number;
  /** Simulated seconds the deployment took. */
  simulatedSeconds: number;
  hooks: HookRunResult[];
  alarms: { name: string; state: string; reason: string }[];
  traffic: TrafficSummary;
  timeline: TimelineEvent[];
}
