/**
 * The hook functions an AppSpec names (Lambda and ECS AppSpecs share the
 * `Hooks` list: `- BeforeAllowTraffic: FunctionNameOrArn`). Values may be a
 * function name or ARN, qualified or not; the log group is named after the
 * function only.
 */
import { parse } from 'yaml';

export interface HookFunction {
  lifecycleEvent: string;
  functionName: string;
}

/** The hooks in AppSpec text (YAML or JSON); throws an Error naming what is wrong when it cannot be read. */
export function appSpecHooks(content: string): HookFunction[] {
  let doc: unknown;
  try {
    doc = parse(content);
  } catch (err) {
    throw new Error(`the AppSpec is not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error('the AppSpec is not a mapping');
  const hooks = (doc as Record<string, unknown>).Hooks;
  if (hooks === undefined || hooks === null) return [];
  if (!Array.isArray(hooks)) throw new Error('the AppSpec Hooks is not a list');
  const out: HookFunction[] = [];
  for (const entry of hooks) {
    if (typeof entry !== 'object' || entry === null) continue;
    for (const [lifecycleEvent, fn] of Object.entries(entry as Record<string, unknown>)) {
      if (typeof fn === 'string' && fn.trim() !== '') out.push({ lifecycleEvent, functionName: functionNameOf(fn.trim()) });
    }
  }
  return out;
}

/** `arn:aws:lambda:region:acct:function:name[:qualifier]` or `name[:qualifier]` → `name`. */
export function functionNameOf(nameOrArn: string): string {
  const arn = /^arn:aws[\w-]*:lambda:[^:]*:\d*:function:([^:]+)/.exec(nameOrArn);
  if (arn) return arn[1]!;
  // A partial ARN (123456789012:function:name) or a qualified name (name:alias).
  const partial = /^\d+:function:([^:]+)/.exec(nameOrArn);
  if (partial) return partial[1]!;
  return nameOrArn.split(':')[0]!;
}

export function logGroupOf(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}
