/**
 * DeploymentStory: what `codedeploy-hooks explain` found out about one
 * deployment, as plain data. The text printer, `--json` and the HTML report
 * all render from this one object, so its shape is a contract: fields are
 * only added (optional) within a `storyVersion`; anything else bumps it.
 *
 * Times are ISO 8601 strings (UTC). Absent means "not known": the API did not
 * say, or a source could not be read (then `gaps` says which and why).
 */

export const STORY_VERSION = 1;

export interface DeploymentStory {
  storyVersion: typeof STORY_VERSION;
  deploymentId: string;
  applicationName?: string;
  deploymentGroupName?: string;
  deploymentConfigName?: string;
  /** `Lambda`, `ECS` (or `Server`, which explain reads but hooks do not serve). */
  computePlatform?: string;
  /** GetDeployment's status: Created, Queued, InProgress, Baking, Ready, Succeeded, Failed, Stopped. */
  status: string;
  /** Who started it; `codeDeployRollback` marks a rollback deployment. */
  creator?: string;
  description?: string;
  createTime?: string;
  startTime?: string;
  completeTime?: string;
  errorInformation?: { code?: string; message?: string };
  /** The outcome in a word, for colour and exit codes. */
  outcome: StoryOutcome;
  /** One sentence: what happened and why. */
  headline: string;
  /** What ended (or holds up) the deployment. */
  cause: StoryCause;
  target?: StoryTarget;
  /** Where production traffic was when the deployment failed (or is now, when it did not). */
  traffic?: StoryTraffic;
  /** The target's lifecycle events in order, each with the hook's verdict when one was found. */
  events: StoryEvent[];
  /** Name of the first lifecycle event that failed. */
  failedEvent?: string;
  /** The check that decided a Failed verdict (the first enforced one that did not pass). */
  failedCheck?: StoryFailedCheck;
  /** The deployment group's alarms and their state changes around the deployment. */
  alarms: StoryAlarm[];
  rollback?: StoryRollback;
  /** What to do next, most useful first. */
  advice: string[];
  /** Sources that could not be read, and what that leaves unknown. */
  gaps: StoryGap[];
  /** Where the hook functions came from: the deployment's AppSpec, the caller, or nowhere. */
  hookSource: 'appspec' | 'given' | 'none';
}

export type StoryOutcome = 'succeeded' | 'rolled-back' | 'failed' | 'stopped' | 'in-progress';

export type StoryCauseKind =
  /** Nothing went wrong. */
  | 'none'
  /** A hook reported Failed: see failedCheck. */
  | 'hook-failed'
  /** A hook's lifecycle event failed without a status from the hook (timeout, crash, no permission). */
  | 'hook-no-report'
  /** A deployment-group alarm went to ALARM and CodeDeploy stopped the deployment. */
  | 'alarm'
  /** StopDeployment was called. */
  | 'manual-stop'
  /** The deployment is still running: the event it waits on is named. */
  | 'in-progress'
  /** CodeDeploy's own error (errorInformation) without a hook or alarm to blame, or not known. */
  | 'deployment-error';

export interface StoryCause {
  kind: StoryCauseKind;
  /** A sentence a person can act on. */
  summary: string;
  lifecycleEvent?: string;
  hookFunction?: string;
  checkName?: string;
  alarmName?: string;
}

export type StoryTarget =
  | { platform: 'Lambda'; functionName: string; alias: string; currentVersion: string; targetVersion: string; targetVersionWeight?: number }
  | { platform: 'ECS'; cluster?: string; service?: string; taskSets: StoryTaskSet[] };

export interface StoryTaskSet {
  identifier?: string;
  /** Blue (original) or Green (replacement). */
  label?: string;
  status?: string;
  trafficWeight?: number;
  targetGroup?: string;
}

export interface StoryTraffic {
  /**
   * before-shift: production traffic had not moved to the new version;
   * shifting: part of it had (AllowTraffic was running); shifted: all of it
   * had; unknown: the events do not tell.
   */
  phase: 'before-shift' | 'shifting' | 'shifted' | 'unknown';
  /** Percent of production traffic on the new version at that point; estimated while shifting. */
  targetWeightPercent?: number;
  /** True when targetWeightPercent comes from the configuration's schedule, not from a recorded weight. */
  estimated: boolean;
  summary: string;
}

export interface StoryEvent {
  name: string;
  /** Pending, InProgress, Succeeded, Failed, Skipped, Unknown. */
  status: string;
  startTime?: string;
  endTime?: string;
  durationMs?: number;
  /** CodeDeploy's diagnostics for a failed event. */
  diagnostics?: { errorCode?: string; message?: string; scriptName?: string; logTail?: string };
  /** The hook function the AppSpec (or the caller) names for this event. */
  hookFunction?: string;
  verdict?: StoryVerdict;
  /** Why no verdict line is shown although a hook belongs to this event. */
  missingVerdict?: string;
}

export interface StoryVerdict {
  status: 'Succeeded' | 'Failed';
  reason: string;
  /** Whether CodeDeploy took (or already had) a status from this invocation. */
  reported?: boolean;
  /** accepted, already-completed or failed (the report call itself). */
  reportOutcome?: string;
  reportError?: string;
  durationMs?: number;
  /** When the verdict line was written. */
  timestamp?: string;
  bypassReason?: string;
  duplicate?: boolean;
  /** The line was shrunk to fit CloudWatch Logs (see verdict-log.ts fitLine). */
  lineTruncated?: boolean;
  checks: StoryCheck[];
  /** Checks left out of a shrunk line. */
  checksOmitted?: number;
  logGroup: string;
  logStream?: string;
  /** Other verdict lines for the same event (Lambda retries, duplicate invocations); the one shown is the latest that reported. */
  otherLines: number;
}

export interface StoryCheck {
  name: string;
  /** passed, failed, inconclusive, error. */
  state: string;
  enforced: boolean;
  reason: string;
  durationMs?: number;
  attempts?: number;
  details?: Record<string, unknown>;
}

export interface StoryFailedCheck extends StoryCheck {
  lifecycleEvent: string;
  hookFunction?: string;
}

export interface StoryAlarm {
  name: string;
  /** Its state when explain ran (DescribeAlarms). */
  stateNow?: string;
  /** True when it went to ALARM between the deployment's start and end. */
  firedDuringDeployment: boolean;
  /** DescribeAlarmHistory could not be read: `transitions` may be incomplete (see gaps). */
  historyUnknown?: true;
  /** State changes from shortly before the deployment to shortly after, oldest first. */
  transitions: StoryAlarmTransition[];
}

export interface StoryAlarmTransition {
  time: string;
  from?: string;
  to?: string;
  reason?: string;
}

export interface StoryRollback {
  /** For a rolled-back deployment: the deployment that rolled it back. */
  rollbackDeploymentId?: string;
  rollbackStatus?: string;
  /** For a rollback deployment: the deployment it rolled back. */
  triggeringDeploymentId?: string;
  message?: string;
}

export interface StoryGap {
  /** The API call or source: GetDeploymentTarget, GetApplicationRevision, DescribeAlarmHistory, FilterLogEvents /aws/lambda/fn, ... */
  source: string;
  message: string;
}
