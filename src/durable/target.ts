/**
 * Which function a durable hook's execution runs on. Lambda refuses to
 * invoke a durable function by an unqualified name or ARN
 * ("You cannot invoke a durable function using an unqualified ARN"), so the
 * target must name a version or an alias.
 */

/** Env var the starter reads when no `target` option is given. */
export const DURABLE_TARGET_ENV = 'CODEDEPLOY_HOOKS_DURABLE_FUNCTION';

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const QUALIFIER = /^(\$LATEST|[0-9]+|[a-zA-Z0-9_-]{1,128})$/;

/**
 * The qualifier (version or alias) of a function name, partial ARN or ARN,
 * or undefined when it has none. Throws on a string that is no function
 * identifier at all.
 */
export function qualifierOf(target: string): string | undefined {
  const parts = target.split(':');
  let name: string | undefined;
  let qualifier: string | undefined;
  if (parts[0]?.startsWith('arn') && parts.length >= 7 && parts.length <= 8 && parts[2] === 'lambda' && parts[5] === 'function') {
    [name, qualifier] = [parts[6], parts[7]];
  } else if (parts.length >= 3 && parts.length <= 4 && parts[1] === 'function') {
    [name, qualifier] = [parts[2], parts[3]];
  } else if (parts.length <= 2) {
    [name, qualifier] = [parts[0], parts[1]];
  } else {
    throw new Error(`"${target}" is not a Lambda function name, partial ARN or ARN`);
  }
  if (!name || !NAME.test(name)) throw new Error(`"${target}" has no valid function name`);
  if (qualifier === undefined) return undefined;
  if (!QUALIFIER.test(qualifier)) throw new Error(`"${target}" has an invalid version or alias "${qualifier}"`);
  return qualifier;
}

/** Why `target` cannot start a durable execution, or undefined when it can. */
export function durableTargetProblem(target: unknown): string | undefined {
  if (typeof target !== 'string' || target.trim() === '') return 'must name the durable function with a version or alias (e.g. my-durable-hook:live)';
  try {
    if (qualifierOf(target) === undefined) {
      return `"${target}" is unqualified: Lambda invokes a durable function only through a version or alias (e.g. ${target}:live)`;
    }
  } catch (error) {
    return (error as Error).message;
  }
  return undefined;
}
