import type { World } from '../../state/world.js';

/** One API operation: decoded input in, output object (API shape, Dates allowed) out. */
export type OperationHandler = (input: Record<string, unknown>, world: World) => unknown;

export type OperationTable = Record<string, OperationHandler>;

export function str(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  return typeof v === 'string' ? v : undefined;
}

export function strList(input: Record<string, unknown>, key: string): string[] | undefined {
  const v = input[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}
