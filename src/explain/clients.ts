/**
 * The three read-only clients explain uses, from the SDK's default
 * credential chain and region (or the caller's), optionally pointed at an
 * emulator. Created once per explain run; injected ones win (tests).
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';

export interface ExplainClients {
  codeDeploy: CodeDeployClient;
  cloudWatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
}

export interface ClientOptions {
  /** Default: the SDK's (AWS_REGION, the profile's region). */
  region?: string;
  /** An emulator or another endpoint; default: AWS_ENDPOINT_URL if set (the SDK reads it), else AWS. */
  endpoint?: string;
  /** A profile of the shared config files; default: AWS_PROFILE or `default`. */
  profile?: string;
  /** Fixed credentials (the emulator's test keys); default: the SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per call, including the first (throttling and 5xx are retried). @default 3 */
  maxAttempts?: number;
  clients?: Partial<ExplainClients>;
}

export function createExplainClients(opts: ClientOptions = {}): ExplainClients {
  const config = {
    ...(opts.region ? { region: opts.region } : {}),
    ...(opts.endpoint ? { endpoint: opts.endpoint } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    maxAttempts: opts.maxAttempts ?? 3,
    requestHandler: { connectionTimeout: 5000, requestTimeout: 30_000 },
  };
  return {
    codeDeploy: opts.clients?.codeDeploy ?? new CodeDeployClient(config),
    cloudWatch: opts.clients?.cloudWatch ?? new CloudWatchClient(config),
    logs: opts.clients?.logs ?? new CloudWatchLogsClient(config),
  };
}
