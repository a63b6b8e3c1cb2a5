/**
 * One error family with stable codes. Messages name the field or file at
 * fault; `code` is what programs match on; `cause` keeps the original error.
 */
export const ERROR_CODES = {
  HOOK_EVENT: 'HOOK_EVENT_INVALID',
  OPTIONS: 'OPTIONS_INVALID',
  CONTEXT: 'CONTEXT_UNRESOLVED',
  REPORT: 'REPORT_FAILED',
  SCENARIO: 'SCENARIO_INVALID',
  TEMPLATE: 'TEMPLATE_INVALID',
  SIMULATOR: 'SIMULATOR_ERROR',
  EXPLAIN: 'EXPLAIN_FAILED',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Base class of every error this library throws. */
export class HookError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HookError';
    this.code = code;
  }
}

/** The Lambda event is not a CodeDeploy hook event; `field` names what is wrong. */
export class HookEventError extends HookError {
  readonly field: string;
  /** `kind` names the event expected: the CodeDeploy one unless an ECS-native parser says otherwise. */
  constructor(field: string, message: string, kind = 'CodeDeploy hook event') {
    super(ERROR_CODES.HOOK_EVENT, `invalid ${kind}: ${field} ${message}`);
    this.name = 'HookEventError';
    this.field = field;
  }
}

/** Options given to defineHook, a check factory or the simulator are invalid; `field` names the option. */
export class OptionsError extends HookError {
  readonly field: string;
  constructor(field: string, message: string, options?: ErrorOptions) {
    super(ERROR_CODES.OPTIONS, `invalid option ${field}: ${message}`, options);
    this.name = 'OptionsError';
    this.field = field;
  }
}

/** The deployment could not be resolved from the CodeDeploy API. */
export class ContextError extends HookError {
  constructor(message: string, options?: ErrorOptions) {
    super(ERROR_CODES.CONTEXT, message, options);
    this.name = 'ContextError';
  }
}

/** A scenario file or name is invalid; `path` is `file:json.path`. */
export class ScenarioError extends HookError {
  readonly path: string;
  constructor(path: string, message: string, options?: ErrorOptions) {
    super(ERROR_CODES.SCENARIO, `${path}: ${message}`, options);
    this.name = 'ScenarioError';
    this.path = path;
  }
}

/**
 * The name and message of any thrown value, for logs and reasons (SDK errors
 * carry the AWS error code as `name`). Never throws itself: user code can
 * throw null-prototype objects or errors whose getters throw.
 */
export function describeError(error: unknown): { name: string; message: string } {
  const read = (key: 'name' | 'message'): string | undefined => {
    try {
      const value: unknown = (error as Record<string, unknown>)[key];
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  };
  if (typeof error === 'object' && error !== null) {
    return { name: read('name') ?? 'NonError', message: read('message') ?? safeString(error) };
  }
  return { name: 'NonError', message: safeString(error) };
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return JSON.stringify(value) ?? 'unprintable value';
    } catch {
      return 'unprintable value';
    }
  }
}
