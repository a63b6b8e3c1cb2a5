/**
 * Why explain could not tell a story, in one line. The SDK's errors are
 * mapped here, in one place, to messages that say what to change: the id,
 * the region, the credentials, the permissions, or just time (throttling).
 */
import { ERROR_CODES, HookError, describeError } from '../errors.js';
import { isThrottlingError } from '../aws-call.js';
import { terminalText } from '../util/terminal-text.js';

export class ExplainError extends HookError {
  constructor(message: string, options?: ErrorOptions) {
    super(ERROR_CODES.EXPLAIN, message, options);
    this.name = 'ExplainError';
  }
}

const DENIED = /AccessDenied|UnauthorizedOperation|UnrecognizedClient|InvalidClientTokenId|ExpiredToken|InvalidSignature|SignatureDoesNotMatch|AuthFailure/;

/** One line saying why `what` (an API call, e.g. "CodeDeploy GetDeployment") failed. */
export function describeAwsFailure(error: unknown, what: string): string {
  // The name and message come from the endpoint's answer, and this line is printed to a terminal.
  const described = describeError(error);
  const [name, message] = [terminalText(described.name), terminalText(described.message)];
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return 'no AWS credentials found (the SDK looked in the environment, the shared config and credentials files with AWS_PROFILE, SSO, and the container or instance role); set credentials or pass --profile';
  }
  if (/Region is missing/i.test(message)) return 'no AWS region: set AWS_REGION (or a region in the AWS profile) or pass --region';
  const attempts = (error as { $metadata?: { attempts?: number } } | null)?.$metadata?.attempts;
  if (isThrottlingError(error)) return `${what} was throttled (${name})${attempts ? ` after ${attempts} attempts` : ''}; wait a minute and run explain again`;
  if (DENIED.test(name)) return `${what} was denied (${name}: ${message}); explain needs the read-only permissions listed in the README (explain section)`;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  if (status === undefined && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|socket hang up|timed? ?out/i.test(`${name} ${message}`)) {
    return `${what} could not reach the endpoint (${message}); check AWS_ENDPOINT_URL / --endpoint-url and the network`;
  }
  return `${what} failed: ${name}: ${message}`;
}
