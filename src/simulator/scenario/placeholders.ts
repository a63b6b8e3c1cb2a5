/**
 * `{{name}}` placeholders in alarm dimensions and hook env values, for what
 * only exists once the simulation runs: loopback ports, the load balancer's
 * and target groups' CloudWatch dimension values (their ARNs carry random
 * ids), the emulator's URL.
 */
export const PLACEHOLDERS = [
  'functionName',
  'alias',
  'currentVersion',
  'targetVersion',
  'loadBalancer',
  'blueTargetGroup',
  'greenTargetGroup',
  'productionUrl',
  'testUrl',
  'endpoint',
] as const;
export type PlaceholderName = (typeof PLACEHOLDERS)[number];

const PATTERN = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

/** Names used in `value` that are not known placeholders. */
export function unknownPlaceholders(value: string): string[] {
  return [...value.matchAll(PATTERN)].map((m) => m[1]!).filter((n) => !(PLACEHOLDERS as readonly string[]).includes(n));
}

export function substitute(value: string, vars: Partial<Record<PlaceholderName, string>>): string {
  return value.replace(PATTERN, (whole, name: string) => vars[name as PlaceholderName] ?? whole);
}

export function substituteAll(values: Record<string, string>, vars: Partial<Record<PlaceholderName, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, substitute(v, vars)]));
}
