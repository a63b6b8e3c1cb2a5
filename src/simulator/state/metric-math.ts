import { AwsServiceError } from './aws-error.js';

/**
 * A small subset of CloudWatch metric math: numbers, query ids, + - * /,
 * unary minus, parentheses, and the functions listed in SUPPORTED_FUNCTIONS.
 * Anything else is a ValidationError naming what is not supported, so a user
 * knows the emulator (not their expression) is the limit.
 */

export const SUPPORTED_FUNCTIONS = ['FILL', 'ABS', 'SUM', 'AVG', 'MIN', 'MAX'] as const;

export type MathValue =
  | { kind: 'scalar'; value: number }
  | { kind: 'series'; timestamps: number[]; values: number[] }
  | { kind: 'array'; items: MathValue[] };

type Node =
  | { type: 'num'; value: number }
  | { type: 'id'; name: string }
  | { type: 'neg'; arg: Node }
  | { type: 'bin'; op: '+' | '-' | '*' | '/'; left: Node; right: Node }
  | { type: 'call'; name: string; args: Node[] }
  | { type: 'list'; items: Node[] };

function mathError(message: string): AwsServiceError {
  return new AwsServiceError('ValidationError', message);
}

function tokenize(src: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/(),[\]]|"[^"]*"|\S)/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < src.length && (m = re.exec(src))) tokens.push(m[1]!);
  return tokens.filter((t) => t.trim() !== '');
}

export function parseExpression(src: string): Node {
  const tokens = tokenize(src);
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const expect = (t: string): void => {
    if (tokens[i] !== t) throw mathError(`Invalid metrics math expression "${src}": expected "${t}" at token ${i + 1}, got ${tokens[i] ?? 'end of input'}.`);
    i++;
  };
  const expr = (): Node => {
    let left = term();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[i++] as '+' | '-';
      left = { type: 'bin', op, left, right: term() };
    }
    return left;
  };
  const term = (): Node => {
    let left = unary();
    while (peek() === '*' || peek() === '/') {
      const op = tokens[i++] as '*' | '/';
      left = { type: 'bin', op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Node => {
    if (peek() === '-') {
      i++;
      return { type: 'neg', arg: unary() };
    }
    return primary();
  };
  const primary = (): Node => {
    const t = tokens[i++];
    if (t === undefined) throw mathError(`Invalid metrics math expression "${src}": unexpected end.`);
    if (t === '(') {
      const n = expr();
      expect(')');
      return n;
    }
    if (t === '[') {
      const items: Node[] = [expr()];
      while (peek() === ',') { i++; items.push(expr()); }
      expect(']');
      return { type: 'list', items };
    }
    if (/^\d/.test(t)) return { type: 'num', value: Number(t) };
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === '(') {
        const name = t.toUpperCase();
        if (!(SUPPORTED_FUNCTIONS as readonly string[]).includes(name)) {
          throw mathError(`Unsupported function ${t} in metrics math expression "${src}"; the emulator supports ${SUPPORTED_FUNCTIONS.join(', ')} and + - * /.`);
        }
        i++;
        const args: Node[] = [];
        if (peek() !== ')') {
          args.push(expr());
          while (peek() === ',') { i++; args.push(expr()); }
        }
        expect(')');
        return { type: 'call', name, args };
      }
      return { type: 'id', name: t };
    }
    throw mathError(`Invalid metrics math expression "${src}": unexpected "${t}". Metrics Insights queries are not supported by the emulator.`);
  };
  const node = expr();
  if (i < tokens.length) throw mathError(`Invalid metrics math expression "${src}": unexpected "${tokens[i]}".`);
  return node;
}

/** Ids the expression refers to (for dependency ordering). */
export function referencedIds(node: Node): string[] {
  switch (node.type) {
    case 'id': return [node.name];
    case 'num': return [];
    case 'neg': return referencedIds(node.arg);
    case 'bin': return [...referencedIds(node.left), ...referencedIds(node.right)];
    case 'call': return node.args.flatMap(referencedIds);
    case 'list': return node.items.flatMap(referencedIds);
  }
}

export interface EvalEnv {
  lookup(id: string): MathValue;
  /** Every period start in the query window (FILL needs the full grid). */
  grid: number[];
}

export function evaluate(node: Node, env: EvalEnv): MathValue {
  switch (node.type) {
    case 'num': return { kind: 'scalar', value: node.value };
    case 'id': return env.lookup(node.name);
    case 'neg': return binary('*', { kind: 'scalar', value: -1 }, evaluate(node.arg, env));
    case 'bin': return binary(node.op, evaluate(node.left, env), evaluate(node.right, env));
    case 'list': return { kind: 'array', items: node.items.map((n) => evaluate(n, env)) };
    case 'call': return call(node.name, node.args.map((a) => evaluate(a, env)), env);
  }
}

function apply(op: string, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    default: return a / b;
  }
}

function finite(ts: number[], vs: number[]): MathValue {
  const timestamps: number[] = [];
  const values: number[] = [];
  vs.forEach((v, i) => {
    if (Number.isFinite(v)) { timestamps.push(ts[i]!); values.push(v); }
  });
  return { kind: 'series', timestamps, values };
}

function binary(op: string, a: MathValue, b: MathValue): MathValue {
  if (a.kind === 'array' || b.kind === 'array') {
    if (a.kind === 'array') return { kind: 'array', items: a.items.map((x) => binary(op, x, b)) };
    return { kind: 'array', items: (b as { items: MathValue[] }).items.map((y) => binary(op, a, y)) };
  }
  if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', value: apply(op, a.value, b.value) };
  if (a.kind === 'series' && b.kind === 'scalar') return finite(a.timestamps, a.values.map((v) => apply(op, v, b.value)));
  if (a.kind === 'scalar' && b.kind === 'series') return finite(b.timestamps, b.values.map((v) => apply(op, a.value, v)));
  // Two series: only timestamps present in both produce a value.
  const sa = a as { timestamps: number[]; values: number[] };
  const sb = b as { timestamps: number[]; values: number[] };
  const byTs = new Map(sb.timestamps.map((t, i) => [t, sb.values[i]!]));
  const ts: number[] = [];
  const vs: number[] = [];
  sa.timestamps.forEach((t, i) => {
    const other = byTs.get(t);
    if (other !== undefined) { ts.push(t); vs.push(apply(op, sa.values[i]!, other)); }
  });
  return finite(ts, vs);
}

function reduce(name: string, xs: number[]): number {
  if (xs.length === 0) return NaN;
  switch (name) {
    case 'SUM': return xs.reduce((s, x) => s + x, 0);
    case 'AVG': return xs.reduce((s, x) => s + x, 0) / xs.length;
    case 'MIN': return Math.min(...xs);
    default: return Math.max(...xs);
  }
}

function call(name: string, args: MathValue[], env: EvalEnv): MathValue {
  const arity = (n: number): void => {
    if (args.length !== n) throw mathError(`${name} takes ${n} argument(s), got ${args.length}.`);
  };
  switch (name) {
    case 'FILL': {
      arity(2);
      const [x, v] = args as [MathValue, MathValue];
      if (v.kind !== 'scalar') throw mathError('FILL: the second argument must be a number (REPEAT and LINEAR are not supported by the emulator).');
      const fill = (s: MathValue): MathValue => {
        if (s.kind === 'array') return { kind: 'array', items: s.items.map(fill) };
        if (s.kind === 'scalar') return s;
        const have = new Map(s.timestamps.map((t, i) => [t, s.values[i]!]));
        return { kind: 'series', timestamps: [...env.grid], values: env.grid.map((t) => have.get(t) ?? v.value) };
      };
      return fill(x);
    }
    case 'ABS': {
      arity(1);
      const abs = (s: MathValue): MathValue =>
        s.kind === 'scalar' ? { kind: 'scalar', value: Math.abs(s.value) }
          : s.kind === 'series' ? { kind: 'series', timestamps: s.timestamps, values: s.values.map(Math.abs) }
            : { kind: 'array', items: s.items.map(abs) };
      return abs(args[0]!);
    }
    default: {
      arity(1);
      const x = args[0]!;
      if (x.kind === 'scalar') return x;
      if (x.kind === 'series') return { kind: 'scalar', value: reduce(name, x.values) };
      // Across series: one value per timestamp from the series that have it.
      const byTs = new Map<number, number[]>();
      for (const item of x.items) {
        if (item.kind !== 'series') throw mathError(`${name}: array items must be time series.`);
        item.timestamps.forEach((t, i) => {
          const list = byTs.get(t) ?? [];
          list.push(item.values[i]!);
          byTs.set(t, list);
        });
      }
      const timestamps = [...byTs.keys()].sort((a, b) => a - b);
      return { kind: 'series', timestamps, values: timestamps.map((t) => reduce(name, byTs.get(t)!)) };
    }
  }
}
