/**
 * An error the emulated service returns on the wire. `code` is the service's
 * own error code (the SDK maps it to an exception class by name), `status` the
 * HTTP status, `sender` whether the caller is at fault (query-protocol `Type`).
 */
export class AwsServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly sender: boolean;
  constructor(code: string, message: string, status = 400, sender = status < 500) {
    super(message);
    this.name = 'AwsServiceError';
    this.code = code;
    this.status = status;
    this.sender = sender;
  }
}

export function isAwsServiceError(err: unknown): err is AwsServiceError {
  return err instanceof AwsServiceError;
}
