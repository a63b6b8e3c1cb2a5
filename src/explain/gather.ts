/**
 * Reads everything explain needs about one deployment, read-only:
 * GetDeployment (a failure here ends explain with one line), then, as far as
 * each source allows, the target's lifecycle events, the deployment group
 * and configuration, the rollback deployment, the AppSpec's hooks
 * (GetApplicationRevision), the group alarms' state changes
 * (DescribeAlarms, DescribeAlarmHistory) and the hooks' verdict lines
 * (FilterLogEvents). A source that cannot be read becomes a gap in the story.
 */
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, type AlarmHistoryItem } from '@aws-sdk/client-cloudwatch';
import {
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  type DeploymentConfigInfo,
  type DeploymentGroupInfo,
  type DeploymentInfo,
  type DeploymentTarget,
} from '@aws-sdk/client-codedeploy';
import { describeError } from '../errors.js';
import { appSpecHooks, functionNameOf, logGroupOf, type HookFunction } from './appspec-hooks.js';
import type { ExplainClients } from './clients.js';
import { describeAwsFailure, ExplainError } from './errors.js';
import type { StoryGap } from './story.js';
import { searchVerdictLines, type LogGroupSearch, type SearchWindow } from './verdict-lines.js';

export interface GatherOptions {
  /** Hook functions (names or ARNs) whose log groups are searched besides the AppSpec's. */
  hookFunctions?: string[];
  /** Log groups searched besides `/aws/lambda/<hook>` (hooks that log elsewhere). */
  logGroups?: string[];
  /** epoch ms; default Date.now */
  now?: () => number;
}

export interface AlarmEvidence {
  name: string;
  stateNow?: string;
  history: AlarmHistoryItem[];
  /** DescribeAlarmHistory failed: `history` may be incomplete. */
  historyUnreadable?: boolean;
}

export interface LogGroupEvidence extends Partial<LogGroupSearch> {
  logGroup: string;
  functionName?: string;
  /** Set when the group does not exist. */
  missing?: boolean;
}

export interface Evidence {
  deployment: DeploymentInfo & { deploymentId: string };
  target?: DeploymentTarget;
  group?: DeploymentGroupInfo;
  config?: DeploymentConfigInfo;
  rollbackDeployment?: DeploymentInfo;
  hooks: HookFunction[];
  hookSource: 'appspec' | 'given' | 'none';
  alarms: AlarmEvidence[];
  logGroups: LogGroupEvidence[];
  /** The time range searched for logs and alarm changes (epoch ms). */
  window: SearchWindow;
  gaps: StoryGap[];
}

const DEPLOYMENT_ID = /^d-[A-Za-z0-9]+$/;
const MINUTE = 60_000;

export async function gatherEvidence(clients: ExplainClients, deploymentId: string, opts: GatherOptions = {}): Promise<Evidence> {
  if (!DEPLOYMENT_ID.test(deploymentId)) {
    throw new ExplainError(`invalid deployment id ${JSON.stringify(deploymentId)}: a CodeDeploy deployment id is d- followed by letters and digits (e.g. d-A1B2C3D4E)`);
  }
  const now = (opts.now ?? Date.now)();
  const deployment = await getDeployment(clients, deploymentId);
  const gaps: StoryGap[] = [];
  const note = (source: string) => (err: unknown) => {
    gaps.push({ source, message: describeAwsFailure(err, source) });
    return undefined;
  };

  const [target, group, config, rollbackDeployment, appSpec] = await Promise.all([
    readTarget(clients, deployment, gaps),
    deployment.applicationName && deployment.deploymentGroupName
      ? clients.codeDeploy
          .send(new GetDeploymentGroupCommand({ applicationName: deployment.applicationName, deploymentGroupName: deployment.deploymentGroupName }))
          .then((r) => r.deploymentGroupInfo, note('CodeDeploy GetDeploymentGroup'))
      : undefined,
    deployment.deploymentConfigName
      ? clients.codeDeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: deployment.deploymentConfigName })).then((r) => r.deploymentConfigInfo, note('CodeDeploy GetDeploymentConfig'))
      : undefined,
    deployment.rollbackInfo?.rollbackDeploymentId
      ? clients.codeDeploy.send(new GetDeploymentCommand({ deploymentId: deployment.rollbackInfo.rollbackDeploymentId })).then((r) => r.deploymentInfo, note('CodeDeploy GetDeployment (rollback deployment)'))
      : undefined,
    readAppSpecHooks(clients, deployment, gaps),
  ]);

  const given = (opts.hookFunctions ?? []).map(functionNameOf);
  const hooks = appSpec ?? [];
  const hookSource = hooks.length > 0 ? 'appspec' : given.length > 0 ? 'given' : 'none';
  const window: SearchWindow = {
    startTime: (deployment.createTime ?? deployment.startTime ?? new Date(now)).getTime() - 5 * MINUTE,
    // A hook may still write its line after the deployment ended (up to its 15-minute Lambda maximum).
    endTime: Math.max((deployment.completeTime?.getTime() ?? now) + 15 * MINUTE, now),
  };
  const groups = new Map<string, string | undefined>();
  for (const h of hooks) groups.set(logGroupOf(h.functionName), h.functionName);
  for (const fn of given) if (!groups.has(logGroupOf(fn))) groups.set(logGroupOf(fn), fn);
  for (const g of opts.logGroups ?? []) if (!groups.has(g)) groups.set(g, undefined);

  const alarmNames = (group?.alarmConfiguration?.alarms ?? []).map((a) => a.name).filter((n): n is string => typeof n === 'string');
  const [alarms, logGroups] = await Promise.all([
    readAlarms(clients, alarmNames, window, gaps),
    Promise.all([...groups].map(([logGroup, functionName]) => readLogGroup(clients, logGroup, functionName, deploymentId, window, gaps))),
  ]);

  return {
    deployment,
    ...(target ? { target } : {}),
    ...(group ? { group } : {}),
    ...(config ? { config } : {}),
    ...(rollbackDeployment ? { rollbackDeployment } : {}),
    hooks,
    hookSource,
    alarms,
    logGroups,
    window,
    gaps,
  };
}

async function getDeployment(clients: ExplainClients, deploymentId: string): Promise<Evidence['deployment']> {
  try {
    const { deploymentInfo } = await clients.codeDeploy.send(new GetDeploymentCommand({ deploymentId }));
    if (!deploymentInfo) throw new ExplainError(`CodeDeploy GetDeployment returned no deploymentInfo for ${deploymentId}`);
    return { ...deploymentInfo, deploymentId };
  } catch (err) {
    if (err instanceof ExplainError) throw err;
    const { name, message } = describeError(err);
    if (name === 'DeploymentDoesNotExistException') {
      const region = await clients.codeDeploy.config.region().catch(() => 'the configured region');
      throw new ExplainError(`deployment ${deploymentId} does not exist in ${region}: check the id and the region (--region)`, { cause: err });
    }
    if (name === 'InvalidDeploymentIdException') throw new ExplainError(`invalid deployment id ${JSON.stringify(deploymentId)}: ${message}`, { cause: err });
    throw new ExplainError(describeAwsFailure(err, 'CodeDeploy GetDeployment'), { cause: err });
  }
}

async function readTarget(clients: ExplainClients, deployment: Evidence['deployment'], gaps: StoryGap[]): Promise<DeploymentTarget | undefined> {
  if (deployment.status === 'Created' || deployment.status === 'Queued') return undefined;
  if (deployment.computePlatform === 'Server') {
    gaps.push({ source: 'CodeDeploy ListDeploymentTargets', message: 'EC2/on-premises deployments have one target per instance; explain reads Lambda and ECS deployments' });
    return undefined;
  }
  try {
    const { targetIds } = await clients.codeDeploy.send(new ListDeploymentTargetsCommand({ deploymentId: deployment.deploymentId }));
    const targetId = targetIds?.[0];
    if (!targetId) {
      gaps.push({ source: 'CodeDeploy ListDeploymentTargets', message: 'the deployment has no targets' });
      return undefined;
    }
    const { deploymentTarget } = await clients.codeDeploy.send(new GetDeploymentTargetCommand({ deploymentId: deployment.deploymentId, targetId }));
    return deploymentTarget;
  } catch (err) {
    gaps.push({ source: 'CodeDeploy ListDeploymentTargets/GetDeploymentTarget', message: `${describeAwsFailure(err, 'reading the deployment target')}; the lifecycle events are unknown` });
    return undefined;
  }
}

/** The AppSpec's hooks: inline content (String revisions) or GetApplicationRevision by sha256. */
async function readAppSpecHooks(clients: ExplainClients, deployment: Evidence['deployment'], gaps: StoryGap[]): Promise<HookFunction[] | undefined> {
  const revision = deployment.revision;
  const source = 'CodeDeploy GetApplicationRevision';
  if (!revision) {
    gaps.push({ source: 'GetDeployment revision', message: 'the deployment names no revision, so its hooks are unknown; give them with --hook-function' });
    return undefined;
  }
  const inline = revision.appSpecContent?.content ?? revision.string?.content;
  let content = inline;
  if (content === undefined && (revision.revisionType === 'AppSpecContent' || revision.revisionType === 'String')) {
    try {
      const out = await clients.codeDeploy.send(new GetApplicationRevisionCommand({ applicationName: deployment.applicationName, revision }));
      content = out.revision?.appSpecContent?.content ?? out.revision?.string?.content;
    } catch (err) {
      gaps.push({ source, message: `${describeAwsFailure(err, source)}; the hooks are unknown: give them with --hook-function` });
      return undefined;
    }
  }
  if (content === undefined) {
    const where = revision.s3Location ? ` (s3://${revision.s3Location.bucket}/${revision.s3Location.key})` : '';
    gaps.push({ source, message: `the AppSpec is a ${revision.revisionType ?? 'unknown'} revision${where} whose content explain does not read; give the hook functions with --hook-function` });
    return undefined;
  }
  try {
    return appSpecHooks(content);
  } catch (err) {
    gaps.push({ source, message: `${(err as Error).message}; give the hook functions with --hook-function` });
    return undefined;
  }
}

async function readAlarms(clients: ExplainClients, names: string[], window: SearchWindow, gaps: StoryGap[]): Promise<AlarmEvidence[]> {
  if (names.length === 0) return [];
  const states = new Map<string, string | undefined>();
  try {
    const out = await clients.cloudWatch.send(new DescribeAlarmsCommand({ AlarmNames: names, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
    for (const a of [...(out.MetricAlarms ?? []), ...(out.CompositeAlarms ?? [])]) if (a.AlarmName) states.set(a.AlarmName, a.StateValue);
  } catch (err) {
    gaps.push({ source: 'CloudWatch DescribeAlarms', message: `${describeAwsFailure(err, 'CloudWatch DescribeAlarms')}; the alarms' current states are unknown` });
  }
  return Promise.all(
    names.map(async (name): Promise<AlarmEvidence> => {
      const history: AlarmHistoryItem[] = [];
      let historyUnreadable = false;
      try {
        let NextToken: string | undefined;
        for (let page = 0; page < 5; page++) {
          const out = await clients.cloudWatch.send(
            new DescribeAlarmHistoryCommand({
              AlarmName: name, HistoryItemType: 'StateUpdate', StartDate: new Date(window.startTime), EndDate: new Date(window.endTime),
              ScanBy: 'TimestampAscending', MaxRecords: 100, ...(NextToken ? { NextToken } : {}),
            }),
          );
          history.push(...(out.AlarmHistoryItems ?? []));
          if (!out.NextToken || out.NextToken === NextToken) break;
          NextToken = out.NextToken;
        }
      } catch (err) {
        historyUnreadable = true;
        gaps.push({ source: `CloudWatch DescribeAlarmHistory ${name}`, message: `${describeAwsFailure(err, 'CloudWatch DescribeAlarmHistory')}; when ${name} changed state is unknown` });
      }
      return { name, ...(states.has(name) ? { stateNow: states.get(name) } : {}), history, ...(historyUnreadable ? { historyUnreadable } : {}) };
    }),
  );
}

async function readLogGroup(
  clients: ExplainClients,
  logGroup: string,
  functionName: string | undefined,
  deploymentId: string,
  window: SearchWindow,
  gaps: StoryGap[],
): Promise<LogGroupEvidence> {
  const base = { logGroup, ...(functionName ? { functionName } : {}) };
  try {
    return { ...base, ...(await searchVerdictLines(clients.logs, logGroup, deploymentId, window)) };
  } catch (err) {
    if (describeError(err).name === 'ResourceNotFoundException') return { ...base, missing: true };
    gaps.push({ source: `CloudWatch Logs FilterLogEvents ${logGroup}`, message: `${describeAwsFailure(err, 'CloudWatch Logs FilterLogEvents')}; this hook's verdict lines are unknown` });
    return base;
  }
}
