import { createHash } from 'node:crypto';
import { AwsServiceError } from './aws-error.js';

/**
 * Application revisions of AppSpecContent type (what SAM and CloudFormation
 * register for Lambda and ECS deployments), for GetApplicationRevision. A
 * deployment's `revision` names one by sha256 only: GetDeployment never
 * returns the content (research: codedeploy-facts §2.4).
 */

export interface RevisionLocation {
  revisionType: 'AppSpecContent';
  appSpecContent: { sha256: string; content?: string };
}

interface StoredRevision {
  content: string;
  sha256: string;
  registerTime: Date;
  firstUsedTime: Date;
  lastUsedTime: Date;
  deploymentGroups: Set<string>;
}

export class AppRevisionStore {
  /** key: `${applicationName}\u0000${sha256}` */
  private readonly revisions = new Map<string, StoredRevision>();

  constructor(private readonly now: () => number) {}

  /** Registers (or reuses) an AppSpec for a deployment of `deploymentGroupName`; returns the location a deployment carries. */
  register(applicationName: string, deploymentGroupName: string, content: string): RevisionLocation {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const key = `${applicationName}\u0000${sha256}`;
    const at = new Date(this.now());
    const stored = this.revisions.get(key) ?? { content, sha256, registerTime: at, firstUsedTime: at, lastUsedTime: at, deploymentGroups: new Set<string>() };
    stored.lastUsedTime = at;
    stored.deploymentGroups.add(deploymentGroupName);
    this.revisions.set(key, stored);
    return { revisionType: 'AppSpecContent', appSpecContent: { sha256 } };
  }

  /** GetApplicationRevision's answer for an application already known to exist. */
  get(applicationName: string, revision: unknown): Record<string, unknown> {
    if (typeof revision !== 'object' || revision === null) throw new AwsServiceError('RevisionRequiredException', 'The revision ID was not specified.');
    const r = revision as { revisionType?: unknown; appSpecContent?: { sha256?: unknown }; string?: { sha256?: unknown } };
    const location = r.revisionType === 'AppSpecContent' ? r.appSpecContent : r.revisionType === 'String' ? r.string : undefined;
    if (!location || typeof location.sha256 !== 'string') {
      throw new AwsServiceError('InvalidRevisionException', `The revision is not valid: the emulator serves AppSpecContent and String revisions by sha256, got revisionType ${String(r.revisionType)}.`);
    }
    const stored = this.revisions.get(`${applicationName}\u0000${location.sha256}`);
    if (!stored) throw new AwsServiceError('RevisionDoesNotExistException', `No application revision found for revision ${location.sha256}`);
    return {
      applicationName,
      revision: { revisionType: r.revisionType, [r.revisionType === 'String' ? 'string' : 'appSpecContent']: { content: stored.content, sha256: stored.sha256 } },
      revisionInfo: {
        registerTime: stored.registerTime, firstUsedTime: stored.firstUsedTime, lastUsedTime: stored.lastUsedTime,
        deploymentGroups: [...stored.deploymentGroups],
      },
    };
  }
}
