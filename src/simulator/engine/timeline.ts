/**
 * What happened during a simulated deployment, in order. The CLI prints these
 * as they come (the live timeline) and the reports serialise the whole list.
 * `at` is real milliseconds since the start; `simSeconds` is CodeDeploy's time.
 */
import type { HookVerdict } from '../../types.js';
import type { Platform } from '../scenario/types.js';

interface Stamp {
  at: number;
  simSeconds: number;
}

export type TimelineEvent = Stamp &
  (
    | { type: 'deployment-started'; deploymentId: string; platform: Platform; config: string; routing: string; scenario: string }
    | { type: 'lifecycle'; lifecycleEvent: string; status: 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped'; message?: string }
    | { type: 'hook-invoked'; lifecycleEvent: string; functionName: string; executionId: string }
    | { type: 'hook-finished'; lifecycleEvent: string; outcome: 'returned' | 'threw' | 'timed-out'; verdict?: HookVerdict; error?: string; durationMs: number; logs?: string[] }
    | { type: 'hook-status'; lifecycleEvent: string; status: 'Succeeded' | 'Failed' | 'NoReport'; message: string }
    | { type: 'traffic'; listener: 'alias' | 'production' | 'test'; targetWeight: number; currentVersion: string; targetVersion: string; rollback?: boolean }
    | { type: 'alarm'; alarmName: string; state: string; reason: string }
    | { type: 'requests'; total: number; failed: number; byVersion: Record<string, { total: number; failed: number }> }
    | { type: 'rollback'; reason: string }
    | { type: 'info'; message: string }
    | { type: 'deployment-finished'; status: 'Succeeded' | 'Failed' | 'Stopped'; reason: string; errorCode?: string; rolledBack: boolean }
  );

export type TimelineEventInput = TimelineEvent extends infer E ? (E extends Stamp ? Omit<E, keyof Stamp> : never) : never;

export type TimelineListener = (event: TimelineEvent) => void;
