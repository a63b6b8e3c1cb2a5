import { AwsServiceError } from './aws-error.js';

/**
 * Composite alarm rules: ALARM(x), OK(x), INSUFFICIENT_DATA(x) (x quoted or
 * bare name/ARN), TRUE, FALSE, AND, OR, NOT and parentheses. NOT binds
 * tightest, then AND, then OR, as in CloudWatch.
 */
export type AlarmRuleNode =
  | { type: 'state'; state: 'ALARM' | 'OK' | 'INSUFFICIENT_DATA'; alarm: string }
  | { type: 'const'; value: boolean }
  | { type: 'not'; arg: AlarmRuleNode }
  | { type: 'and' | 'or'; left: AlarmRuleNode; right: AlarmRuleNode };

export function parseAlarmRule(src: string): AlarmRuleNode {
  if (typeof src !== 'string' || src.trim() === '') throw new AwsServiceError('ValidationError', 'The parameter AlarmRule is required.');
  const tokens = src.match(/"(?:[^"\\]|\\.)*"|\(|\)|[^\s()"]+/g) ?? [];
  let i = 0;
  const fail = (what: string): never => {
    throw new AwsServiceError('ValidationError', `Invalid AlarmRule "${src}": ${what}.`);
  };
  const or = (): AlarmRuleNode => {
    let left = and();
    while (tokens[i]?.toUpperCase() === 'OR') { i++; left = { type: 'or', left, right: and() }; }
    return left;
  };
  const and = (): AlarmRuleNode => {
    let left = not();
    while (tokens[i]?.toUpperCase() === 'AND') { i++; left = { type: 'and', left, right: not() }; }
    return left;
  };
  const not = (): AlarmRuleNode => {
    if (tokens[i]?.toUpperCase() === 'NOT') { i++; return { type: 'not', arg: not() }; }
    return atom();
  };
  const atom = (): AlarmRuleNode => {
    const t = tokens[i++];
    if (t === undefined) return fail('unexpected end');
    if (t === '(') {
      const n = or();
      if (tokens[i++] !== ')') fail('missing ")"');
      return n;
    }
    const upper = t.toUpperCase();
    if (upper === 'TRUE' || upper === 'FALSE') return { type: 'const', value: upper === 'TRUE' };
    if (upper === 'ALARM' || upper === 'OK' || upper === 'INSUFFICIENT_DATA') {
      if (tokens[i++] !== '(') fail(`expected "(" after ${t}`);
      const raw = tokens[i++] ?? fail('missing alarm name');
      if (tokens[i++] !== ')') fail('missing ")"');
      let name = raw.startsWith('"') ? raw.slice(1, -1) : raw;
      // An ARN names the alarm by its last segment.
      const m = /^arn:aws[^:]*:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(name);
      if (m) name = m[1]!;
      return { type: 'state', state: upper, alarm: name };
    }
    return fail(`unexpected "${t}"`);
  };
  const node = or();
  if (i < tokens.length) fail(`unexpected "${tokens[i]}"`);
  return node;
}

export function evaluateAlarmRule(node: AlarmRuleNode, stateOf: (alarm: string) => string | undefined): boolean {
  switch (node.type) {
    case 'const': return node.value;
    case 'state': return stateOf(node.alarm) === node.state;
    case 'not': return !evaluateAlarmRule(node.arg, stateOf);
    case 'and': return evaluateAlarmRule(node.left, stateOf) && evaluateAlarmRule(node.right, stateOf);
    case 'or': return evaluateAlarmRule(node.left, stateOf) || evaluateAlarmRule(node.right, stateOf);
  }
}
